"""Live progress: the SSE event stream (to completion, resume), ETag/304 polls, completion estimates."""

import asyncio
import json
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import Providers, eventually
from tests.e2e.helpers import TERMINAL, analysis_body, wait_terminal

STAGES = ["identity", "enrichment", "report", "done"]


@dataclass
class Message:
    """One SSE message as a client parses it."""

    id: str | None = None
    event: str | None = None
    data: list[str] = field(default_factory=list)
    retry: int | None = None
    comments: list[str] = field(default_factory=list)

    @property
    def payload(self) -> dict[str, Any]:
        decoded: dict[str, Any] = json.loads("\n".join(self.data))
        return decoded


@dataclass
class Stream:
    status: int
    content_type: str
    messages: list[Message]
    closed_by_server: bool

    @property
    def events(self) -> list[Message]:
        return [m for m in self.messages if m.data]


async def read_stream(
    client: httpx.AsyncClient,
    analysis_id: str,
    *,
    last_event_id: str | None = None,
    query: str = "",
    stop_after: int | None = None,
    timeout: float = 120,
) -> Stream:
    """Read the event stream until the server closes it, or until `stop_after` events."""
    headers = {"Last-Event-ID": last_event_id} if last_event_id is not None else {}
    messages: list[Message] = []

    async def consume(response: httpx.Response) -> bool:
        current = Message()
        async for line in response.aiter_lines():
            if line == "":
                if current != Message():
                    messages.append(current)
                    if stop_after is not None and sum(bool(m.data) for m in messages) >= stop_after:
                        return False
                current = Message()
            elif line.startswith(":"):
                current.comments.append(line[1:].strip())
            else:
                name, _, value = line.partition(":")
                value = value.removeprefix(" ")
                if name == "data":
                    current.data.append(value)
                elif name == "id":
                    current.id = value
                elif name == "event":
                    current.event = value
                elif name == "retry":
                    current.retry = int(value)
        return True

    async with client.stream(
        "GET", f"/api/v1/analyses/{analysis_id}/events{query}", headers=headers
    ) as response:
        if response.status_code != 200:
            await response.aread()
            return Stream(response.status_code, response.headers["content-type"], [], True)
        closed = await asyncio.wait_for(consume(response), timeout)
        return Stream(response.status_code, response.headers["content-type"], messages, closed)


@pytest.fixture
def slow_providers(providers: Providers) -> Iterator[Providers]:
    """Every provider call takes a second: slow enough to watch an analysis run."""
    providers.control(delay=1.0)
    try:
        yield providers
    finally:
        providers.control(delay=0)


def unique_body() -> dict[str, Any]:
    """A new candidate whose name no cached source answer knows."""
    return analysis_body(last_name=f"Doe{secrets.token_hex(4)}")


async def create(api: httpx.AsyncClient) -> str:
    response = await api.post("/api/v1/analyses", json=unique_body())
    assert response.status_code == 202, response.text
    analysis_id: str = response.json()["id"]
    return analysis_id


def ids(stream: Stream) -> list[str | None]:
    return [m.id for m in stream.events]


# the event stream ------------------------------------------------------------------------


async def test_stream_follows_a_new_analysis_through_every_stage_to_its_report(
    api: httpx.AsyncClient, slow_providers: Providers
) -> None:
    analysis_id = await create(api)

    stream = await read_stream(api, analysis_id)

    assert stream.status == 200
    assert stream.content_type.startswith("text/event-stream")
    assert stream.closed_by_server
    assert stream.messages[0].retry is not None
    kinds = [m.event for m in stream.events]
    stages = [m.payload["stage"] for m in stream.events if m.event == "stage"]
    assert stages == STAGES
    assert "quick_signal" in kinds
    assert kinds.count("signal") >= 1
    assert kinds[-1] == "completed"
    final = stream.events[-1].payload["analysis"]
    assert final["status"] == "completed"
    assert final["report"]["candidateName"].startswith("John Doe")
    assert final["metadata"]["pdf_download_url"].startswith("http")
    signals = [m.payload["signal"] for m in stream.events if m.event == "signal"]
    assert [s["id"] for s in signals] == [s["id"] for s in final["signals"]]


async def test_every_event_carries_an_id_that_matches_its_payload(
    api: httpx.AsyncClient,
) -> None:
    analysis_id = await create(api)
    await wait_terminal(api, analysis_id)

    stream = await read_stream(api, analysis_id)

    assert all(m.id is not None and m.id == m.payload["id"] for m in stream.events)
    assert len(set(ids(stream))) == len(stream.events)
    assert {m.payload["analysis_id"] for m in stream.events} == {analysis_id}


async def test_resume_with_last_event_id_gets_exactly_the_remaining_events(
    api: httpx.AsyncClient, slow_providers: Providers
) -> None:
    analysis_id = await create(api)

    first = await read_stream(api, analysis_id, stop_after=3)
    rest = await read_stream(api, analysis_id, last_event_id=first.events[-1].id)
    full = await read_stream(api, analysis_id)

    assert not first.closed_by_server, "the analysis was still running when we disconnected"
    assert rest.closed_by_server
    assert ids(first) + ids(rest) == ids(full)
    seen = [(m.event, m.payload.get("stage"), m.payload.get("signal")) for m in first.events]
    resumed = [(m.event, m.payload.get("stage"), m.payload.get("signal")) for m in rest.events]
    whole = [(m.event, m.payload.get("stage"), m.payload.get("signal")) for m in full.events]
    assert seen + resumed == whole


async def open_streams(gateway_url: str) -> float:
    async with httpx.AsyncClient(base_url=gateway_url) as client:
        text = (await client.get("/metrics")).text
    values = [
        float(line.split()[-1])
        for line in text.splitlines()
        if line.startswith("dossier_event_streams_open ")
    ]
    assert values, "the gateway exports dossier_event_streams_open"
    return values[0]


async def test_a_client_that_disconnects_mid_stream_releases_it_on_the_server(
    api: httpx.AsyncClient, gateway_url: str, slow_providers: Providers
) -> None:
    slow_providers.control(delay=3.0)  # the analysis outlives the check below
    analysis_id = await create(api)

    first = await read_stream(api, analysis_id, stop_after=1)
    await eventually(lambda: _no_open_streams(gateway_url), timeout=10, every=0.1)
    still = (await api.get(f"/api/v1/analyses/{analysis_id}")).json()

    assert not first.closed_by_server
    assert still["status"] not in TERMINAL, "released by the disconnect, not by the end"


async def _no_open_streams(gateway_url: str) -> bool:
    return await open_streams(gateway_url) == 0


async def test_resume_from_any_event_of_a_finished_analysis_yields_exactly_the_rest(
    api: httpx.AsyncClient,
) -> None:
    analysis_id = await create(api)
    await wait_terminal(api, analysis_id)
    full = await read_stream(api, analysis_id)

    for position, seen in enumerate(full.events):
        rest = await read_stream(api, analysis_id, last_event_id=seen.id)
        assert ids(rest) == ids(full)[position + 1 :]


async def test_resume_point_may_be_given_as_a_query_parameter(api: httpx.AsyncClient) -> None:
    analysis_id = await create(api)
    await wait_terminal(api, analysis_id)
    full = await read_stream(api, analysis_id)

    rest = await read_stream(api, analysis_id, query=f"?last_event_id={full.events[2].id}")

    assert ids(rest) == ids(full)[3:]


async def test_stream_of_a_finished_analysis_replays_everything_and_closes(
    api: httpx.AsyncClient,
) -> None:
    analysis_id = await create(api)
    done = await wait_terminal(api, analysis_id)

    stream = await read_stream(api, analysis_id, timeout=15)

    assert stream.closed_by_server
    assert [m.payload["stage"] for m in stream.events if m.event == "stage"] == STAGES
    assert sum(m.event == "signal" for m in stream.events) == len(done["signals"])
    assert stream.events[-1].event == done["status"]


async def test_stream_of_a_canceled_analysis_ends_with_canceled(api: httpx.AsyncClient) -> None:
    analysis_id = await create(api)
    await api.delete(f"/api/v1/analyses/{analysis_id}")

    stream = await read_stream(api, analysis_id, timeout=15)

    assert stream.closed_by_server
    assert stream.events[-1].event == "canceled"
    assert stream.events[-1].payload["analysis"]["status"] == "canceled"
    assert "completed" not in [m.event for m in stream.events]


async def test_stream_of_another_partners_analysis_is_404(
    api: httpx.AsyncClient, gateway_url: str, other_partner: dict[str, str]
) -> None:
    analysis_id = await create(api)
    async with httpx.AsyncClient(
        base_url=gateway_url, headers={"X-API-Key": other_partner["api_key"]}
    ) as other:
        stream = await read_stream(other, analysis_id)

    assert stream.status == 404
    assert stream.content_type == "application/problem+json"


async def test_stream_of_a_live_analysis_with_a_sandbox_key_is_404(
    api: httpx.AsyncClient, gateway_url: str, partner: dict[str, str]
) -> None:
    analysis_id = await create(api)
    async with httpx.AsyncClient(
        base_url=gateway_url, headers={"X-API-Key": partner["test_api_key"]}
    ) as sandbox:
        stream = await read_stream(sandbox, analysis_id)

    assert stream.status == 404


async def test_foreign_last_event_id_is_a_400_problem(api: httpx.AsyncClient) -> None:
    analysis_id = await create(api)

    stream = await read_stream(api, analysis_id, last_event_id="not-an-id")

    assert stream.status == 400
    assert stream.content_type == "application/problem+json"


# conditional polls --------------------------------------------------------------------


async def test_unchanged_completed_analysis_keeps_its_etag_and_answers_304(
    api: httpx.AsyncClient,
) -> None:
    analysis_id = await create(api)
    await wait_terminal(api, analysis_id)

    first = await api.get(f"/api/v1/analyses/{analysis_id}")
    second = await api.get(f"/api/v1/analyses/{analysis_id}")
    conditional = await api.get(
        f"/api/v1/analyses/{analysis_id}", headers={"If-None-Match": first.headers["ETag"]}
    )

    assert first.json()["metadata"]["pdf_download_url"]
    assert first.headers["ETag"] == second.headers["ETag"]
    assert conditional.status_code == 304
    assert conditional.content == b""
    assert conditional.headers["ETag"] == first.headers["ETag"]
    assert "Retry-After" not in conditional.headers
    assert "X-RateLimit-Remaining" in conditional.headers


async def test_weak_and_listed_validators_also_match(api: httpx.AsyncClient) -> None:
    analysis_id = await create(api)
    await wait_terminal(api, analysis_id)
    etag = (await api.get(f"/api/v1/analyses/{analysis_id}")).headers["ETag"]

    weak = await api.get(f"/api/v1/analyses/{analysis_id}", headers={"If-None-Match": f"W/{etag}"})
    listed = await api.get(
        f"/api/v1/analyses/{analysis_id}", headers={"If-None-Match": f'"stale", {etag}'}
    )
    stale = await api.get(f"/api/v1/analyses/{analysis_id}", headers={"If-None-Match": '"stale"'})

    assert weak.status_code == 304
    assert listed.status_code == 304
    assert stale.status_code == 200
    assert stale.json()["id"] == analysis_id


async def test_etag_changes_as_a_running_analysis_progresses(
    api: httpx.AsyncClient, slow_providers: Providers
) -> None:
    analysis_id = await create(api)
    etag: str | None = None
    changes = 0
    not_modified: list[httpx.Response] = []

    async def poll() -> bool:
        nonlocal etag, changes
        headers = {"If-None-Match": etag} if etag else {}
        response = await api.get(f"/api/v1/analyses/{analysis_id}", headers=headers)
        if response.status_code == 304:
            not_modified.append(response)
            return False
        assert response.status_code == 200
        assert response.headers["ETag"] != etag
        etag, changes = response.headers["ETag"], changes + 1
        return response.json()["status"] in TERMINAL

    await eventually(poll, timeout=120, every=0.1)

    assert changes >= 3, "queued/processing, signals and completion each change the resource"
    assert not_modified, "polling faster than the pipeline moves must meet unchanged states"
    running = [r for r in not_modified if "Retry-After" in r.headers]
    assert running, "a 304 of a running analysis keeps Retry-After"


# completion estimates -----------------------------------------------------------------


async def test_running_analysis_has_a_completion_estimate_and_a_finished_one_none(
    api: httpx.AsyncClient, slow_providers: Providers
) -> None:
    analysis_id = await create(api)

    async def running_with_stage() -> dict[str, Any] | None:
        body: dict[str, Any] = (await api.get(f"/api/v1/analyses/{analysis_id}")).json()
        return body if body["status"] == "processing" and body["stage"] else None

    running = await eventually(running_with_stage, timeout=60, every=0.1)
    done = await wait_terminal(api, analysis_id)

    estimate = datetime.fromisoformat(running["estimated_completion_at"].replace("Z", "+00:00"))
    now = datetime.now(UTC)
    assert now - timedelta(seconds=5) <= estimate <= now + timedelta(minutes=10)
    assert done["estimated_completion_at"] is None


async def test_queued_or_fresh_analysis_is_estimated_in_the_future(
    api: httpx.AsyncClient, slow_providers: Providers
) -> None:
    analysis_id = await create(api)

    body = (await api.get(f"/api/v1/analyses/{analysis_id}")).json()

    assert body["status"] in {"queued", "processing"}
    created = datetime.fromisoformat(body["created_at"].replace("Z", "+00:00"))
    estimate = datetime.fromisoformat(body["estimated_completion_at"].replace("Z", "+00:00"))
    assert estimate > created
