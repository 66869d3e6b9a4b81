"""Request latency, one request at a time or with a fixed number in flight."""

import asyncio
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx

from benchmarks.stats import Latency

Request = Callable[[], Awaitable[httpx.Response]]


@dataclass(frozen=True)
class Timed:
    latency: Latency | None
    statuses: dict[int, int]
    seconds: float  # wall clock of the whole run

    @property
    def requests_per_second(self) -> float:
        n = sum(self.statuses.values())
        return n / self.seconds if self.seconds > 0 else 0.0


async def timed(
    request: Request,
    n: int,
    *,
    concurrency: int = 1,
    expect: int = 200,
    budget_seconds: float | None = None,
    min_samples: int = 5,
) -> Timed:
    """Send `n` requests, `concurrency` at a time; latency counts only `expect` answers.

    With a `budget_seconds`, stop starting requests once it is spent and `min_samples`
    answers are in, and in any case at three times the budget: a configuration whose
    requests take minutes gets a few samples, not an hour.
    """
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    remaining = n
    started = time.perf_counter()

    def may_start() -> bool:
        if remaining <= 0:
            return False
        if budget_seconds is None:
            return True
        elapsed = time.perf_counter() - started
        if elapsed >= 3 * budget_seconds:
            return False
        return sum(statuses.values()) < min_samples or elapsed < budget_seconds

    async def worker() -> None:
        nonlocal remaining
        while may_start():
            remaining -= 1
            sent = time.perf_counter()
            try:
                response = await request()
            except httpx.HTTPError:
                statuses[0] += 1
                continue
            statuses[response.status_code] += 1
            if response.status_code == expect:
                latencies.append(time.perf_counter() - sent)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return Timed(Latency.of(latencies), dict(statuses), time.perf_counter() - started)
