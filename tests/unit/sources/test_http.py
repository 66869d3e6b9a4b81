"""Shared HTTP behaviour: retries with backoff, rate limits, budgets, decoding."""

import httpx
import pytest

from dossier.sources.base import SourceFailedError, SourceUnavailableError
from dossier.sources.http import HttpPolicy, backoff_delay, retry_after_seconds

URL = "https://api.example.test/items"
NOW = 1_700_000_000.0


def test_backoff_doubles_per_attempt_and_stops_at_the_cap() -> None:
    policy = HttpPolicy(backoff_base_seconds=1.0, backoff_cap_seconds=5.0)
    delays = [backoff_delay(attempt, policy, jitter=0.0) for attempt in (1, 2, 3, 4, 5)]
    assert delays == [0.5, 1.0, 2.0, 2.5, 2.5]


def test_backoff_jitter_adds_at_most_half_the_delay() -> None:
    policy = HttpPolicy(backoff_base_seconds=1.0, backoff_cap_seconds=60.0)
    assert backoff_delay(3, policy, jitter=0.0) == 2.0
    assert backoff_delay(3, policy, jitter=0.999) == pytest.approx(3.998)


def test_retry_after_in_seconds_is_read() -> None:
    assert retry_after_seconds({"retry-after": "7"}, NOW) == 7.0


def test_retry_after_as_http_date_is_converted_to_seconds() -> None:
    # NOW is 2023-11-14T22:13:20Z.
    headers = {"retry-after": "Tue, 14 Nov 2023 22:14:20 GMT"}
    assert retry_after_seconds(headers, NOW) == pytest.approx(60.0)


def test_github_reset_is_a_unix_time() -> None:
    headers = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(NOW) + 90)}
    assert retry_after_seconds(headers, NOW) == 90.0


def test_brave_reset_is_seconds_per_window_and_the_exhausted_window_decides() -> None:
    per_second_left = {"x-ratelimit-remaining": "1, 0", "x-ratelimit-reset": "1, 86400"}
    per_second_gone = {"x-ratelimit-remaining": "0, 120", "x-ratelimit-reset": "1, 86400"}
    assert retry_after_seconds(per_second_left, NOW) == 86400.0
    assert retry_after_seconds(per_second_gone, NOW) == 1.0


def test_quota_headers_with_requests_left_ask_for_no_wait() -> None:
    headers = {"x-ratelimit-remaining": "12", "x-ratelimit-reset": str(int(NOW) + 90)}
    assert retry_after_seconds(headers, NOW) is None


async def test_server_error_then_success_is_retried_after_a_backoff(
    provider_api, make_http, clock
) -> None:
    route = provider_api.get(URL).mock(
        side_effect=[httpx.Response(500), httpx.Response(200, json={"ok": True})]
    )
    http = make_http()
    assert await http.get_json(URL, budget=http.budget()) == {"ok": True}
    assert route.call_count == 2
    assert clock.sleeps == [0.25]


async def test_backoff_grows_between_consecutive_failures(provider_api, make_http, clock) -> None:
    provider_api.get(URL).mock(
        side_effect=[httpx.Response(503), httpx.Response(502), httpx.Response(200, json=[])]
    )
    http = make_http()
    assert await http.get_json(URL, budget=http.budget()) == []
    assert clock.sleeps == [0.25, 0.5]


async def test_persistent_server_errors_fail_after_the_bounded_attempts(
    provider_api, make_http
) -> None:
    route = provider_api.get(URL).mock(return_value=httpx.Response(500))
    http = make_http(max_attempts=3)
    with pytest.raises(SourceFailedError, match="HTTP 500 after 3 attempt"):
        await http.get_json(URL, budget=http.budget())
    assert route.call_count == 3


async def test_no_retry_is_made_when_the_backoff_would_overrun_the_budget(
    provider_api, make_http, clock
) -> None:
    route = provider_api.get(URL).mock(return_value=httpx.Response(500))
    http = make_http(budget_seconds=0.2, backoff_base_seconds=1.0)
    with pytest.raises(SourceFailedError, match="after 1 attempt"):
        await http.get_json(URL, budget=http.budget())
    assert route.call_count == 1
    assert clock.sleeps == []


async def test_a_timeout_is_not_retried_so_a_hanging_provider_costs_one_timeout(
    provider_api, make_http, clock
) -> None:
    route = provider_api.get(URL).mock(side_effect=httpx.ReadTimeout("slow"))
    http = make_http(max_attempts=3)
    with pytest.raises(SourceFailedError, match="timed out"):
        await http.get_json(URL, budget=http.budget())
    assert route.call_count == 1
    assert clock.sleeps == []
    assert http.breaker.failures == 1


async def test_unreachable_provider_is_unavailable(provider_api, make_http) -> None:
    provider_api.get(URL).mock(side_effect=httpx.ConnectError("no route to host"))
    http = make_http(max_attempts=2)
    with pytest.raises(SourceUnavailableError, match=r"cannot reach api\.example\.test"):
        await http.get_json(URL, budget=http.budget())


async def test_short_retry_after_is_waited_out_then_retried(provider_api, make_http, clock) -> None:
    provider_api.get(URL).mock(
        side_effect=[
            httpx.Response(429, headers={"Retry-After": "2"}),
            httpx.Response(200, json={"ok": True}),
        ]
    )
    http = make_http()
    assert await http.get_json(URL, budget=http.budget()) == {"ok": True}
    assert clock.sleeps == [2.0]


async def test_retry_after_beyond_the_budget_gives_up_without_sleeping(
    provider_api, make_http, clock
) -> None:
    route = provider_api.get(URL).mock(
        return_value=httpx.Response(429, headers={"Retry-After": "3600"})
    )
    http = make_http(budget_seconds=25)
    with pytest.raises(SourceUnavailableError, match="rate limited until 2023-11-14T23:13:20Z"):
        await http.get_json(URL, budget=http.budget())
    assert route.call_count == 1
    assert clock.sleeps == []


async def test_github_exhausted_quota_with_distant_reset_is_unavailable(
    provider_api, make_http, recorded
) -> None:
    reset = int(NOW) + 1800
    provider_api.get(URL).mock(
        return_value=httpx.Response(
            403,
            headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(reset)},
            json=recorded("github", "rate_limit_exceeded"),
        )
    )
    http = make_http()
    with pytest.raises(SourceUnavailableError, match="rate limited until 2023-11-14T22:43:20Z"):
        await http.get_json(URL, budget=http.budget())


async def test_brave_per_second_limit_is_waited_out(provider_api, make_http, clock) -> None:
    provider_api.get(URL).mock(
        side_effect=[
            httpx.Response(
                429,
                headers={"X-RateLimit-Remaining": "0, 9990", "X-RateLimit-Reset": "1, 1419704"},
            ),
            httpx.Response(200, json={"web": {}}),
        ]
    )
    http = make_http()
    assert await http.get_json(URL, budget=http.budget()) == {"web": {}}
    assert clock.sleeps == [1.0]


async def test_quota_announced_as_exhausted_spares_the_next_request(
    provider_api, make_http
) -> None:
    route = provider_api.get(URL).mock(
        return_value=httpx.Response(
            200,
            json={"ok": True},
            headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(NOW) + 600)},
        )
    )
    http = make_http()
    assert await http.get_json(URL, budget=http.budget()) == {"ok": True}
    with pytest.raises(SourceUnavailableError, match="rate limited until"):
        await http.get_json(URL, budget=http.budget())
    assert route.call_count == 1


async def test_refused_credentials_make_the_source_unavailable(provider_api, make_http) -> None:
    provider_api.get(URL).mock(return_value=httpx.Response(401, json={"error": "bad key"}))
    http = make_http()
    with pytest.raises(SourceUnavailableError, match="credentials refused"):
        await http.get_json(URL, budget=http.budget())


async def test_not_found_is_none_when_the_caller_expects_it(provider_api, make_http) -> None:
    provider_api.get(URL).mock(return_value=httpx.Response(404, json={"message": "Not Found"}))
    http = make_http()
    assert await http.get_json(URL, budget=http.budget(), not_found_ok=True) is None


async def test_a_body_that_is_not_json_fails(provider_api, make_http) -> None:
    provider_api.get(URL).mock(return_value=httpx.Response(200, text="<html>maintenance</html>"))
    http = make_http()
    with pytest.raises(SourceFailedError, match="not JSON"):
        await http.get_json(URL, budget=http.budget())


async def test_each_request_carries_the_per_source_timeout(provider_api, make_http) -> None:
    route = provider_api.get(URL).mock(return_value=httpx.Response(200, json={}))
    http = make_http(request_timeout_seconds=4.0)
    await http.get_json(URL, budget=http.budget())
    timeouts = route.calls.last.request.extensions["timeout"]
    assert timeouts["read"] == 4.0
