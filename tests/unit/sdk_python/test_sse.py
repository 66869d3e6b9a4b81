"""The SDK's Server-Sent Events decoder."""

import pytest
from dossier_client import APIConnectionError, Dossier
from dossier_client._operations import progress_event
from dossier_client._sse import SseMessage, iter_messages
from dossier_client.models import AnalysisEnded, StageChanged

from tests.unit.sdk_python.scripted_server import Answer, scripted


def test_messages_are_split_on_blank_lines_with_id_event_and_retry() -> None:
    lines = [
        "retry: 3000",
        "",
        ": keepalive",
        "id: 0.1",
        "event: stage",
        'data: {"a":',
        "data: 1}",
        "",
        "",
    ]

    assert list(iter_messages(lines)) == [
        SseMessage(None, "", None, 3000),
        SseMessage("stage", '{"a":\n1}', "0.1", None),
    ]


def test_an_unfinished_message_is_not_dispatched() -> None:
    assert list(iter_messages(["id: 0.2", "data: {}"])) == []


def test_event_data_becomes_its_model() -> None:
    stage = progress_event(
        '{"id": "0.1", "analysis_id": "a", "type": "stage", "stage": "identity"}'
    )
    ended = progress_event(
        '{"id": "9.0", "analysis_id": "a", "type": "canceled", "analysis": '
        '{"id": "a", "status": "canceled", "candidate_id": "c", "created_at": "2026-12-07"}}'
    )
    unknown = progress_event('{"type": "something.new", "x": 1}')

    assert isinstance(stage, StageChanged)
    assert isinstance(ended, AnalysisEnded)
    assert unknown.model_dump() == {"type": "something.new", "x": 1}


STAGE = '{"id": "0.1", "analysis_id": "a", "type": "stage", "stage": "identity"}'
ENDED = (
    '{"id": "9.0", "analysis_id": "a", "type": "completed", "analysis": '
    '{"id": "a", "status": "completed", "candidate_id": "c", "created_at": "2026-12-07"}}'
)


def sse(*events: tuple[str, str]) -> bytes:
    return ("retry: 3000\n\n" + "".join(f"id: {i}\ndata: {d}\n\n" for i, d in events)).encode()


def recording_client(url: str) -> tuple[Dossier, list[float]]:
    client = Dossier(api_key="dsk_test_x", base_url=url)
    slept: list[float] = []
    client._transport.sleep = slept.append
    return client, slept


def test_a_stream_answered_503_is_opened_again_after_retry_after() -> None:
    with scripted(
        Answer(503, b'{"title": "Unavailable", "status": 503}', {"Retry-After": "1"}),
        Answer(200, sse(("0.1", STAGE), ("9.0", ENDED)), content_type="text/event-stream"),
    ) as server:
        client, slept = recording_client(server.url)

        events = list(client.analyses.stream("a"))

    assert [e.type for e in events] == ["stage", "completed"]  # type: ignore[union-attr]
    assert len(server.seen) == 2
    assert slept == [1.0]


def test_a_stream_resumes_from_the_last_event_when_closed_before_the_outcome() -> None:
    with scripted(
        Answer(200, sse(("0.1", STAGE)), content_type="text/event-stream"),
        Answer(200, sse(("9.0", ENDED)), content_type="text/event-stream"),
    ) as server:
        client, slept = recording_client(server.url)

        events = list(client.analyses.stream("a"))

    assert [e.type for e in events] == ["stage", "completed"]  # type: ignore[union-attr]
    assert "last-event-id" not in server.seen[0].headers
    assert server.seen[1].headers["last-event-id"] == "0.1"
    assert slept == [3.0]  # the server's `retry:` hint


def test_a_stream_that_keeps_closing_without_events_gives_up() -> None:
    with scripted(Answer(200, b"retry: 10\n\n", content_type="text/event-stream")) as server:
        client, _ = recording_client(server.url)

        with pytest.raises(APIConnectionError):
            list(client.analyses.stream("a"))

    assert len(server.seen) == 3 + 1  # the first try and max(max_retries, 3) more
