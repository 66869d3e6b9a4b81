"""Widget sessions: `POST /api/v1/widget-sessions` and the `wt_…` token it returns.

A token is its issuing key narrowed to one client + candidate and a few operations, for
15 minutes. Every way out of that box answers 4xx and changes nothing.
"""

import secrets
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
import pytest_asyncio

from dossier.contracts.timestamps import utcnow
from dossier.devstack.stack import LocalStack
from dossier.gateway.settings import GatewaySettings
from dossier.gateway.widget.tokens import mint, signing_key, verify
from tests.e2e.conftest import create_partner
from tests.e2e.helpers import analysis_body, gateway_environment, wait_terminal

PROBLEM = "application/problem+json"


def bearer(token: str) -> dict[str, str]:
    """As the browser sends it: the token, no API key (the backend clients here carry one by
    default; an empty `X-API-Key` counts as none)."""
    return {"Authorization": f"Bearer {token}", "X-API-Key": ""}


def token_key(stack: LocalStack) -> bytes:
    """The running gateway's widget-token key (its settings, built as it builds them)."""
    with gateway_environment(stack):
        settings = GatewaySettings()
    return signing_key(settings.url_signing_key.get_secret_value().encode())


async def session(api: httpx.AsyncClient, client_id: str, candidate_id: str) -> str:
    created = await api.post(
        "/api/v1/widget-sessions", json={"client_id": client_id, "candidate_id": candidate_id}
    )
    assert created.status_code == 201, created.text
    token: str = created.json()["token"]
    return token


async def pair_listing(api: httpx.AsyncClient, client_id: str, candidate_id: str) -> list[str]:
    found = await api.get(
        "/api/v1/analyses", params={"client_id": client_id, "candidate_id": candidate_id}
    )
    assert found.status_code == 200, found.text
    return [a["id"] for a in found.json()["data"]]


class Pair:
    def __init__(self) -> None:
        self.client_id = f"wclient_{secrets.token_hex(4)}"
        self.candidate_id = f"wcand_{secrets.token_hex(4)}"

    def body(self, **over: Any) -> dict[str, Any]:
        return analysis_body(
            client_id=over.pop("client_id", self.client_id),
            candidate_id=over.pop("candidate_id", self.candidate_id),
            cv=None,
        )


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def sandbox(gateway_url: str, partner: dict[str, str]) -> AsyncIterator[httpx.AsyncClient]:
    """The partner's backend on its sandbox key (free, deterministic)."""
    async with httpx.AsyncClient(
        base_url=gateway_url, headers={"X-API-Key": partner["test_api_key"]}, timeout=60
    ) as client:
        yield client


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def done(sandbox: httpx.AsyncClient) -> tuple[Pair, str, str]:
    """A pair whose analysis the widget token created and saw complete: (pair, token, id)."""
    pair = Pair()
    token = await session(sandbox, pair.client_id, pair.candidate_id)
    created = await sandbox.post("/api/v1/analyses", json=pair.body(), headers=bearer(token))
    assert created.status_code == 202, created.text
    analysis_id: str = created.json()["id"]
    final = await wait_terminal(sandbox, analysis_id)
    assert final["status"] == "completed", final
    return pair, token, analysis_id


async def test_a_session_is_a_wt_token_valid_15_minutes(sandbox: httpx.AsyncClient) -> None:
    before = utcnow()
    created = await sandbox.post(
        "/api/v1/widget-sessions", json={"client_id": "c-1", "candidate_id": "cand-1"}
    )

    assert created.status_code == 201, created.text
    body = created.json()
    assert set(body) == {"token", "expires_at"}
    assert body["token"].startswith("wt_")
    expires = datetime.fromisoformat(body["expires_at"].replace("Z", "+00:00"))
    assert before + timedelta(minutes=14) < expires <= before + timedelta(minutes=15, seconds=1)


async def test_the_token_creates_reads_follows_finds_and_fetches_its_pair(
    sandbox: httpx.AsyncClient, done: tuple[Pair, str, str]
) -> None:
    pair, token, analysis_id = done
    headers = bearer(token)

    read = await sandbox.get(f"/api/v1/analyses/{analysis_id}", headers=headers)
    again = await sandbox.get(f"/api/v1/analyses/{analysis_id}", headers=headers)  # fast path
    found = await sandbox.get(
        "/api/v1/analyses",
        params={"client_id": pair.client_id, "candidate_id": pair.candidate_id},
        headers=headers,
    )
    pdf = await sandbox.get(f"/api/v1/analyses/{analysis_id}/report.pdf", headers=headers)
    async with sandbox.stream(
        "GET", f"/api/v1/analyses/{analysis_id}/events", headers=headers
    ) as events:
        stream = (await events.aread()).decode()
    reused = await sandbox.post("/api/v1/analyses", json=pair.body(), headers=headers)

    assert read.status_code == 200, read.text
    assert again.status_code == 200
    assert again.json()["id"] == analysis_id
    assert read.json()["metadata"]["report_url"]
    assert [a["id"] for a in found.json()["data"]] == [analysis_id]
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF-")
    assert events.status_code == 200
    assert "event: completed" in stream
    assert reused.status_code == 200
    assert reused.json()["id"] == analysis_id


async def test_the_token_follows_a_running_analysis_to_its_end(
    sandbox: httpx.AsyncClient,
) -> None:
    """The stream re-checks a widget token (not as an API key) while it stays open."""
    pair = Pair()
    token = await session(sandbox, pair.client_id, pair.candidate_id)
    created = await sandbox.post("/api/v1/analyses", json=pair.body(), headers=bearer(token))
    assert created.status_code == 202, created.text

    async with sandbox.stream(
        "GET", f"/api/v1/analyses/{created.json()['id']}/events", headers=bearer(token)
    ) as events:
        stream = (await events.aread()).decode()

    assert events.status_code == 200
    assert "event: stage" in stream
    assert "event: completed" in stream


async def test_another_pair_in_the_create_body_is_403_and_creates_nothing(
    sandbox: httpx.AsyncClient,
) -> None:
    pair, other = Pair(), Pair()
    token = await session(sandbox, pair.client_id, pair.candidate_id)

    responses = [
        await sandbox.post("/api/v1/analyses", json=body, headers=bearer(token))
        for body in (
            other.body(),
            pair.body(candidate_id=other.candidate_id),
            pair.body(client_id=other.client_id),
        )
    ]

    for response in responses:
        assert response.status_code == 403, response.text
        assert response.headers["content-type"].startswith(PROBLEM)
        assert response.json()["type"].endswith("/widget-token-forbidden")
    assert await pair_listing(sandbox, other.client_id, other.candidate_id) == []
    assert await pair_listing(sandbox, pair.client_id, other.candidate_id) == []
    assert await pair_listing(sandbox, other.client_id, pair.candidate_id) == []


async def test_another_candidates_analysis_is_404_like_another_partners(
    sandbox: httpx.AsyncClient, done: tuple[Pair, str, str]
) -> None:
    pair, _, analysis_id = done
    token = await session(sandbox, pair.client_id, f"{pair.candidate_id}-sibling")
    paths = [
        f"/api/v1/analyses/{analysis_id}",
        f"/api/v1/analyses/{analysis_id}/events",
        f"/api/v1/analyses/{analysis_id}/report.pdf",
    ]

    answers = [await sandbox.get(path, headers=bearer(token)) for path in paths]
    missing = await sandbox.get("/api/v1/analyses/no-such-analysis", headers=bearer(token))

    assert [a.status_code for a in answers] == [404, 404, 404]
    assert {a.json()["detail"] for a in answers} == {missing.json()["detail"]}
    assert all(pair.candidate_id not in a.text.replace(a.request.url.path, "") for a in answers)


async def test_listing_anything_but_its_pair_is_403(
    sandbox: httpx.AsyncClient, done: tuple[Pair, str, str]
) -> None:
    pair, token, _ = done

    answers = [
        await sandbox.get("/api/v1/analyses", params=params, headers=bearer(token))
        for params in (
            {},
            {"status": "completed"},
            {"client_id": pair.client_id, "candidate_id": "someone-else"},
        )
    ]

    assert [a.status_code for a in answers] == [403, 403, 403]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/me"),
        ("GET", "/api/v1/keys"),
        ("POST", "/api/v1/keys"),
        ("GET", "/api/v1/webhooks"),
        ("GET", "/api/v1/usage"),
        ("GET", "/api/v1/audit/export"),
        ("GET", "/api/v1/export"),
        ("POST", "/api/v1/widget-sessions"),
        ("DELETE", "/api/v1/analyses/{id}"),
        ("POST", "/api/v1/analyses/{id}/feedback"),
        ("DELETE", "/api/v1/candidates/{candidate}?client_id={client}"),
    ],
)
async def test_every_other_operation_is_403_and_changes_nothing(
    sandbox: httpx.AsyncClient, done: tuple[Pair, str, str], method: str, path: str
) -> None:
    pair, token, analysis_id = done
    url = path.format(id=analysis_id, candidate=pair.candidate_id, client=pair.client_id)
    body = {
        "name": "x",
        "scopes": ["analyses:read"],
        "client_id": pair.client_id,
        "candidate_id": pair.candidate_id,
        "signal_id": "sig_0000000000000000",
        "verdict": "confirmed",
    }

    response = await sandbox.request(
        method, url, headers=bearer(token), json=body if method == "POST" else None
    )

    assert response.status_code == 403, response.text
    assert response.json()["type"].endswith("/widget-token-forbidden")
    after = (await sandbox.get(f"/api/v1/analyses/{analysis_id}")).json()
    assert after["status"] == "completed"  # not canceled, not erased


async def test_expired_and_tampered_tokens_are_401_and_create_nothing(
    stack: LocalStack, sandbox: httpx.AsyncClient, done: tuple[Pair, str, str]
) -> None:
    _pair, token, _ = done
    key = token_key(stack)
    grant = verify(key, token, utcnow())
    assert grant is not None
    fresh = Pair()
    forged: dict[str, str] = {
        "expired": mint(
            key,
            replace(
                grant,
                client_id=fresh.client_id,
                candidate_id=fresh.candidate_id,
                expires_at=utcnow() - timedelta(seconds=1),
            ),
        ),
        "tampered": token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB"),
        "other pair, same signature": mint(
            key, replace(grant, client_id=fresh.client_id, candidate_id=fresh.candidate_id)
        ).split(".")[0]
        + "."
        + token.split(".")[1],
        "another deployment's secret": mint(
            signing_key(b"another deployment"),
            replace(grant, client_id=fresh.client_id, candidate_id=fresh.candidate_id),
        ),
        "not a token": "wt_garbage",
    }

    for name, bad in forged.items():
        created = await sandbox.post("/api/v1/analyses", json=fresh.body(), headers=bearer(bad))
        read = await sandbox.get(
            "/api/v1/analyses",
            params={"client_id": fresh.client_id, "candidate_id": fresh.candidate_id},
            headers=bearer(bad),
        )
        assert created.status_code == 401, (name, created.text)
        assert created.headers["content-type"].startswith(PROBLEM)
        assert read.status_code == 401, (name, read.text)
    assert await pair_listing(sandbox, fresh.client_id, fresh.candidate_id) == []


async def test_revoking_the_issuing_key_ends_its_tokens(sandbox: httpx.AsyncClient) -> None:
    minted = await sandbox.post(
        "/api/v1/keys",
        json={"name": "widget backend", "scopes": ["analyses:read", "analyses:write"],
              "environment": "test"},
    )  # fmt: skip
    assert minted.status_code == 201, minted.text
    pair = Pair()
    issuer = {"X-API-Key": minted.json()["key"]}
    created = await sandbox.post(
        "/api/v1/widget-sessions",
        json={"client_id": pair.client_id, "candidate_id": pair.candidate_id},
        headers=issuer,
    )
    token = created.json()["token"]
    path = "/api/v1/analyses"
    params = {"client_id": pair.client_id, "candidate_id": pair.candidate_id}
    before = await sandbox.get(path, params=params, headers=bearer(token))

    revoked = await sandbox.delete(f"/api/v1/keys/{minted.json()['id']}")
    after = await sandbox.get(path, params=params, headers=bearer(token))
    create = await sandbox.post(path, json=pair.body(), headers=bearer(token))

    assert before.status_code == 200
    assert revoked.status_code == 200, revoked.text
    assert after.status_code == 401
    assert create.status_code == 401
    assert await pair_listing(sandbox, pair.client_id, pair.candidate_id) == []


async def test_a_key_without_analyses_write_gets_no_session(sandbox: httpx.AsyncClient) -> None:
    minted = await sandbox.post(
        "/api/v1/keys",
        json={"name": "reader", "scopes": ["analyses:read"], "environment": "test"},
    )
    response = await sandbox.post(
        "/api/v1/widget-sessions",
        json={"client_id": "c", "candidate_id": "d"},
        headers={"X-API-Key": minted.json()["key"]},
    )

    assert response.status_code == 403
    assert response.json()["type"].endswith("/insufficient-scope")


async def test_a_sandbox_token_cannot_see_live_data_nor_another_partner_its(
    gateway_url: str,
    sandbox: httpx.AsyncClient,
    api: httpx.AsyncClient,
    other_partner: dict[str, str],
    done: tuple[Pair, str, str],
) -> None:
    pair, _, sandbox_id = done
    live = await api.post("/api/v1/analyses", json=pair.body())  # the same pair, live
    assert live.status_code == 202, live.text
    live_id = live.json()["id"]
    sandbox_token = await session(sandbox, pair.client_id, pair.candidate_id)
    async with httpx.AsyncClient(
        base_url=gateway_url, headers={"X-API-Key": other_partner["api_key"]}
    ) as other:
        other_token = await session(other, pair.client_id, pair.candidate_id)

    live_read = await sandbox.get(f"/api/v1/analyses/{live_id}", headers=bearer(sandbox_token))
    listed = await sandbox.get(
        "/api/v1/analyses",
        params={"client_id": pair.client_id, "candidate_id": pair.candidate_id},
        headers=bearer(sandbox_token),
    )
    foreign = [
        await sandbox.get(f"/api/v1/analyses/{i}", headers=bearer(other_token))
        for i in (sandbox_id, live_id)
    ]

    assert live_read.status_code == 404
    assert [a["id"] for a in listed.json()["data"]] == [sandbox_id]
    assert [f.status_code for f in foreign] == [404, 404]


async def test_a_tokens_requests_count_against_its_issuing_keys_limits(
    stack: LocalStack, gateway_url: str
) -> None:
    tiny = create_partner(stack, "Widget tiny", plan="tiny")  # 5 requests a minute
    pair = Pair()
    async with httpx.AsyncClient(
        base_url=gateway_url, headers={"X-API-Key": tiny["api_key"]}
    ) as backend:
        token = await session(backend, pair.client_id, pair.candidate_id)  # request 1
        params = {"client_id": pair.client_id, "candidate_id": pair.candidate_id}
        answers = [
            await backend.get("/api/v1/analyses", params=params, headers=bearer(token))
            for _ in range(5)
        ]
        key_after = await backend.get("/api/v1/me")

    statuses = [a.status_code for a in answers]
    assert 429 in statuses, statuses
    assert statuses[: statuses.index(429)] == [200] * statuses.index(429)
    assert key_after.status_code == 429  # the same budget as the key's own requests
