"""The SDK's retry policy: what is retried, how long it waits, and typed errors."""

import json
import socket

import pytest
from dossier_client import (
    APIConnectionError,
    AsyncDossier,
    Dossier,
    RateLimitError,
    ServerError,
    ValidationError,
    WaitTimeoutError,
)
from dossier_client._retry import RetryPolicy, backoff_delay, is_retry_safe

from tests.unit.sdk_python.scripted_server import Answer, scripted

ANALYSIS = {
    "id": "an_1",
    "status": "completed",
    "candidate_id": "cand_1",
    "created_at": "2026-12-07T10:00:00Z",
}
PROBLEM_429 = {
    "type": "https://dossier.dev/problems/rate-limited",
    "title": "Too many",
    "status": 429,
}


def client_for(url: str, max_retries: int = 3) -> tuple[Dossier, list[float]]:
    """A client whose sleeps are recorded instead of slept."""
    client = Dossier(api_key="dsk_test_x", base_url=url, max_retries=max_retries)
    slept: list[float] = []
    client._transport.sleep = slept.append
    return client, slept


def test_backoff_grows_exponentially_with_jitter_up_to_the_cap() -> None:
    policy = RetryPolicy(backoff_base=0.5, backoff_max=8.0)

    for attempt, ceiling in [(0, 0.5), (1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (9, 8.0)]:
        assert backoff_delay(attempt, policy, rand=lambda: 0.0) == ceiling / 2
        assert backoff_delay(attempt, policy, rand=lambda: 1.0) == ceiling


def test_retry_after_wins_over_backoff_but_is_capped() -> None:
    policy = RetryPolicy(max_retry_after=60)

    assert backoff_delay(5, policy, retry_after=2) == 2
    assert backoff_delay(0, policy, retry_after=3600) == 60


def test_only_requests_that_cannot_take_effect_twice_are_retry_safe() -> None:
    assert is_retry_safe("GET", {})
    assert is_retry_safe("DELETE", {})
    assert not is_retry_safe("POST", {})
    assert not is_retry_safe("PATCH", {})
    assert is_retry_safe("POST", {"Idempotency-Key": "k"})


def test_a_429_is_retried_after_retry_after_then_succeeds() -> None:
    with scripted(
        Answer(429, json.dumps(PROBLEM_429).encode(), {"Retry-After": "2"}),
        Answer(200, json.dumps(ANALYSIS).encode()),
    ) as server:
        client, slept = client_for(server.url)

        analysis = client.analyses.get("an_1")

    assert analysis.id == "an_1"
    assert len(server.seen) == 2
    assert slept == [2.0]


def test_a_post_without_idempotency_key_is_not_retried_on_503() -> None:
    with scripted(Answer(503, b'{"title":"Unavailable","status":503}')) as server:
        client, slept = client_for(server.url)

        with pytest.raises(ServerError) as raised:
            client.webhooks.test("wh_1")

    assert len(server.seen) == 1
    assert slept == []
    assert raised.value.status == 503


def test_create_carries_an_idempotency_key_so_its_503_is_retried_with_the_same_key() -> None:
    accepted = {**ANALYSIS, "status": "queued", "reused": False}
    with scripted(
        Answer(503, b'{"title":"Unavailable","status":503}'),
        Answer(202, json.dumps(accepted).encode()),
    ) as server:
        client, slept = client_for(server.url)

        started = client.analyses.create(client={"id": "c"}, candidate={"id": "x"})

    keys = [seen.headers["idempotency-key"] for seen in server.seen]
    assert started.reused is False
    assert len(keys) == 2
    assert keys[0] == keys[1]
    assert len(slept) == 1


def test_retries_stop_after_max_retries_with_the_typed_error() -> None:
    with scripted(Answer(429, json.dumps(PROBLEM_429).encode(), {"Retry-After": "1"})) as server:
        client, slept = client_for(server.url, max_retries=2)

        with pytest.raises(RateLimitError) as raised:
            client.me.get()

    assert len(server.seen) == 3
    assert slept == [1.0, 1.0]
    assert raised.value.retry_after == 1.0


def test_max_retries_zero_turns_retries_off() -> None:
    with scripted(Answer(500, b"{}")) as server:
        client, _ = client_for(server.url, max_retries=0)

        with pytest.raises(ServerError):
            client.me.get()

    assert len(server.seen) == 1


def test_4xx_other_than_429_are_never_retried() -> None:
    problem = {"title": "Invalid", "status": 422, "errors": [{"field": "x", "message": "bad"}]}
    with scripted(Answer(422, json.dumps(problem).encode(), {"X-Request-ID": "req_abc"})) as server:
        client, _ = client_for(server.url)

        with pytest.raises(ValidationError) as raised:
            client.analyses.get("an_1")

    assert len(server.seen) == 1
    assert raised.value.errors == [{"field": "x", "message": "bad"}]
    assert raised.value.request_id == "req_abc"


def test_connection_errors_are_retried_then_raised() -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client, slept = client_for(f"http://127.0.0.1:{port}", max_retries=2)

    with pytest.raises(APIConnectionError):
        client.me.get()

    assert len(slept) == 2


def test_wait_sleeps_as_retry_after_says_until_terminal() -> None:
    running = json.dumps({**ANALYSIS, "status": "processing"}).encode()
    with scripted(
        Answer(200, running, {"Retry-After": "3", "ETag": '"a"'}),
        Answer(200, running, {"Retry-After": "3", "ETag": '"a"'}),
        Answer(200, json.dumps(ANALYSIS).encode(), {"ETag": '"b"'}),
    ) as server:
        client, slept = client_for(server.url)

        done = client.analyses.wait("an_1", timeout=60)

    assert done.status == "completed"
    assert slept == [3.0, 3.0]
    assert server.seen[1].headers["if-none-match"] == '"a"'


def test_wait_raises_a_typed_timeout() -> None:
    running = json.dumps({**ANALYSIS, "status": "processing"}).encode()
    with scripted(Answer(200, running, {"Retry-After": "1"})) as server:
        client = Dossier(api_key="dsk_test_x", base_url=server.url)

        with pytest.raises(WaitTimeoutError) as raised:
            client.analyses.wait("an_1", timeout=0.3, poll_interval=0.1)

    assert isinstance(raised.value, TimeoutError)
    assert raised.value.last_status == "processing"


async def test_the_async_client_retries_a_429_and_waits_as_retry_after_says() -> None:
    running = json.dumps({**ANALYSIS, "status": "processing"}).encode()
    with scripted(
        Answer(429, json.dumps(PROBLEM_429).encode(), {"Retry-After": "2"}),
        Answer(200, running, {"Retry-After": "4"}),
        Answer(200, json.dumps(ANALYSIS).encode()),
    ) as server:
        slept: list[float] = []

        async def record(seconds: float) -> None:
            slept.append(seconds)

        async with AsyncDossier(api_key="dsk_test_x", base_url=server.url) as client:
            client._transport.sleep = record
            done = await client.analyses.wait("an_1", timeout=60)

    assert done.status == "completed"
    assert len(server.seen) == 3
    assert slept == [2.0, 4.0]
