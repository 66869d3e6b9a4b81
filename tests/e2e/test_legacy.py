"""The legacy background-check API (seed 000) on the same pipeline, reuse and billing."""

import asyncio
import secrets
import time
import uuid

import httpx

from dossier.devstack.stack import LocalStack
from tests.e2e.conftest import E2E_RATE_LIMITS, create_partner
from tests.e2e.helpers import SAMPLE_CV, service_env

LEGACY = "/api/partner/v1/background-check"
RATE_HEADERS = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")


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


async def test_legacy_keys_draw_on_the_partners_plan_budget(
    stack: LocalStack, gateway_url: str
) -> None:
    """Same plan, same headers, same 429 as v1 — and one budget for both APIs."""
    partner = create_partner(stack, "Legacy budget", plan="tiny")
    allowed = min(E2E_RATE_LIMITS["tiny"].values())  # the minute window fills first
    async with httpx.AsyncClient(base_url=gateway_url, timeout=30) as http:
        legacy = {"X-Partner-Key": partner["partner_key"]}
        answers = [
            await http.get(f"{LEGACY}/rep_{uuid.uuid4().hex[:12]}", headers=legacy)
            for _ in range(allowed + 1)
        ]
        v1 = await http.get(
            f"/api/v1/analyses/an_{uuid.uuid4().hex[:12]}",
            headers={"X-API-Key": partner["api_key"]},
        )

    admitted, refused = answers[:-1], answers[-1]
    assert [a.status_code for a in admitted] == [404] * allowed
    for answer in admitted:
        assert all(h in answer.headers for h in RATE_HEADERS), answer.headers
    assert refused.status_code == 429
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["type"].endswith("/rate-limited")
    assert int(refused.headers["Retry-After"]) >= 1
    assert v1.status_code == 429  # the v1 key of the same partner shares the budget


async def test_a_partner_holds_a_bounded_number_of_waiting_posts(
    stack: LocalStack, gateway_url: str, partner: dict[str, str]
) -> None:
    """With room for one waiting POST, a second one at the same time answers `generating`
    at once instead of holding its connection for the report."""
    with service_env(stack, "gateway", {"DOSSIER_LEGACY_MAX_WAITING": "1"}):
        async with httpx.AsyncClient(
            base_url=gateway_url, headers={"X-Partner-Key": partner["partner_key"]}, timeout=60
        ) as legacy:

            async def post() -> tuple[httpx.Response, float]:
                started = time.monotonic()
                answer = await legacy.post(LEGACY, json=legacy_body(partner["platform_id"]))
                return answer, time.monotonic() - started

            waited, turned_away = sorted(
                await asyncio.gather(post(), post()), key=lambda pair: -pair[1]
            )

    assert waited[0].json()["status"] == "generated"
    assert turned_away[0].status_code == 200
    assert turned_away[0].json()["status"] == "generating"
    assert turned_away[1] < waited[1]
