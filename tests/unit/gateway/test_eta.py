"""Completion estimates from recent stage durations."""

from datetime import UTC, datetime, timedelta

import pytest

from dossier.contracts.enums import Stage
from dossier.gateway.analyses.eta import (
    DEFAULT_PHASE_SECONDS,
    PHASES,
    Timeline,
    estimate_completion,
    round_up,
    typical_durations,
)

T0 = datetime(2026, 6, 29, 12, 0, 0, tzinfo=UTC)
DURATIONS = {"queued": 1.0, "identity": 4.0, "enrichment": 20.0, "report": 5.0}


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def timeline(queue: float, identity: float, enrichment: float, report: float) -> Timeline:
    return Timeline(
        created_at=T0,
        identity_started_at=at(queue),
        enrichment_started_at=at(queue + identity),
        report_started_at=at(queue + identity + enrichment),
        finished_at=at(queue + identity + enrichment + report),
    )


# timelines and typical durations ----------------------------------------------------------


def test_timeline_measures_each_phase_between_its_boundaries() -> None:
    assert timeline(1, 2, 3, 4).phase_durations() == {
        "queued": 1.0,
        "identity": 2.0,
        "enrichment": 3.0,
        "report": 4.0,
    }


def test_timeline_skips_phases_with_an_unknown_boundary() -> None:
    partial = Timeline(created_at=T0, identity_started_at=at(1), report_started_at=at(9))

    assert partial.phase_durations() == {"queued": 1.0}


def test_timeline_drops_negative_durations_from_clock_skew() -> None:
    skewed = Timeline(created_at=T0, identity_started_at=at(-0.5), enrichment_started_at=at(3))

    assert skewed.phase_durations() == {"identity": 3.5}


def test_typical_durations_are_medians_not_means() -> None:
    history = [timeline(1, 2, 10, 3), timeline(1, 2, 12, 3), timeline(1, 2, 500, 3)]

    typical = typical_durations(history)

    assert typical["enrichment"] == 12.0


def test_typical_durations_of_an_even_sample_average_the_middle_two() -> None:
    history = [timeline(1, 2, e, 3) for e in (10, 12, 14, 100)]

    assert typical_durations(history)["enrichment"] == 13.0


def test_without_history_every_phase_has_its_builtin_default() -> None:
    assert typical_durations([]) == dict(DEFAULT_PHASE_SECONDS)


def test_configured_defaults_override_builtin_ones_per_phase() -> None:
    typical = typical_durations([], {"enrichment": 45.0})

    assert typical["enrichment"] == 45.0
    assert typical["identity"] == DEFAULT_PHASE_SECONDS["identity"]


def test_too_little_history_for_a_phase_keeps_its_default() -> None:
    history = [timeline(1, 2, 3, 4), timeline(1, 2, 3, 4)]

    typical = typical_durations(history, {"report": 9.0}, min_samples=3)

    assert typical["report"] == 9.0


def test_phases_with_enough_history_use_it_even_when_others_lack_it() -> None:
    complete = [timeline(1, 2, 3, 4) for _ in range(3)]
    no_report_start = [Timeline(created_at=T0, identity_started_at=at(1)) for _ in range(3)]

    typical = typical_durations(complete[:1] + no_report_start, {"report": 9.0}, min_samples=3)

    assert typical["queued"] == 1.0
    assert typical["report"] == 9.0


def test_every_phase_is_always_estimated() -> None:
    assert set(typical_durations([timeline(1, 1, 1, 1)])) == set(PHASES)


# the estimate --------------------------------------------------------------------------


def test_queued_analysis_needs_every_phase() -> None:
    eta = estimate_completion(
        now=at(0), stage=None, phase_started_at=T0, durations=DURATIONS, granularity_seconds=0
    )

    assert eta == at(30)


def test_estimate_counts_from_the_current_stage_start_plus_later_stages() -> None:
    eta = estimate_completion(
        now=at(10),
        stage=Stage.ENRICHMENT,
        phase_started_at=at(6),
        durations=DURATIONS,
        granularity_seconds=0,
    )

    assert eta == at(6 + 20 + 5)


def test_last_stage_needs_only_its_own_remaining_time() -> None:
    eta = estimate_completion(
        now=at(27),
        stage=Stage.REPORT,
        phase_started_at=at(25),
        durations=DURATIONS,
        granularity_seconds=0,
    )

    assert eta == at(30)


def test_overrunning_stage_is_assumed_to_end_now_so_the_estimate_is_never_past() -> None:
    eta = estimate_completion(
        now=at(100),
        stage=Stage.ENRICHMENT,
        phase_started_at=at(6),
        durations=DURATIONS,
        granularity_seconds=0,
    )

    assert eta == at(100 + 5)


def test_estimate_does_not_move_between_polls_within_a_stage() -> None:
    def poll(now: float) -> datetime | None:
        return estimate_completion(
            now=at(now),
            stage=Stage.IDENTITY,
            phase_started_at=at(1),
            durations=DURATIONS,
            granularity_seconds=5,
        )

    assert poll(1.2) == poll(2.7) == poll(4.9)


def test_estimate_is_rounded_up_to_the_granularity() -> None:
    eta = estimate_completion(
        now=at(0.3),
        stage=None,
        phase_started_at=at(0.3),
        durations=DURATIONS,
        granularity_seconds=5,
    )

    assert eta == at(35)


def test_done_stage_has_nothing_left_to_estimate() -> None:
    eta = estimate_completion(
        now=at(40), stage=Stage.DONE, phase_started_at=at(30), durations=DURATIONS
    )

    assert eta is None


def test_missing_phase_durations_fall_back_to_builtin_defaults() -> None:
    eta = estimate_completion(
        now=at(0),
        stage=Stage.REPORT,
        phase_started_at=T0,
        durations={},
        granularity_seconds=0,
    )

    assert eta == at(DEFAULT_PHASE_SECONDS["report"])


@pytest.mark.parametrize(
    ("moment", "step", "expected"),
    [
        (at(0), 5, at(0)),
        (at(0.001), 5, at(5)),
        (at(4.999), 5, at(5)),
        (at(7), 1, at(7)),
        (at(7.2), 0, at(7.2)),
    ],
)
def test_round_up(moment: datetime, step: float, expected: datetime) -> None:
    assert round_up(moment, step) == expected


def test_estimates_are_timezone_aware_utc() -> None:
    eta = estimate_completion(now=at(0), stage=None, phase_started_at=T0, durations=DURATIONS)

    assert eta is not None
    assert eta.tzinfo is not None
    assert eta.utcoffset() == timedelta(0)
