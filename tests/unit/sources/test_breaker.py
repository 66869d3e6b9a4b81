"""The circuit breaker of one source: closed → open → half-open → closed, on a fake clock."""

import httpx
import pytest

from dossier.sources.base import SourceUnavailableError
from dossier.sources.breaker import (
    BreakerObserver,
    BreakerPolicy,
    BreakerState,
    CircuitBreaker,
    CircuitOpenError,
)
from dossier.sources.http import HttpPolicy, SourceHttp
from tests.unit.sources.conftest import FakeClock

URL = "https://api.example.test/items"


class Recorder:
    def __init__(self) -> None:
        self.transitions: list[tuple[str, str, str]] = []
        self.skips: list[str] = []

    def observer(self) -> BreakerObserver:
        return BreakerObserver(
            transition=lambda *t: self.transitions.append(t), skipped=self.skips.append
        )


def breaker(clock: FakeClock, failures: int = 3, cooldown: float = 30.0) -> CircuitBreaker:
    return CircuitBreaker(
        "github",
        BreakerPolicy(failures=failures, cooldown_seconds=cooldown),
        monotonic=clock.monotonic,
        wall=clock.time,
    )


def test_it_opens_after_n_consecutive_failures_and_refuses_with_the_reason(clock) -> None:
    b = breaker(clock)
    for _ in range(2):
        b.before_request()
        b.failure("timed out")
    assert b.state is BreakerState.CLOSED
    b.before_request()
    b.failure("timed out")
    assert b.state is BreakerState.OPEN
    with pytest.raises(CircuitOpenError) as refused:
        b.before_request()
    assert "circuit open after 3 consecutive failure(s) (last: timed out)" in refused.value.reason
    assert "until 2023-11-14T22:13:50Z" in refused.value.reason


def test_a_success_resets_the_count(clock) -> None:
    b = breaker(clock)
    b.failure("HTTP 503")
    b.failure("HTTP 503")
    b.success()
    b.failure("HTTP 503")
    b.failure("HTTP 503")
    assert b.state is BreakerState.CLOSED
    assert b.failures == 2


def test_after_the_cooldown_one_probe_goes_through_and_its_success_closes(clock) -> None:
    b = breaker(clock, failures=1, cooldown=30.0)
    b.failure("timed out")
    clock.now_monotonic += 29.9
    with pytest.raises(CircuitOpenError):
        b.before_request()
    clock.now_monotonic += 0.2
    b.before_request()  # the probe
    assert b.state is BreakerState.HALF_OPEN
    with pytest.raises(CircuitOpenError, match="probe"):
        b.before_request()  # a concurrent lookup while the probe runs
    b.success()
    assert b.state is BreakerState.CLOSED
    b.before_request()
    b.before_request()


def test_a_failed_probe_opens_again_for_a_full_cooldown(clock) -> None:
    b = breaker(clock, failures=2, cooldown=10.0)
    b.failure("timed out")
    b.failure("timed out")
    clock.now_monotonic += 10.0
    b.before_request()
    b.failure("timed out")
    assert b.state is BreakerState.OPEN
    clock.now_monotonic += 9.0
    with pytest.raises(CircuitOpenError):
        b.before_request()
    clock.now_monotonic += 1.0
    b.before_request()
    assert b.state is BreakerState.HALF_OPEN


def test_an_abandoned_probe_lets_the_next_request_probe(clock) -> None:
    b = breaker(clock, failures=1, cooldown=1.0)
    b.failure("timed out")
    clock.now_monotonic += 1.0
    b.before_request()
    b.neutral()  # cancelled, or rate limited
    b.before_request()
    assert b.state is BreakerState.HALF_OPEN


def test_transitions_and_skips_are_observed(clock) -> None:
    seen = Recorder()
    b = CircuitBreaker(
        "orcid",
        BreakerPolicy(failures=1, cooldown_seconds=5.0),
        monotonic=clock.monotonic,
        observer=seen.observer(),
    )
    b.failure("HTTP 502")
    with pytest.raises(CircuitOpenError):
        b.before_request()
    clock.now_monotonic += 5.0
    b.before_request()
    b.success()
    assert seen.transitions == [
        ("orcid", "closed", "closed"),
        ("orcid", "closed", "open"),
        ("orcid", "open", "half_open"),
        ("orcid", "half_open", "closed"),
    ]
    assert seen.skips == ["orcid"]


async def test_an_open_breaker_sends_no_request_and_the_lookup_is_unavailable(
    provider_api, client, clock
) -> None:
    route = provider_api.get(URL).mock(side_effect=httpx.ReadTimeout("hangs"))
    http = SourceHttp(
        client,
        provider="github",
        policy=HttpPolicy(max_attempts=3),
        clock=clock,
        jitter=lambda: 0.0,
        breaker=breaker(clock, failures=2),
    )
    for _ in range(2):
        with pytest.raises(Exception, match="timed out"):
            await http.get_json(URL, budget=http.budget())
    assert route.call_count == 2  # one per lookup: timeouts are not retried
    with pytest.raises(SourceUnavailableError, match="github: circuit open after 2"):
        await http.get_json(URL, budget=http.budget())
    assert route.call_count == 2


async def test_server_errors_count_and_rate_limits_do_not(provider_api, client, clock) -> None:
    provider_api.get(URL).mock(
        side_effect=[
            httpx.Response(503),
            httpx.Response(429, headers={"Retry-After": "1"}),
            httpx.Response(200, json={}),
        ]
    )
    b = breaker(clock, failures=2)
    http = SourceHttp(
        client, provider="github", policy=HttpPolicy(), clock=clock, jitter=lambda: 0.0, breaker=b
    )
    assert await http.get_json(URL, budget=http.budget()) == {}
    assert b.state is BreakerState.CLOSED
    assert b.failures == 0
