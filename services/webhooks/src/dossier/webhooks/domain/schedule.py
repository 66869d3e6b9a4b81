"""When to retry a failed delivery, when to give up, and when to disable an endpoint."""

from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime


@dataclass(frozen=True)
class RetrySchedule:
    """Delays before each retry: the first attempt is immediate, then one retry per delay."""

    delays: tuple[float, ...]

    @classmethod
    def parse(cls, raw: str) -> "RetrySchedule":
        """`"30,120,600,3600,21600"` → 30 s, 2 min, 10 min, 1 h, 6 h."""
        try:
            delays = tuple(float(part) for part in raw.split(",") if part.strip())
        except ValueError as exc:
            msg = f"retry schedule must be comma-separated seconds, got {raw!r}"
            raise ValueError(msg) from exc
        if any(d < 0 for d in delays):
            msg = "retry delays cannot be negative"
            raise ValueError(msg)
        return cls(delays)

    @property
    def max_attempts(self) -> int:
        return len(self.delays) + 1

    def delay_after(self, attempt: int) -> float | None:
        """Seconds to wait after failed attempt number `attempt` (1-based); None = give up."""
        if attempt < 1:
            msg = "attempts are numbered from 1"
            raise ValueError(msg)
        return self.delays[attempt - 1] if attempt <= len(self.delays) else None


def streak_after(previous: int, succeeded: bool | None) -> int:
    """An endpoint's consecutive failed attempts after one more attempt: a success resets
    the count, a failure adds one, and a lost attempt (None: our worker stopped mid-send,
    not the endpoint's fault) leaves it as it was."""
    if succeeded is None:
        return previous
    return 0 if succeeded else previous + 1


def should_disable(streak: int, threshold: int) -> bool:
    """Disable once the endpoint's last `threshold` counted attempts all failed."""
    return streak >= threshold


#: Statuses whose `Retry-After` says when to come back (RFC 9110 §10.2.3).
RETRY_AFTER_STATUSES = frozenset({429, 503})


def retry_after_seconds(value: str | None, now: datetime) -> float | None:
    """Seconds to wait that a `Retry-After` value asks for: delta-seconds (`120`) or an
    HTTP-date (`Wed, 21 Oct 2026 07:28:00 GMT`). None when absent or unreadable; a date
    in the past is 0."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isascii() and text.isdigit():  # "¹" is a digit to isdigit(), not to float()
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # "-0000": RFC 5322's "UTC, no local time known"
        when = when.replace(tzinfo=UTC)
    return max((when - now).total_seconds(), 0.0)


def next_delay(
    schedule: RetrySchedule,
    attempt: int,
    *,
    status_code: int | None,
    retry_after: float | None,
    retry_after_max: float,
) -> float | None:
    """Seconds before the attempt after failed attempt `attempt`; None = give up.

    The schedule decides how many attempts there are. A 429 or 503 that says when to come
    back (`retry_after`) sets the delay instead of the schedule, capped at `retry_after_max`
    so an endpoint cannot park a delivery for months."""
    delay = schedule.delay_after(attempt)
    if delay is None or retry_after is None or status_code not in RETRY_AFTER_STATUSES:
        return delay
    return min(max(retry_after, 0.0), retry_after_max)


def is_gone(status_code: int | None) -> bool:
    """`410 Gone`: the receiver says this endpoint is gone for good; stop delivering to it."""
    return status_code == 410
