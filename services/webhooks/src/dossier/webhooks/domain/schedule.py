"""When to retry a failed delivery, when to give up, and when to disable an endpoint."""

from dataclasses import dataclass


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
