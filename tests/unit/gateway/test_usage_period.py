"""Usage periods and the monthly credit standing."""

from datetime import UTC, date, datetime

import pytest

from dossier.gateway.problems import ProblemError
from dossier.gateway.usage.service import CreditStanding, month_bounds, period_of


def test_month_bounds_cover_the_calendar_month_in_utc() -> None:
    start, end = month_bounds(datetime(2028, 2, 29, 23, 59, tzinfo=UTC))

    assert (start, end) == (datetime(2028, 2, 1, tzinfo=UTC), datetime(2028, 3, 1, tzinfo=UTC))


def test_december_rolls_into_the_next_year() -> None:
    assert month_bounds(datetime(2026, 12, 5, tzinfo=UTC))[1] == datetime(2027, 1, 1, tzinfo=UTC)


def test_period_defaults_to_the_current_month() -> None:
    period = period_of(None, None, date(2026, 11, 23))

    assert (period.first, period.last) == (date(2026, 11, 1), date(2026, 11, 30))
    assert period.end == datetime(2026, 12, 1, tzinfo=UTC)


def test_to_is_inclusive() -> None:
    period = period_of(date(2026, 1, 10), date(2026, 1, 10), date(2026, 11, 23))

    assert (period.start, period.end) == (
        datetime(2026, 1, 10, tzinfo=UTC),
        datetime(2026, 1, 11, tzinfo=UTC),
    )


def test_reversed_period_is_a_validation_error() -> None:
    with pytest.raises(ProblemError) as raised:
        period_of(date(2026, 2, 1), date(2026, 1, 1), date(2026, 11, 23))

    assert raised.value.status == 422
    assert raised.value.errors is not None
    assert raised.value.errors[0].field == "from"


def test_credits_running_count_toward_the_limit() -> None:
    resets = datetime(2026, 12, 1, tzinfo=UTC)

    assert CreditStanding(limit=3, used=2, pending=1, resets_at=resets).exhausted
    assert not CreditStanding(limit=3, used=1, pending=1, resets_at=resets).exhausted
