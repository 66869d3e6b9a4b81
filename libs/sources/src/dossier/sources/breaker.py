"""A circuit breaker per provider: stop asking a source that keeps failing, try again later.

States:

- `closed` — requests go through. Each timeout, dropped connection or 5xx is a failure;
  any other answer (a 2xx, a 404, a refused key) resets the count. Rate limits are neither:
  `SourceHttp` handles them with the provider's own `Retry-After`.
- `open` — after `failures` consecutive failures every request is refused at once for
  `cooldown_seconds`; the lookup ends as `unavailable` with the reason ("circuit open after
  3 consecutive failures (last: timed out) until …") and costs no provider request at all.
- `half_open` — after the cool-down ONE request (the probe) goes through; concurrent
  lookups are still refused while it runs. A probe that succeeds closes the breaker, one
  that fails opens it for another cool-down.

Why per process, not shared across replicas: the state is a count and a deadline, read on
every provider request. Sharing it (MongoDB, Redis) would add a store round trip to each
request — and store commands to the analysis path, which the CPU budget forbids — to save
at most `failures` requests per replica per cool-down. A replica learns in one analysis
what the others know; each identity and enrichment process holds one breaker per source,
built with the sources at start-up.

Time comes from the injected `Clock` (monotonic), so tests drive cool-downs without sleeping.
"""

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

log = logging.getLogger(__name__)


class BreakerState(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


@dataclass(frozen=True)
class BreakerPolicy:
    """`DOSSIER_SOURCE_BREAKER_FAILURES` and `DOSSIER_SOURCE_BREAKER_COOLDOWN_SECONDS`."""

    failures: int = 5
    cooldown_seconds: float = 30.0


def _ignore(*_: str) -> None:
    return None


@dataclass(frozen=True)
class BreakerObserver:
    """What a breaker reports (Prometheus in the services, see `dossier.runtime.metrics`);
    the sources lib stays free of a metrics library. By default nothing is observed.

    `transition(source, old, new)` with state names (`old == new` once, at creation);
    `skipped(source)` for each request refused while open.
    """

    transition: Callable[[str, str, str], None] = _ignore
    skipped: Callable[[str], None] = _ignore


class CircuitOpenError(Exception):
    """Raised by `CircuitBreaker.before_request` when the request must not be sent."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _stamp(epoch_seconds: float) -> str:
    stamp = dt.datetime.fromtimestamp(epoch_seconds, tz=dt.UTC)
    return stamp.replace(microsecond=0).isoformat().replace("+00:00", "Z")


class CircuitBreaker:
    """One provider's breaker. Not thread-safe: one event loop owns it, like the sources."""

    def __init__(
        self,
        source: str,
        policy: BreakerPolicy | None = None,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
        observer: BreakerObserver | None = None,
    ) -> None:
        self.source = source
        self.policy = policy or BreakerPolicy()
        self._monotonic = monotonic
        self._wall = wall
        self._observer = observer or BreakerObserver()
        self.state = BreakerState.CLOSED
        self._failures = 0
        self._last_problem = ""
        self._opened_at = 0.0
        self._probing = False
        self._observer.transition(source, BreakerState.CLOSED.value, BreakerState.CLOSED.value)

    @property
    def failures(self) -> int:
        return self._failures

    def _move(self, new: BreakerState) -> None:
        old, self.state = self.state, new
        if old is not new:
            log.warning(
                "source circuit breaker %s -> %s",
                old.value,
                new.value,
                extra={"source": self.source, "reason": self._last_problem},
            )
            self._observer.transition(self.source, old.value, new.value)

    def before_request(self) -> None:
        """Let a request through, or raise `CircuitOpenError` with the reason it may not go."""
        if self.state is BreakerState.OPEN:
            left = self._opened_at + self.policy.cooldown_seconds - self._monotonic()
            if left > 0:
                self._refuse(left)
            self._move(BreakerState.HALF_OPEN)
            self._probing = False
        if self.state is BreakerState.HALF_OPEN:
            if self._probing:
                self._refuse(None)
            self._probing = True

    def _refuse(self, left: float | None) -> None:
        self._observer.skipped(self.source)
        when = (
            f" until {_stamp(self._wall() + left)}"
            if left is not None
            else " (a probe is under way)"
        )
        raise CircuitOpenError(
            f"circuit open after {self._failures} consecutive failure(s)"
            f" (last: {self._last_problem}){when}"
        )

    def success(self) -> None:
        """The provider answered (anything but a 5xx or a rate limit)."""
        self._failures = 0
        self._probing = False
        self._move(BreakerState.CLOSED)

    def failure(self, problem: str) -> None:
        """A timeout, a dropped connection or a 5xx."""
        self._failures += 1
        self._last_problem = problem
        probe_failed = self.state is BreakerState.HALF_OPEN
        if probe_failed or self._failures >= self.policy.failures:
            self._opened_at = self._monotonic()
            self._probing = False
            self._move(BreakerState.OPEN)

    def neutral(self) -> None:
        """An answer that says nothing about health (a rate limit), or a request abandoned
        (cancelled): a probe may run again."""
        self._probing = False
