"""The legacy background-check API (seed 000) on the same pipeline, reuse and billing."""

import secrets

import httpx

from tests.e2e.helpers import SAMPLE_CV


def legacy_body(platform_id: str) -> dict[str, object]:
    return {
        "partner_platform_id": platform_id,
        "partner_company_id": f"client_{secrets.token_hex(4)}",
        "partner_candidate_id": f"cand_{secrets.token_hex(4)}",
        "candidate": {
            "full_name": "John Doe",
            "location": "London, UK",
            "current_title": "Senior Software Engineer",
            "current_company": "Example Company",
            "cv_text": SAMPLE_CV,
            "linkedin_url": "https://linkedin.com/in/john-doe",
        },
    }


async def test_background_check_generates_then_returns_existing_for_free(
    gateway_url: str, partner: dict[str, str]
) -> None:
    body = legacy_body(partner["platform_id"])
    async with httpx.AsyncClient(
        base_url=gateway_url, headers={"X-Partner-Key": partner["partner_key"]}, timeout=60
    ) as legacy:
        first = await legacy.post("/api/partner/v1/background-check", json=body)
        second = await legacy.post("/api/partner/v1/background-check", json=body)
        fetched = await legacy.get(f"/api/partner/v1/background-check/{first.json()['report_id']}")

    assert first.status_code == 200
    generated = first.json()
    assert generated["status"] == "generated"
    assert generated["report"]["candidate_name"] == "John Doe"
    assert generated["report"]["hiring_recommendation"]["decision"] in {
        "GO",
        "GO with validation",
        "NO GO",
    }
    assert generated["billing"] == {"charged": True, "credits_used": 1}
    assert second.json()["status"] == "existing"
    assert second.json()["report_id"] == generated["report_id"]
    assert second.json()["billing"] == {"charged": False, "credits_used": 0}
    assert fetched.json()["report"] == generated["report"]


async def test_platform_mismatch_is_403(gateway_url: str, partner: dict[str, str]) -> None:
    async with httpx.AsyncClient(
        base_url=gateway_url, headers={"X-Partner-Key": partner["partner_key"]}
    ) as legacy:
        response = await legacy.post(
            "/api/partner/v1/background-check", json=legacy_body("plt_someone_else")
        )

    assert response.status_code == 403
    assert response.json()["type"].endswith("/platform-mismatch")


async def test_v1_key_is_not_a_partner_key(gateway_url: str, partner: dict[str, str]) -> None:
    async with httpx.AsyncClient(
        base_url=gateway_url, headers={"X-Partner-Key": partner["api_key"]}
    ) as legacy:
        response = await legacy.post(
            "/api/partner/v1/background-check", json=legacy_body(partner["platform_id"])
        )

    assert response.status_code == 401
