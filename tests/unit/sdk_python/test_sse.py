"""The SDK's Server-Sent Events decoder."""

from dossier_client._operations import progress_event
from dossier_client._sse import SseMessage, iter_messages
from dossier_client.models import AnalysisEnded, StageChanged


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
