"""Sources under real-world conditions, end to end: a provider that hangs costs the first
analysis one request timeout and the next ones nothing (circuit breaker), and enrichment
never asks a profile provider what identity already asked (look up once)."""

import asyncio
import secrets
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from dossier.devstack.stack import LocalStack
from tests.e2e.conftest import Providers
from tests.e2e.helpers import analysis_body, service_env, wait_terminal

#: The request timeout of the hanging-provider stack; the breaker opens after one failure.
REQUEST_TIMEOUT = 3.0


class HangingServer:
    """Accepts TCP connections, reads nothing, answers nothing; counts what it accepted."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.2)
        self.accepted = 0
        self._held: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            self.accepted += 1
            self._held.append(conn)

    def __enter__(self) -> "HangingServer":
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        for conn in self._held:
            conn.close()
        self.sock.close()


@pytest.fixture
def hanging() -> Iterator[HangingServer]:
    with HangingServer() as server:
        yield server


def _uncached() -> dict[str, Any]:
    """A body no source has answered before (a cached answer would hide the provider)."""
    return analysis_body(cv=None, role=f"Engineer {secrets.token_hex(4)}")


def _checks(done: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["name"]: s for s in done["report"]["sources"]}


async def test_a_hanging_provider_costs_one_timeout_then_nothing_while_the_breaker_is_open(
    stack: LocalStack, api: httpx.AsyncClient, hanging: HangingServer
) -> None:
    env = {
        "DOSSIER_GITHUB_API_URL": f"{hanging.url}/github",
        "DOSSIER_ORCID_API_URL": f"{hanging.url}/orcid",
        "DOSSIER_SOURCE_REQUEST_TIMEOUT_SECONDS": str(REQUEST_TIMEOUT),
        "DOSSIER_SOURCE_BREAKER_FAILURES": "1",
        "DOSSIER_SOURCE_BREAKER_COOLDOWN_SECONDS": "600",
    }
    with service_env(stack, "identity", env), service_env(stack, "enrichment", env):
        started = time.monotonic()
        first = await api.post("/api/v1/analyses", json=_uncached())
        assert first.status_code == 202, first.text
        done = await wait_terminal(api, first.json()["id"], timeout=60)
        first_seconds = time.monotonic() - started
        assert done["status"] == "completed"
        first_checks = _checks(done)
        for name in ("github", "orcid"):
            assert first_checks[name]["state"] == "failed"
            assert "timed out" in first_checks[name]["detail"]
        # One connection per source (identity's single attempt each); enrichment reused
        # identity's failures instead of waiting for the same providers again.
        assert hanging.accepted == 2
        assert first_seconds < 4 * REQUEST_TIMEOUT + 20  # sanity only: 2 timeouts in parallel

        for _ in range(2):
            later = await api.post("/api/v1/analyses", json=_uncached())
            assert later.status_code == 202, later.text
            done = await wait_terminal(api, later.json()["id"], timeout=60)
            assert done["status"] == "completed"
            checks = _checks(done)
            for name in ("github", "orcid"):
                assert checks[name]["state"] == "unavailable"
                assert "circuit open after 1 consecutive failure(s)" in checks[name]["detail"]
                assert "last: timed out" in checks[name]["detail"]
        assert hanging.accepted == 2  # nothing more reached the hanging provider


async def _requests_since(providers: Providers, seq: int, text: str) -> list[dict[str, str]]:
    async with httpx.AsyncClient(base_url=providers.url, timeout=5) as client:
        found: list[dict[str, str]] = (
            await client.get("/_requests", params={"contains": text, "since": seq})
        ).json()["requests"]
    return found


async def _last_seq(providers: Providers) -> int:
    async with httpx.AsyncClient(base_url=providers.url, timeout=5) as client:
        return int((await client.get("/_requests", params={"contains": "\x00"})).json()["last_seq"])


async def test_enrichment_does_not_ask_a_profile_provider_what_identity_asked(
    api: httpx.AsyncClient, providers: Providers
) -> None:
    # A role nobody else uses: no cached answer, so every lookup really reaches the fakes.
    body = analysis_body(
        cv=None,
        first_name="Ottoline",
        last_name="Quist",
        company="Quist Labs",
        location="Lyon, France",
        role=f"Data Engineer {secrets.token_hex(3)}",
    )
    since = await _last_seq(providers)
    created = await api.post("/api/v1/analyses", json=body)
    assert created.status_code == 202, created.text
    done = await wait_terminal(api, created.json()["id"], timeout=60)
    assert done["status"] == "completed"
    await asyncio.sleep(0.5)  # a late request would have been logged by now

    github = [
        r["path"]
        for r in await _requests_since(providers, since, "quist")
        if r["path"].startswith("/github")
    ]
    orcid = [
        r
        for r in await _requests_since(providers, since, "quist")
        if r["path"].startswith("/orcid")
    ]
    # Identity: one search, both namesakes' profiles and repositories; enrichment: nothing.
    assert sorted(github) == sorted(
        [
            "/github/search/users",
            "/github/users/oquist-lyon",
            "/github/users/oquist-oslo",
            "/github/users/oquist-lyon/repos",
            "/github/users/oquist-oslo/repos",
        ]
    )
    assert len(orcid) == 1
    checks = _checks(done)
    assert checks["github"]["state"] == "checked"
    # Evidence from the corroborated profile only; the Oslo namesake states nothing.
    urls = {s.get("sourceUrl") or s.get("source_url") for s in done["signals"]}
    assert "https://github.com/oquist-lyon" in urls
    assert "https://github.com/oquist-oslo" not in urls
