"""Rate-limit window arithmetic, the slot search and the plan settings."""

import pytest

from dossier.contracts.enums import Environment
from dossier.gateway.ratelimit.limiter import (
    DEFAULT_PLAN_LIMITS,
    PlanLimits,
    Window,
    block_size,
    bucket_of,
    decide,
    first_free_slot,
    limits_for,
    windows_at,
)
from dossier.gateway.settings import GatewaySettings

LIMITS = PlanLimits(per_minute=10, per_hour=100)


def test_windows_are_aligned_on_the_epoch_so_every_replica_agrees() -> None:
    minute, hour = windows_at(LIMITS, 7_200 + 61.5)

    assert (minute.index, minute.seconds, minute.limit) == ((7_200 + 60) // 60, 60, 10)
    assert (hour.index, hour.seconds, hour.limit) == (2, 3600, 100)


def test_reset_counts_whole_seconds_until_the_next_window() -> None:
    minute, hour = windows_at(LIMITS, 7_200 + 61.5)

    assert minute.resets_in(7_200 + 61.5) == 59
    assert hour.resets_in(7_200 + 61.5) == 3600 - 61


def test_window_ids_separate_partners_environments_and_windows() -> None:
    minute, hour = windows_at(LIMITS, 1_000.0)
    live, test = bucket_of("p1", Environment.LIVE), bucket_of("p1", Environment.TEST)

    ids = {
        minute.id(live),
        hour.id(live),
        minute.id(test),
        minute.id(bucket_of("p2", Environment.LIVE)),
    }
    assert len(ids) == 4


def test_admitted_request_reports_the_window_with_fewest_requests_left() -> None:
    now = 30.0
    minute, hour = windows_at(LIMITS, now)

    decision = decide([(minute, 2), (hour, 95)], now)

    assert decision.allowed
    assert (decision.limit, decision.remaining) == (100, 4)
    assert decision.reset_seconds == hour.resets_in(now)
    assert "Retry-After" not in decision.headers()


def test_on_a_tie_the_shorter_window_is_reported() -> None:
    now = 30.0
    minute, hour = windows_at(PlanLimits(per_minute=10, per_hour=10), now)

    decision = decide([(minute, 4), (hour, 4)], now)

    assert (decision.remaining, decision.reset_seconds) == (5, 30)


def test_refusal_retries_after_the_full_window_resets() -> None:
    now = 30.0
    minute, hour = windows_at(LIMITS, now)

    decision = decide([(minute, 3), (hour, None)], now)

    assert not decision.allowed
    assert decision.remaining == 0
    assert decision.retry_after == decision.reset_seconds == 3570
    assert decision.headers()["Retry-After"] == "3570"


def test_polling_at_retry_after_fits_every_default_plan() -> None:
    retry_after = GatewaySettings().retry_after_seconds
    for limits in DEFAULT_PLAN_LIMITS.values():
        # A fixed window can hold one poll more than its length divided by the interval.
        assert 60 // retry_after + 1 <= limits.per_minute
        assert 3600 // retry_after + 1 <= limits.per_hour


def test_unknown_plan_gets_standard_limits() -> None:
    assert limits_for("no-such-plan", DEFAULT_PLAN_LIMITS) == DEFAULT_PLAN_LIMITS["standard"]


def test_configured_plans_add_to_the_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(
        "DOSSIER_RATE_LIMITS",
        '{"tiny": {"per_minute": 2, "per_hour": 3}, "standard": {"per_minute": 1, "per_hour": 5}}',
    )
    limits = GatewaySettings().rate_limits

    assert limits["tiny"] == PlanLimits(per_minute=2, per_hour=3)
    assert limits["standard"] == PlanLimits(per_minute=1, per_hour=5)
    assert limits["enterprise"] == DEFAULT_PLAN_LIMITS["enterprise"]


class Slots:
    """Taken slot numbers, and how many lookups the search needed."""

    def __init__(self, taken: set[int]) -> None:
        self.taken, self.lookups = taken, 0

    async def occupied(self, n: int) -> bool:
        self.lookups += 1
        return n in self.taken


async def test_free_start_slot_is_taken_at_once() -> None:
    slots = Slots({0, 1})

    assert await first_free_slot(2, 10, slots.occupied) == 2
    assert slots.lookups == 1


async def test_search_finds_the_end_of_the_taken_prefix_in_few_lookups() -> None:
    slots = Slots(set(range(5_000)))

    assert await first_free_slot(3, 20_000, slots.occupied) == 5_000
    assert slots.lookups < 30


async def test_full_window_has_no_free_slot() -> None:
    assert await first_free_slot(0, 8, Slots(set(range(8))).occupied) is None
    assert await first_free_slot(8, 8, Slots(set()).occupied) is None


async def test_search_never_returns_a_slot_at_or_past_the_limit() -> None:
    assert await first_free_slot(0, 5, Slots({0, 1, 2, 3}).occupied) == 4
    assert await first_free_slot(0, 5, Slots({0, 1, 2, 3, 4, 7}).occupied) is None


def test_window_reset_is_never_zero() -> None:
    window = Window("m", 60, 10, 1)

    assert window.resets_in(119.9999) == 1


@pytest.mark.parametrize(
    ("limit", "size"), [(1, 1), (99, 1), (100, 2), (600, 12), (18_000, 50), (360_000, 50)]
)
def test_slots_are_claimed_in_blocks_of_about_two_percent(limit: int, size: int) -> None:
    assert block_size(limit) == size
