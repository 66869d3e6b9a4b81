"""Progress events derived from the analysis state: canonical order, resume, ETag, the stream."""

import itertools
import json
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.sse import ServerSentEvent
from prometheus_client import REGISTRY

from dossier.contracts.api import Analysis
from dossier.gateway.analyses.etag import none_match_hits, parse_if_none_match, resource_etag
from dossier.gateway.analyses.progress import (
    InvalidEventIdError,
    events_after,
    parse_event_id,
    progress_events,
)
from dossier.gateway.analyses.stream import KEEPALIVE, StreamTiming, progress_stream

T0 = datetime(2026, 6, 29, 12, 0, 0, tzinfo=UTC)
QUICK = {"level": "Green", "reason": "Identity matches.", "identityConfidence": "High"}


def signal(n: int) -> dict[str, Any]:
    return {
        "id": f"sig_{n}",
        "statement": f"Finding {n}.",
        "sourceType": "web",
        "sourceUrl": None,
        "reliability": "High",
    }


def analysis(
    status: str = "processing",
    stage: str | None = None,
    *,
    quick: bool = False,
    signals: int = 0,
    **extra: Any,
) -> Analysis:
    return Analysis.model_validate(
        {
            "id": "an_1",
            "status": status,
            "candidate_id": "cand_1",
            "stage": stage,
            "created_at": T0,
            "updated_at": T0,
            "quick_signal": QUICK if quick else None,
            "signals": [signal(n) for n in range(signals)],
            **extra,
        }
    )


def completed(signals: int = 3) -> Analysis:
    return analysis(
        "completed",
        "done",
        quick=True,
        signals=signals,
        metadata={
            "report_id": "an_1",
            "candidate_id": "cand_1",
            "language": "en",
            "generated_at": T0,
            "pdf_download_url": "https://x.test/api/v1/reports/an_1/pdf?expires=1&sig=abc",
        },
        billing={"charged": True, "credits_used": 1},
    )


#: The life of one analysis, as successive polls of the read model see it.
HISTORY = [
    analysis("queued"),
    analysis("processing", "identity"),
    analysis("processing", "identity", quick=True),
    analysis("processing", "enrichment", quick=True),
    analysis("processing", "enrichment", quick=True, signals=1),
    analysis("processing", "enrichment", quick=True, signals=3),
    analysis("processing", "report", quick=True, signals=3),
    completed(3),
]


def ids(a: Analysis) -> list[str]:
    return [e.id for e in progress_events(a)]


# canonical order ------------------------------------------------------------------------


def test_a_queued_analysis_has_no_events_yet() -> None:
    assert progress_events(analysis("queued")) == []


def test_completed_analysis_events_follow_the_pipeline_order() -> None:
    events = progress_events(completed(2))

    assert [(e.type, e.id) for e in events] == [
        ("stage", "1.0"),
        ("quick_signal", "1.1"),
        ("stage", "2.0"),
        ("signal", "2.1"),
        ("signal", "2.2"),
        ("stage", "3.0"),
        ("stage", "4.0"),
        ("completed", "5.0"),
    ]


def test_stage_events_name_each_stage_in_order() -> None:
    stages = [getattr(e.payload, "stage", None) for e in progress_events(completed(0))]

    assert [s.value for s in stages if s is not None] == [
        "identity",
        "enrichment",
        "report",
        "done",
    ]


def test_signal_events_keep_the_resource_order_and_index() -> None:
    events = [e.payload for e in progress_events(completed(3)) if e.type == "signal"]

    assert [(getattr(e, "index", None), getattr(e, "signal", None)) for e in events] == [
        (n, Analysis.model_validate(completed(3)).signals[n]) for n in range(3)
    ]


def test_completed_event_carries_the_whole_resource() -> None:
    last = progress_events(completed())[-1].payload

    assert getattr(last, "analysis", None) == completed()


@pytest.mark.parametrize("status", ["failed", "canceled"])
def test_failed_or_canceled_ends_with_that_outcome_and_no_done_stage(status: str) -> None:
    ended = analysis(status, "enrichment", quick=True, signals=1)

    assert [e.type for e in progress_events(ended)] == [
        "stage",
        "quick_signal",
        "stage",
        "signal",
        status,
    ]


def test_canceled_while_queued_has_only_the_outcome() -> None:
    assert ids(analysis("canceled")) == ["5.0"]


def test_each_state_events_extend_the_previous_state_events() -> None:
    for earlier, later in itertools.pairwise(HISTORY):
        before, after = ids(earlier), ids(later)
        assert after[: len(before)] == before, (before, after)


def test_event_ids_are_unique_and_increasing() -> None:
    keys = [e.key for e in progress_events(completed(12))]

    assert keys == sorted(set(keys))


def test_event_payload_id_matches_the_sse_id() -> None:
    for event in progress_events(completed()):
        assert event.payload.id == event.id
        assert event.payload.analysis_id == "an_1"


def test_payloads_serialize_camel_case_inside_signals_and_snake_case_outside() -> None:
    quick, signal_event = (
        json.loads(e.payload.model_dump_json())
        for e in progress_events(completed(1))
        if e.type in {"quick_signal", "signal"}
    )

    assert quick["quick_signal"]["identityConfidence"] == "High"
    assert signal_event["signal"]["sourceType"] == "web"
    assert signal_event["analysis_id"] == "an_1"


# resume -------------------------------------------------------------------------------


def test_resume_from_every_event_of_the_final_state_yields_exactly_the_rest() -> None:
    final = progress_events(completed(5))
    for position, seen in enumerate(final):
        rest = events_after(completed(5), parse_event_id(seen.id))
        assert [e.id for e in rest] == [e.id for e in final[position + 1 :]]


def test_resume_from_an_event_seen_while_running_continues_without_gaps_or_repeats() -> None:
    for state_index, state in enumerate(HISTORY):
        for seen in progress_events(state):
            streamed = [e.id for e in progress_events(state) if e.key <= seen.key]
            for later in HISTORY[state_index:]:
                rest = [e.id for e in events_after(later, seen.key)]
                assert streamed + rest == ids(later)


def test_no_cursor_means_everything() -> None:
    assert [e.id for e in events_after(completed(), None)] == ids(completed())


def test_resume_after_the_outcome_yields_nothing() -> None:
    assert events_after(completed(), parse_event_id("5.0")) == []


def test_resume_from_an_id_ahead_of_the_state_waits_for_later_events() -> None:
    running = analysis("processing", "enrichment", quick=True, signals=2)

    assert [e.id for e in events_after(running, parse_event_id("2.4"))] == []
    assert [e.id for e in events_after(completed(5), parse_event_id("2.4"))] == [
        "2.5",
        "3.0",
        "4.0",
        "5.0",
    ]


@pytest.mark.parametrize(("raw", "key"), [("1.0", (1, 0)), ("2.17", (2, 17)), (" 5.0 ", (5, 0))])
def test_parse_event_id(raw: str, key: tuple[int, int]) -> None:
    assert parse_event_id(raw) == key


@pytest.mark.parametrize("raw", ["", "2", "2.", ".3", "a.b", "2.3.4", "-1.0", "2,3", "1e3.0"])
def test_foreign_event_ids_are_refused(raw: str) -> None:
    with pytest.raises(InvalidEventIdError):
        parse_event_id(raw)


# ETag ---------------------------------------------------------------------------------


def test_etag_is_a_quoted_strong_tag() -> None:
    tag = resource_etag(completed())

    assert tag.startswith('"')
    assert tag.endswith('"')
    assert not tag.startswith("W/")


def test_etag_is_stable_for_the_same_state() -> None:
    assert resource_etag(completed()) == resource_etag(completed())


def test_etag_ignores_the_freshly_signed_pdf_link() -> None:
    again = completed()
    assert again.metadata is not None
    again.metadata.pdf_download_url = "https://x.test/api/v1/reports/an_1/pdf?expires=2&sig=def"

    assert resource_etag(again) == resource_etag(completed())


def test_etag_changes_with_every_step_of_progress() -> None:
    tags = [resource_etag(state) for state in HISTORY]

    assert len(set(tags)) == len(tags)


def test_etag_changes_with_the_completion_estimate() -> None:
    running = analysis("processing", "identity")
    later = running.model_copy(update={"estimated_completion_at": T0 + timedelta(seconds=30)})

    assert resource_etag(running) != resource_etag(later)


def test_etag_changes_with_billing() -> None:
    free = completed().model_copy(update={"billing": None})

    assert resource_etag(free) != resource_etag(completed())


# If-None-Match ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "tags"),
    [
        ('"abc"', ["abc"]),
        ('W/"abc"', ["abc"]),
        ('"a", W/"b" ,"c"', ["a", "b", "c"]),
        ('"a",,"b"', ["a", "b"]),
        ('""', [""]),
        ("*", None),
        (" * ", None),
        ("abc", []),
        ('"a", junk, "b"', ["a"]),
        ('"unterminated', []),
    ],
)
def test_parse_if_none_match(header: str, tags: list[str] | None) -> None:
    assert parse_if_none_match(header) == tags


def test_if_none_match_hits_the_current_tag() -> None:
    assert none_match_hits('"abc"', '"abc"')


def test_if_none_match_uses_weak_comparison() -> None:
    assert none_match_hits('W/"abc"', '"abc"')


def test_if_none_match_hits_any_member_of_a_list() -> None:
    assert none_match_hits('"old", "abc"', '"abc"')


def test_if_none_match_star_hits_any_representation() -> None:
    assert none_match_hits("*", '"abc"')


@pytest.mark.parametrize("header", [None, "", '"other"', "abc", '"ab"', 'W/"abcd"'])
def test_if_none_match_misses(header: str | None) -> None:
    assert not none_match_hits(header, '"abc"')


# the stream loop ----------------------------------------------------------------------


class FakeTime:
    """A clock that only moves when the stream sleeps."""

    def __init__(self) -> None:
        self.now = 0.0

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


def scripted(states: Sequence[Analysis | None]) -> Callable[[], Awaitable[Analysis | None]]:
    """Each read returns the next state; the last one repeats."""
    remaining = list(states)

    async def load() -> Analysis | None:
        return remaining.pop(0) if len(remaining) > 1 else remaining[0]

    return load


async def collect(
    states: Sequence[Analysis | None],
    *,
    after: tuple[int, int] | None = None,
    timing: StreamTiming | None = None,
    limit: int = 10_000,
) -> list[ServerSentEvent]:
    time = FakeTime()
    messages = []
    async for message in progress_stream(
        scripted(states),
        after=after,
        timing=timing or StreamTiming(),
        clock=time.clock,
        sleep=time.sleep,
    ):
        messages.append(message)
        if len(messages) >= limit:
            break
    return messages


def event_ids(messages: list[ServerSentEvent]) -> list[str]:
    return [m.id for m in messages if m.id is not None]


async def test_stream_opens_with_a_retry_hint() -> None:
    messages = await collect([completed()], timing=StreamTiming(retry_ms=2500))

    assert messages[0].retry == 2500
    assert messages[0].data is None


async def test_stream_of_a_running_analysis_sends_each_event_once_and_closes_at_the_end() -> None:
    messages = await collect(HISTORY)

    assert event_ids(messages) == ids(completed(3))
    assert messages[-1].event == "completed"


async def test_stream_names_each_event_by_its_type() -> None:
    messages = await collect([completed(1)])

    assert [m.event for m in messages if m.id] == [
        "stage",
        "quick_signal",
        "stage",
        "signal",
        "stage",
        "stage",
        "completed",
    ]


async def test_stream_resumes_after_the_given_event() -> None:
    messages = await collect(HISTORY, after=(2, 1))

    assert event_ids(messages) == ["2.2", "2.3", "3.0", "4.0", "5.0"]


async def test_stream_sends_keepalives_while_nothing_happens() -> None:
    running = analysis("processing", "enrichment")
    timing = StreamTiming(poll_seconds=1, heartbeat_seconds=5, max_seconds=21)

    messages = await collect([running], timing=timing)

    keepalives = [m for m in messages if m.comment == KEEPALIVE]
    assert len(keepalives) == 4  # at 5, 10, 15 and 20 seconds of silence


async def test_stream_closes_after_its_maximum_duration() -> None:
    running = analysis("processing", "enrichment")
    timing = StreamTiming(poll_seconds=0.5, heartbeat_seconds=100, max_seconds=10)

    messages = await collect([running], timing=timing, limit=1000)

    assert len(messages) < 1000
    assert messages[-1].event == "stage"


async def test_stream_closes_when_the_analysis_disappears() -> None:
    messages = await collect([analysis("processing", "identity"), None])

    assert event_ids(messages) == ["1.0"]


async def test_stream_for_a_finished_analysis_resumed_after_its_outcome_is_empty() -> None:
    messages = await collect([completed()], after=(5, 0))

    assert event_ids(messages) == []


def open_streams() -> float | None:
    return REGISTRY.get_sample_value("dossier_event_streams_open")


async def test_stream_is_counted_while_open_and_released_when_it_ends() -> None:
    before = open_streams()
    stream = progress_stream(
        scripted([analysis("processing", "identity")]), after=None, timing=StreamTiming()
    )

    await anext(stream)
    during = open_streams()
    await stream.aclose()  # what the server does when the client goes away

    assert before is not None
    assert during == before + 1
    assert open_streams() == before


async def test_finished_stream_releases_its_count() -> None:
    before = open_streams()

    await collect([completed()])

    assert open_streams() == before


def test_a_report_rewritten_after_feedback_adds_one_updated_event_after_the_outcome() -> None:
    rewritten = completed().model_copy(update={"revision": 2})

    events = progress_events(rewritten)

    assert [e.type for e in events[-2:]] == ["completed", "analysis.updated"]
    assert events[-1].id == "6.2"
    assert [e.type for e in events_after(rewritten, parse_event_id("5.0"))] == ["analysis.updated"]
    assert events_after(rewritten, parse_event_id("6.2")) == []


def test_a_report_being_rewritten_has_no_outcome_event_yet() -> None:
    rewriting = analysis("processing", "report", quick=True, signals=2, revision=0)

    assert "completed" not in [e.type for e in progress_events(rewriting)]
