"""Retries 30 s → 2 min → 10 min → 1 h → 6 h, then give up; disabling after N failures."""

import pytest

from dossier.webhooks.domain.schedule import RetrySchedule, should_disable, streak_after
from dossier.webhooks.settings import WebhooksSettings


def test_default_schedule_is_the_documented_one() -> None:
    schedule = RetrySchedule.parse(WebhooksSettings().webhook_retry_schedule)
    assert [schedule.delay_after(n) for n in range(1, 6)] == [30, 120, 600, 3600, 21600]


def test_after_the_last_retry_the_delivery_gives_up() -> None:
    schedule = RetrySchedule.parse("30,120,600,3600,21600")
    assert schedule.max_attempts == 6
    assert schedule.delay_after(6) is None


def test_fast_schedule_for_tests() -> None:
    schedule = RetrySchedule.parse("1,1,1,1,1")
    assert schedule.delay_after(1) == 1
    assert schedule.delay_after(5) == 1
    assert schedule.delay_after(6) is None


def test_empty_schedule_means_one_attempt() -> None:
    schedule = RetrySchedule.parse("")
    assert schedule.max_attempts == 1
    assert schedule.delay_after(1) is None


@pytest.mark.parametrize("raw", ["30,abc", "-1,30"])
def test_invalid_schedules_are_rejected(raw: str) -> None:
    with pytest.raises(ValueError, match="retry"):
        RetrySchedule.parse(raw)


def test_attempts_are_numbered_from_one() -> None:
    with pytest.raises(ValueError, match="from 1"):
        RetrySchedule.parse("1").delay_after(0)


def test_default_disable_threshold_is_twenty() -> None:
    assert WebhooksSettings().webhook_disable_after == 20


def streak_of(outcomes: list[bool | None]) -> int:
    """The failure streak after these attempts, oldest first (None: a lost attempt)."""
    streak = 0
    for succeeded in outcomes:
        streak = streak_after(streak, succeeded)
    return streak


def test_disable_after_threshold_consecutive_failures() -> None:
    assert should_disable(streak_of([False] * 20), 20)


def test_no_disable_below_threshold() -> None:
    assert not should_disable(streak_of([False] * 19), 20)


def test_a_recent_success_resets_the_count() -> None:
    assert not should_disable(streak_of([False] * 10 + [True] + [False] * 10), 20)


def test_failures_before_a_success_do_not_count() -> None:
    assert streak_of([False] * 30 + [True] + [False] * 3) == 3


def test_a_lost_attempt_neither_counts_nor_resets() -> None:
    assert streak_of([False] * 19 + [None]) == 19
    assert should_disable(streak_of([False] * 10 + [None] * 5 + [False] * 10), 20)


def test_each_attempt_moves_the_streak_from_the_previous_one() -> None:
    assert (streak_after(0, False), streak_after(7, False)) == (1, 8)
    assert (streak_after(7, True), streak_after(7, None)) == (0, 7)
