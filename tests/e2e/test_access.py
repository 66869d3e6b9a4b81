"""Authentication and partner isolation."""

import os
import subprocess

import httpx

from dossier.devstack.stack import LocalStack
from tests.e2e.conftest import REPO, create_partner
from tests.e2e.helpers import analysis_body


async def test_missing_or_malformed_key_is_401(gateway_url: str) -> None:
    async with httpx.AsyncClient(base_url=gateway_url) as anonymous:
        missing = await anonymous.get("/api/v1/analyses/an_x")
        bad = await anonymous.get("/api/v1/analyses/an_x", headers={"X-API-Key": "ats_live_nope"})
        forged = await anonymous.get(
            "/api/v1/analyses/an_x",
            headers={"X-API-Key": "ats_live_000000000000_" + "A" * 43},
        )

    for response in (missing, bad, forged):
        assert response.status_code == 401
        assert response.headers["content-type"] == "application/problem+json"


async def test_revoked_key_is_401(stack: LocalStack, gateway_url: str) -> None:
    partner = create_partner(stack, "Soon Revoked")
    key = partner["api_key"]
    prefix = "_".join(key.split("_")[:3])
    async with httpx.AsyncClient(base_url=gateway_url, headers={"X-API-Key": key}) as client:
        before = await client.post("/api/v1/analyses", json=analysis_body())
        subprocess.run(
            [str(REPO / ".venv/bin/dossier"), "keys", "revoke", prefix],
            env={**os.environ, **stack.config.service_environment("gateway")},
            check=True,
            capture_output=True,
        )
        after = await client.post("/api/v1/analyses", json=analysis_body())

    assert before.status_code == 202
    assert after.status_code == 401


async def test_another_partners_analysis_is_404_for_read_and_cancel(
    api: httpx.AsyncClient, gateway_url: str, other_partner: dict[str, str]
) -> None:
    created = (await api.post("/api/v1/analyses", json=analysis_body())).json()
    async with httpx.AsyncClient(
        base_url=gateway_url, headers={"X-API-Key": other_partner["api_key"]}
    ) as other:
        read = await other.get(f"/api/v1/analyses/{created['id']}")
        cancel = await other.delete(f"/api/v1/analyses/{created['id']}")

    assert read.status_code == 404
    assert cancel.status_code == 404
    still = (await api.get(f"/api/v1/analyses/{created['id']}")).json()
    assert still["status"] != "canceled"


async def test_unknown_analysis_is_404_problem(api: httpx.AsyncClient) -> None:
    response = await api.get("/api/v1/analyses/an_doesnotexist")

    assert response.status_code == 404
    assert response.json()["type"].endswith("/not-found")
