"""`Retry-After` on 429/503 sets the next attempt, within a maximum; `410 Gone` ends it."""

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dossier.webhooks.domain.schedule import (
    RetrySchedule,
    is_gone,
    next_delay,
    retry_after_seconds,
)

NOW = datetime(2026, 12, 7, 12, 0, 0, tzinfo=UTC)
SCHEDULE = RetrySchedule.parse("30,120,600")


def test_retry_after_in_seconds() -> None:
    assert retry_after_seconds("120", NOW) == 120.0
    assert retry_after_seconds(" 0 ", NOW) == 0.0


def test_retry_after_as_an_http_date() -> None:
    value = format_datetime(NOW + timedelta(minutes=5), usegmt=True)

    assert retry_after_seconds(value, NOW) == 300.0


def test_retry_after_as_an_obsolete_but_valid_date_form() -> None:
    assert retry_after_seconds("Mon, 07 Dec 2026 12:01:00 -0000", NOW) == 60.0


def test_a_date_already_past_means_now() -> None:
    assert retry_after_seconds(format_datetime(NOW - timedelta(hours=1), usegmt=True), NOW) == 0


@pytest.mark.parametrize("value", [None, "", "soon", "-5", "1.5", "Xyz, 99 Foo 2026", "¹", "٣"])
def test_absent_or_unreadable_retry_after_is_ignored(value: str | None) -> None:
    assert retry_after_seconds(value, NOW) is None


@given(st.text(max_size=60))
def test_any_header_value_parses_or_is_ignored(value: str) -> None:
    seconds = retry_after_seconds(value, NOW)
    assert seconds is None or seconds >= 0


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_replaces_the_schedule_on_429_and_503(status: int) -> None:
    delay = next_delay(SCHEDULE, 1, status_code=status, retry_after=300, retry_after_max=3600)

    assert delay == 300


def test_a_short_retry_after_is_honoured_too() -> None:
    assert next_delay(SCHEDULE, 2, status_code=429, retry_after=5, retry_after_max=3600) == 5


def test_retry_after_is_capped() -> None:
    delay = next_delay(SCHEDULE, 1, status_code=503, retry_after=10**9, retry_after_max=3600)

    assert delay == 3600


@pytest.mark.parametrize("status", [500, 502, 404, None])
def test_retry_after_on_other_answers_leaves_the_schedule(status: int | None) -> None:
    delay = next_delay(SCHEDULE, 1, status_code=status, retry_after=300, retry_after_max=3600)

    assert delay == 30


def test_without_retry_after_the_schedule_decides() -> None:
    assert next_delay(SCHEDULE, 2, status_code=429, retry_after=None, retry_after_max=3600) == 120


def test_retry_after_does_not_add_attempts_past_the_schedule() -> None:
    last = SCHEDULE.max_attempts

    assert next_delay(SCHEDULE, last, status_code=429, retry_after=1, retry_after_max=3600) is None


def test_only_410_is_gone() -> None:
    assert is_gone(410)
    assert not any(is_gone(code) for code in (200, 404, 429, 500, 503, None))
