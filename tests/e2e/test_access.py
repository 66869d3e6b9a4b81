"""Authentication and partner isolation."""

import os
import subprocess
import time

import httpx

from dossier.devstack.stack import LocalStack
from dossier.gateway.settings import GatewaySettings
from tests.e2e.conftest import REPO, create_partner, eventually
from tests.e2e.helpers import analysis_body

#: The stack runs with the default: what an operator gets unless they change it.
AUTH_CACHE_SECONDS = float(GatewaySettings.model_fields["auth_cache_seconds"].default)


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


async def test_revoked_key_is_401_within_the_auth_cache_window(
    stack: LocalStack, gateway_url: str
) -> None:
    """Revoked by the operator CLI (not through this gateway): the gateway keeps keys for
    `DOSSIER_AUTH_CACHE_SECONDS` (5 s by default), so the key stops working within that."""
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
        revoked_at = time.monotonic()

        async def refused() -> bool:
            response = await client.get(f"/api/v1/analyses/{before.json()['id']}")
            return response.status_code == 401

        await eventually(refused, timeout=AUTH_CACHE_SECONDS + 5, every=0.2)
        after = await client.post("/api/v1/analyses", json=analysis_body())

    assert before.status_code == 202
    assert time.monotonic() - revoked_at <= AUTH_CACHE_SECONDS + 5
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
