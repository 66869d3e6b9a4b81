"""Fixtures for the source connectors: recorded provider responses, a fake clock, a
mocked transport that refuses any request a test did not expect."""

import json
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

from dossier.sources.base import SourceQuery
from dossier.sources.http import HttpPolicy, SourceHttp

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "sources"

#: 2023-11-14T22:13:20Z, a fixed "now" for wall-clock arithmetic.
WALL_START = 1_700_000_000.0


class FakeClock:
    """Time that only moves when someone sleeps; every sleep is recorded."""

    def __init__(self) -> None:
        self.now_monotonic = 1_000.0
        self.now_wall = WALL_START
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now_monotonic

    def time(self) -> float:
        return self.now_wall

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now_monotonic += seconds
        self.now_wall += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def recorded() -> Callable[[str, str], Any]:
    """`recorded("github", "user_octo-jane")` → the decoded JSON of a recorded response."""

    def load(provider: str, name: str) -> Any:
        return json.loads((FIXTURES / provider / f"{name}.json").read_text(encoding="utf-8"))

    return load


@pytest.fixture
def provider_api() -> Iterator[respx.MockRouter]:
    """The providers' side: only routes a test declares answer; anything else fails."""
    with respx.mock(assert_all_called=False, assert_all_mocked=True) as router:
        yield router


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as http_client:
        yield http_client


@pytest.fixture
def make_http(client: httpx.AsyncClient, clock: FakeClock) -> Callable[..., SourceHttp]:
    """A `SourceHttp` on the fake clock with no jitter (delays are then exact)."""

    def build(provider: str = "test", **policy: Any) -> SourceHttp:
        return SourceHttp(
            client, provider=provider, policy=HttpPolicy(**policy), clock=clock, jitter=lambda: 0.0
        )

    return build


@pytest.fixture
def jane() -> SourceQuery:
    """A synthetic candidate: Jane Doe, engineer at Acme in London."""
    return SourceQuery(
        full_name="Jane Doe",
        first_name="Jane",
        last_name="Doe",
        company="Acme",
        role="Software Engineer",
        location="London, UK",
        links=("https://janedoe.dev",),
        employers=("Acme", "Doe Consulting"),
        institutions=("University of Bristol",),
    )
