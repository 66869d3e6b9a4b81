"""Fixed-window rate limits: the arithmetic, without I/O.

Each partner has one budget per environment (live and test are separate buckets),
shared by all its keys, with two windows: a calendar minute and a calendar hour
(aligned on the epoch, so every replica agrees on the window without talking).
A request is admitted when it takes one of the `limit` numbered slots of each
window; slots are unique documents, so no replica can admit more than `limit`.

Headers: `X-RateLimit-Limit` and `X-RateLimit-Remaining` describe the *tightest*
window — the one with the fewest requests left (the shorter one on a tie) — and
`X-RateLimit-Reset` is the number of seconds until that window starts afresh. A
client that keeps `Remaining` above zero is never refused. A fixed window lets a
client spend a full window's budget on each side of a boundary; the hour window
bounds what that can add up to.
"""

import math
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from pydantic import BaseModel, Field

from dossier.contracts.enums import Environment


class PlanLimits(BaseModel):
    per_minute: int = Field(ge=1)
    per_hour: int = Field(ge=1)


#: Polling one analysis at the advertised `Retry-After` (10 s) costs 6 requests a minute and
#: 360 an hour. The hour allows half the minute rate sustained: `starter` polls 10 analyses
#: around the clock, `standard` 50, `enterprise` 1,000 — each with bursts up to the minute
#: limit.
DEFAULT_PLAN_LIMITS: dict[str, PlanLimits] = {
    "starter": PlanLimits(per_minute=120, per_hour=3_600),
    "standard": PlanLimits(per_minute=600, per_hour=18_000),
    "enterprise": PlanLimits(per_minute=12_000, per_hour=360_000),
}
DEFAULT_PLAN = "standard"


def limits_for(plan: str, limits: Mapping[str, PlanLimits]) -> PlanLimits:
    """A partner's plan limits; an unknown plan gets the standard plan's."""
    return limits.get(plan) or limits.get(DEFAULT_PLAN) or DEFAULT_PLAN_LIMITS[DEFAULT_PLAN]


def bucket_of(partner_id: str, environment: Environment) -> str:
    """All keys of a partner share one budget per environment."""
    return f"{partner_id}:{environment.value}"


@dataclass(frozen=True)
class Window:
    name: str  # "m" or "h"
    seconds: int
    limit: int
    index: int  # epoch seconds // seconds

    def id(self, bucket: str) -> str:
        return f"{bucket}:{self.name}{self.index}"

    @property
    def ends_at(self) -> datetime:
        return datetime.fromtimestamp((self.index + 1) * self.seconds, UTC)

    def resets_in(self, now: float) -> int:
        """Whole seconds until the next window starts (at least 1)."""
        return max(1, math.ceil((self.index + 1) * self.seconds - now))


#: Most slots one replica claims with one insert. Small limits get blocks of one (exact).
MAX_BLOCK = 50


def block_size(limit: int) -> int:
    """Slots claimed per insert: about 2% of the limit, at least 1, at most `MAX_BLOCK`.

    600/min → 12; 18,000/h → 50; a limit under 100 → 1 (every request is an insert).
    """
    return max(1, min(MAX_BLOCK, limit // 50))


def slot_id(window_id: str, n: int) -> str:
    return f"{window_id}:{n}"


def windows_at(limits: PlanLimits, now: float) -> tuple[Window, Window]:
    """The minute and hour windows `now` (epoch seconds) falls in."""
    return (
        Window("m", 60, limits.per_minute, int(now // 60)),
        Window("h", 3600, limits.per_hour, int(now // 3600)),
    )


def expiry_of(window: Window) -> datetime:
    """When a window's slots may be deleted: a minute after the window ended."""
    return window.ends_at + timedelta(minutes=1)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    limit: int
    remaining: int
    reset_seconds: int
    retry_after: int | None = None

    def headers(self) -> dict[str, str]:
        headers = {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(self.reset_seconds),
        }
        if self.retry_after is not None:
            headers["Retry-After"] = str(self.retry_after)
        return headers


def decide(taken: list[tuple[Window, int | None]], now: float) -> Decision:
    """The decision from the slot each window gave (`None`: the window is full).

    Admitted: report the window with the fewest requests left. Refused: retry
    when every full window has reset, i.e. after the longest wait among them.
    """
    full = [w for w, n in taken if n is None]
    if full:
        tightest = max(full, key=lambda w: w.resets_in(now))
        wait = tightest.resets_in(now)
        return Decision(False, tightest.limit, 0, wait, retry_after=wait)
    left = [(w.limit - (n or 0) - 1, w.resets_in(now), w) for w, n in taken]
    remaining, reset, window = min(left, key=lambda t: (t[0], t[1]))
    return Decision(True, window.limit, max(0, remaining), reset)


async def first_free_slot(
    start: int, limit: int, occupied: Callable[[int], Awaitable[bool]]
) -> int | None:
    """The lowest free slot at or after `start`, or `None` if all below `limit` are taken.

    Slots fill from 0 upward, so taken slots form a prefix: gallop (start+1,
    +2, +4, …) to a free one, then bisect back to the boundary — O(log n)
    point lookups by `_id` however many slots the window holds. Should a gap
    exist, the slot found may not be the very lowest; it is still free, and the
    limit holds regardless because slot numbers are unique and below `limit`.
    """
    if start >= limit:
        return None
    if not await occupied(start):
        return start
    low, step = start, 1  # `low` is taken
    while True:
        high = low + step
        if high >= limit:
            high = limit  # a free sentinel: nothing at or past `limit` may be taken
            break
        if not await occupied(high):
            break
        low, step = high, step * 2
    while high - low > 1:
        middle = (low + high) // 2
        if await occupied(middle):
            low = middle
        else:
            high = middle
    return high if high < limit else None
