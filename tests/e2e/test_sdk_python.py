"""The Python SDK (`sdks/python`, `dossier_client`) against the running stack, as a partner
would use it: the sandbox key for free, deterministic analyses; a loopback proxy that drops
the event stream once (a fake of the network, not of the API)."""

import contextlib
import secrets
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from dossier_client import (
    AsyncDossier,
    AuthenticationError,
    Dossier,
    NotFoundError,
    ValidationError,
    WebhookVerificationError,
    webhooks,
)
from dossier_client.models import AnalysisEnded, CandidateInput, ClientRef, StageChanged

from dossier.devstack.stack import LocalStack
from tests.e2e.conftest import Providers, create_partner, eventually
from tests.e2e.helpers import SAMPLE_CV
from tests.e2e.test_webhooks import listening


@pytest.fixture(scope="module")
def sdk_partner(stack: LocalStack) -> dict[str, str]:
    """A partner of its own, so listings and webhooks hold only this file's data."""
    return create_partner(stack, f"SDK Python {secrets.token_hex(3)}")


@pytest.fixture
def client(gateway_url: str, sdk_partner: dict[str, str]) -> Iterator[Dossier]:
    with Dossier(api_key=sdk_partner["test_api_key"], base_url=gateway_url) as sdk:
        yield sdk


def ids() -> tuple[str, str]:
    return f"client_{secrets.token_hex(4)}", f"cand_{secrets.token_hex(4)}"


def candidate(candidate_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": candidate_id,
        "first_name": "John",
        "last_name": "Doe",
        "company": "Example Company",
        "location": "London, UK",
        "role": "Senior Software Engineer",
        "cv": SAMPLE_CV,
        **extra,
    }


def start(sdk: Dossier, client_id: str | None = None, candidate_id: str | None = None) -> str:
    new_client, new_candidate = ids()
    started = sdk.analyses.create(
        language="en",
        client={"id": client_id or new_client, "company": "Acme Recruiting"},
        candidate=candidate(candidate_id or new_candidate),
    )
    return started.id


class Recorder:
    """Counts the HTTP exchanges of one SDK client (an httpx event hook: the real requests)."""

    def __init__(self) -> None:
        self.exchanges: list[tuple[str, str, int]] = []

    def __call__(self, response: httpx.Response) -> None:
        request = response.request
        self.exchanges.append((request.method, request.url.path, response.status_code))

    def gets(self, path: str) -> int:
        return sum(1 for method, p, _ in self.exchanges if method == "GET" and p == path)

    def statuses(self, path: str) -> list[int]:
        return [status for _, p, status in self.exchanges if p == path]


# create, wait, reuse, get with ETag -------------------------------------------------------
def test_create_then_wait_returns_the_completed_report_and_its_pdf(client: Dossier) -> None:
    client_id, candidate_id = ids()

    started = client.analyses.create(
        language="en",
        client=ClientRef(id=client_id, company="Acme Recruiting"),  # models or plain dicts
        candidate=CandidateInput.model_validate(candidate(candidate_id)),
        max_age_days=30,
    )
    done = client.analyses.wait(started.id, timeout=90, poll_interval=0.2)
    pdf = client.reports.pdf(started.id)
    signal = next(s for s in done.signals or [] if s.id)
    feedback = client.analyses.send_feedback(
        started.id, signal_id=str(signal.id), verdict="confirmed"
    )

    assert started.reused is False
    assert done.status == "completed"
    assert done.report is not None
    assert done.report.recommendation.decision == "GO"
    assert pdf.startswith(b"%PDF")
    assert feedback.signal_id == signal.id
    assert feedback.verdict == "confirmed"


def test_asking_again_reuses_the_same_analysis(client: Dossier) -> None:
    client_id, candidate_id = ids()
    body = {"client": {"id": client_id}, "candidate": candidate(candidate_id)}

    first = client.analyses.create(**body)
    second = client.analyses.create(**body)

    assert first.reused is False
    assert second.reused is True
    assert second.id == first.id


def test_get_sends_the_last_etag_and_returns_the_kept_analysis_on_304(
    gateway_url: str, sdk_partner: dict[str, str]
) -> None:
    recorder = Recorder()
    http = httpx.Client(event_hooks={"response": [recorder]}, timeout=30)
    with Dossier(sdk_partner["test_api_key"], gateway_url, http_client=http) as sdk:
        analysis_id = start(sdk)
        done = sdk.analyses.wait(analysis_id, timeout=90, poll_interval=0.2)
        path = f"/api/v1/analyses/{analysis_id}"
        polls_before = len(recorder.statuses(path))

        again = sdk.analyses.get(analysis_id)
        once_more = sdk.analyses.get(analysis_id)

    assert recorder.statuses(path)[polls_before:] == [304, 304]
    assert again == done
    assert once_more == done
    http.close()


# stream, resume -------------------------------------------------------------------------
@dataclass
class DroppingProxy:
    """A loopback TCP proxy to the gateway that cuts the first event stream right after its
    first event; later connections pass through. Records each connection's request head."""

    upstream: tuple[str, int]
    heads: list[bytes] = field(default_factory=list)
    port: int = 0
    _dropped: bool = False
    _server: socket.socket | None = None

    def start(self) -> None:
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.close()

    def _accept(self) -> None:
        assert self._server is not None
        while True:
            try:
                downstream, _ = self._server.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(downstream,), daemon=True).start()

    def _serve(self, downstream: socket.socket) -> None:
        upstream = socket.create_connection(self.upstream)
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = downstream.recv(65536)
            if not chunk:
                break
            head += chunk
        self.heads.append(head)
        upstream.sendall(head)
        threading.Thread(target=_pump, args=(downstream, upstream), daemon=True).start()
        drop = not self._dropped and b"/events" in head.split(b"\r\n", 1)[0]
        self._dropped = self._dropped or drop
        if not drop:
            _pump(upstream, downstream)
            return
        received = b""
        while (cut := _after_first_event(received)) is None:
            chunk = upstream.recv(65536)
            if not chunk:
                break
            received += chunk
        downstream.sendall(received[: cut or len(received)])
        for end in (downstream, upstream):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
            end.close()


def _pump(source: socket.socket, sink: socket.socket) -> None:
    with contextlib.suppress(OSError):
        while chunk := source.recv(65536):
            sink.sendall(chunk)
    with contextlib.suppress(OSError):
        sink.shutdown(socket.SHUT_WR)


def _after_first_event(received: bytes) -> int | None:
    """Where the first SSE message with an `id:` ends (after the HTTP head), if it arrived."""
    body_at = received.find(b"\r\n\r\n")
    first_id = received.find(b"id:", body_at + 4) if body_at >= 0 else -1
    if first_id < 0:
        return None
    ends = [i for sep in (b"\r\n\r\n", b"\n\n") if (i := received.find(sep, first_id)) >= 0]
    return min(ends) + 2 if ends else None


def test_stream_follows_to_completion_and_resumes_after_a_dropped_connection(
    gateway_url: str, sdk_partner: dict[str, str], client: Dossier
) -> None:
    analysis_id = start(client)
    gateway = httpx.URL(gateway_url)
    proxy = DroppingProxy((gateway.host, gateway.port or 80))
    proxy.start()
    try:
        with Dossier(sdk_partner["test_api_key"], f"http://127.0.0.1:{proxy.port}") as dropped:
            resumed = list(dropped.analyses.stream(analysis_id))
    finally:
        proxy.stop()
    uninterrupted = list(client.analyses.stream(analysis_id))

    stream_heads = [h for h in proxy.heads if b"/events" in h]
    assert len(stream_heads) == 2  # the dropped connection and the resumed one
    assert b"last-event-id: " in stream_heads[1].lower()
    assert [e.id for e in resumed] == [e.id for e in uninterrupted]  # nothing lost or repeated
    assert isinstance(resumed[0], StageChanged)
    assert isinstance(resumed[-1], AnalysisEnded)
    assert resumed[-1].analysis.status == "completed"


# list, find -----------------------------------------------------------------------------
def test_list_pages_through_every_analysis_and_find_returns_the_newest(
    gateway_url: str, sdk_partner: dict[str, str]
) -> None:
    recorder = Recorder()
    http = httpx.Client(event_hooks={"response": [recorder]}, timeout=30)
    client_id, candidate_id = ids()
    with Dossier(sdk_partner["test_api_key"], gateway_url, http_client=http) as sdk:
        started = [start(sdk, client_id) for _ in range(3)]
        newest_of_candidate = start(sdk, client_id, candidate_id)

        listed = [a.id for a in sdk.analyses.list(limit=2)]
        found = sdk.analyses.find(client_id=client_id, candidate_id=candidate_id)
        missing = sdk.analyses.find(client_id=client_id, candidate_id="cand_nobody")

    assert listed[:4] == [newest_of_candidate, *reversed(started)]  # newest first
    assert len(set(listed)) == len(listed)
    assert recorder.gets("/api/v1/analyses") - 2 >= len(listed) // 2  # pages of 2 (+ 2 finds)
    assert found is not None
    assert found.id == newest_of_candidate
    assert missing is None
    http.close()


# cancel ---------------------------------------------------------------------------------
def test_cancel_stops_a_running_analysis(
    gateway_url: str, sdk_partner: dict[str, str], providers: Providers
) -> None:
    providers.control(delay=1.0)  # live sources answer slowly, so the analysis is running
    try:
        with Dossier(sdk_partner["api_key"], gateway_url) as live:
            analysis_id = start(live)
            canceled = live.analyses.cancel(analysis_id)
            after = live.analyses.wait(analysis_id, timeout=30, poll_interval=0.2)
    finally:
        providers.control(delay=0)

    assert canceled.status == "canceled"
    assert after.status == "canceled"


# errors ---------------------------------------------------------------------------------
def test_errors_are_typed_and_carry_the_problem_and_request_id(
    gateway_url: str, client: Dossier, other_partner: dict[str, str]
) -> None:
    analysis_id = start(client)

    with (
        Dossier("dsk_test_not_a_key", gateway_url) as stranger,
        pytest.raises(AuthenticationError) as unauthenticated,
    ):
        stranger.me.get()
    with (
        Dossier(other_partner["test_api_key"], gateway_url) as other,
        pytest.raises(NotFoundError) as not_found,
    ):
        other.analyses.get(analysis_id)  # another partner's id
    with pytest.raises(ValidationError) as invalid:
        client.analyses.create(client={"id": "c1"}, candidate={"id": "x1"})

    for raised in (unauthenticated.value, not_found.value, invalid.value):
        assert raised.request_id
        assert raised.request_id.startswith("req_")
        assert raised.type.startswith("https://")
        assert raised.title
    assert unauthenticated.value.status == 401
    assert not_found.value.status == 404
    assert invalid.value.status == 422
    assert {e["field"] for e in invalid.value.errors} >= {"candidate.first_name"}


# account resources ----------------------------------------------------------------------
def test_me_keys_usage_and_audit(gateway_url: str, client: Dossier) -> None:
    me = client.me.get()
    minted = client.keys.create(name="sdk reader", scopes=["analyses:read"], environment="test")
    listed = [k.id for k in client.keys.list()]
    revoked = client.keys.revoke(minted.id)
    usage = client.usage.get(group_by="client")
    verification = client.audit.verify()
    trail = client.audit.export()
    export = client.exports.get()

    assert me.environment == "test"
    assert minted.key
    assert minted.id in listed
    assert revoked.revoked_at is not None
    with Dossier(minted.key, gateway_url) as revoked_key, pytest.raises(AuthenticationError):
        revoked_key.analyses.get("anything")
    assert usage.environment == "test"
    assert verification.valid is True
    assert trail.splitlines()[0].startswith("seq,")
    assert "key.created" in trail
    assert export.model_dump()


# webhooks -------------------------------------------------------------------------------
async def test_webhooks_are_managed_and_a_real_delivery_verifies(
    gateway_url: str, sdk_partner: dict[str, str]
) -> None:
    async with (
        listening() as receiver,
        AsyncDossier(sdk_partner["test_api_key"], gateway_url) as sdk,
    ):
        path = f"/sdk-{secrets.token_hex(4)}"
        created = await sdk.webhooks.create(url=receiver.url(path), events=["analysis.completed"])
        try:
            updated = await sdk.webhooks.update(created.id, events=["analysis.completed"])
            started = await sdk.analyses.create(
                client={"id": ids()[0]}, candidate=candidate(ids()[1])
            )
            done = await sdk.analyses.wait(started.id, timeout=90, poll_interval=0.2)
            queued = await sdk.webhooks.test(created.id)

            async def both() -> list[Any] | None:
                ours = [
                    d
                    for d in receiver.to(path)
                    if d.event["type"] == "webhook.test"
                    or d.event["data"]["analysis"]["id"] == started.id
                ]
                return ours if len(ours) >= 2 else None

            deliveries = await eventually(both, timeout=30)
            attempts = await eventually(lambda: sdk.webhooks.deliveries(created.id), timeout=30)
            listed = [w.id for w in await sdk.webhooks.list()]
            rotated = await sdk.webhooks.rotate_secret(created.id)
        finally:
            await sdk.webhooks.delete(created.id)
        with pytest.raises(NotFoundError):
            await sdk.webhooks.get(created.id)

    events = [webhooks.verify(d.body, d.headers, created.secret) for d in deliveries]
    completion = next(d for d in deliveries if d.event["type"] == "analysis.completed")
    assert updated.id == created.id
    assert created.id in listed
    assert rotated.secret != created.secret
    assert attempts
    assert {e["type"] for e in events} == {"analysis.completed", "webhook.test"}
    assert next(e for e in events if e["type"] == "webhook.test")["id"] == queued.event_id
    assert done.status == "completed"
    with pytest.raises(WebhookVerificationError):
        webhooks.verify(
            completion.body.replace(b"completed", b"failed"), completion.headers, created.secret
        )
    with pytest.raises(WebhookVerificationError, match="tolerance"):
        webhooks.verify(completion.body, completion.headers, created.secret, now=time.time() + 600)


# widget sessions (POST /api/v1/widget-sessions lands with the report button) ----------------
def test_widget_session_is_a_short_lived_token_for_one_candidate(client: Dossier) -> None:
    client_id, candidate_id = ids()

    session = client.widget_sessions.create(client_id=client_id, candidate_id=candidate_id)

    assert session.token.startswith("wt_")
    assert session.expires_at


async def test_the_async_client_runs_the_same_flow(
    gateway_url: str, sdk_partner: dict[str, str]
) -> None:
    async with AsyncDossier(sdk_partner["test_api_key"], gateway_url) as sdk:
        client_id, candidate_id = ids()
        started = await sdk.analyses.create(
            client={"id": client_id}, candidate=candidate(candidate_id)
        )
        events = [e async for e in sdk.analyses.stream(started.id)]
        found = await sdk.analyses.find(client_id=client_id, candidate_id=candidate_id)
        pdf = await sdk.reports.pdf(started.id)
        listed = [a.id async for a in sdk.analyses.list(status="completed", limit=100)]
        erased = await sdk.candidates.erase(candidate_id, client_id=client_id)
        with pytest.raises(NotFoundError):
            await sdk.analyses.get(started.id)

    assert isinstance(events[-1], AnalysisEnded)
    assert events[-1].type == "completed"
    assert found is not None
    assert found.id == started.id
    assert pdf.startswith(b"%PDF")
    assert listed[0] == started.id
    assert erased.analyses == 1
