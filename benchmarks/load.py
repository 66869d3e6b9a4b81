"""Open-loop arrivals: a new analysis every 1/R s for T s, each followed by its poller.

Arrivals are scheduled at fixed times whatever the system does (a partner's users do
not wait for earlier reports), so a stack that falls behind shows it as growing latency
instead of quietly slowing the load. Each poller behaves like a well-mannered partner:
it waits the advertised `Retry-After` and sends `If-None-Match` with the last `ETag`.

Latency is taken from the server's own timestamps — the completed resource's
`updated_at` (its last change: the completion) minus `created_at` — so the polling
interval does not inflate it. `created_at` is stamped once the gateway has admitted
the request, so a second figure starts at the moment the POST was sent (the load
generator and the stack read the same clock on this one machine).
"""

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx

from benchmarks.candidates import analysis_body
from benchmarks.stats import Latency

TERMINAL = frozenset({"completed", "failed", "canceled"})
DEFAULT_RETRY_AFTER = 10.0


@dataclass
class AnalysisRun:
    """What one arrival saw, from its POST to the terminal state."""

    scheduled_at: float  # seconds after the first arrival
    sent_late: float = 0.0  # how far behind schedule the POST left (load generator health)
    sent_at: datetime | None = None  # wall clock, when the POST left
    post_status: int | None = None
    post_seconds: float | None = None
    analysis_id: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    status: str | None = None
    poll_statuses: Counter[int] = field(default_factory=Counter)
    error: str | None = None

    @property
    def server_latency(self) -> float | None:
        """POST → completed by the server's clock, for completed analyses."""
        if self.status != "completed" or self.created_at is None or self.updated_at is None:
            return None
        return (self.updated_at - self.created_at).total_seconds()

    @property
    def felt_latency(self) -> float | None:
        """POST sent → completed: what the partner waited, admission included."""
        if self.status != "completed" or self.sent_at is None or self.updated_at is None:
            return None
        return (self.updated_at - self.sent_at).total_seconds()


def parse_timestamp(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def retry_after(response: httpx.Response, override: float | None) -> float:
    if override is not None:
        return override
    try:
        return float(response.headers.get("Retry-After", DEFAULT_RETRY_AFTER))
    except ValueError:
        return DEFAULT_RETRY_AFTER


async def poll_until_terminal(
    api: httpx.AsyncClient,
    run: AnalysisRun,
    first_wait: float,
    *,
    override: float | None,
    deadline: float,
) -> None:
    """Poll at the advertised pace until the analysis is terminal or the deadline passes."""
    etag: str | None = None
    wait = first_wait
    while True:
        await asyncio.sleep(wait)
        if time.monotonic() > deadline:
            run.error = "not terminal before the deadline"
            return
        headers = {"If-None-Match": etag} if etag else {}
        try:
            response = await api.get(f"/api/v1/analyses/{run.analysis_id}", headers=headers)
        except httpx.HTTPError as exc:
            run.poll_statuses[0] += 1
            run.error = f"poll: {type(exc).__name__}"
            wait = retry_after(httpx.Response(503), override)
            continue
        run.poll_statuses[response.status_code] += 1
        wait = retry_after(response, override)
        if response.status_code == 304:
            continue
        if response.status_code != 200:
            continue  # 429 or 5xx: wait as told, then ask again
        etag = response.headers.get("ETag")
        body = response.json()
        if body["status"] in TERMINAL:
            run.status = body["status"]
            run.updated_at = parse_timestamp(body["updated_at"])
            run.error = None if run.status == "completed" else f"ended {run.status}"
            return


async def one_analysis(
    api: httpx.AsyncClient, run: AnalysisRun, *, override: float | None, deadline: float
) -> None:
    started = time.perf_counter()
    run.sent_at = datetime.now(UTC)
    try:
        response = await api.post("/api/v1/analyses", json=analysis_body())
    except httpx.HTTPError as exc:
        run.error = f"post: {type(exc).__name__}"
        return
    run.post_seconds = time.perf_counter() - started
    run.post_status = response.status_code
    if response.status_code != 202:
        run.error = f"post: HTTP {response.status_code}"
        return
    accepted = response.json()
    run.analysis_id = accepted["id"]
    run.created_at = parse_timestamp(accepted["created_at"])
    await poll_until_terminal(
        api, run, retry_after(response, override), override=override, deadline=deadline
    )


async def open_loop(
    api: httpx.AsyncClient,
    *,
    rate: float,
    duration: float,
    poll_interval: float | None = None,
    drain_timeout: float = 600.0,
) -> list[AnalysisRun]:
    """Send `rate × duration` POSTs at fixed times; return once every poller has finished."""
    count = round(rate * duration)
    deadline = time.monotonic() + duration + drain_timeout
    runs = [AnalysisRun(scheduled_at=k / rate) for k in range(count)]
    tasks = []
    start = time.monotonic()
    for run in runs:
        due = start + run.scheduled_at
        if due > time.monotonic():
            await asyncio.sleep(due - time.monotonic())
        run.sent_late = max(0.0, time.monotonic() - due)
        tasks.append(
            asyncio.create_task(one_analysis(api, run, override=poll_interval, deadline=deadline))
        )
    await asyncio.gather(*tasks)
    return runs


@dataclass(frozen=True)
class OpenLoopSummary:
    offered: int
    completed: int
    failed: int  # ended failed or canceled
    errors: int  # refused POSTs, transport errors, pollers past the deadline
    achieved_rate: float | None  # completions per second, first arrival → last completion
    latency: Latency | None  # POST → completed, server timestamps
    felt: Latency | None  # POST sent → completed
    post: Latency | None  # POST → 202, as the client saw it
    polls: dict[int, int]  # status → count (0 = transport error)
    max_sent_late: float
    error_samples: list[str]


def summarise(runs: list[AnalysisRun]) -> OpenLoopSummary:
    completed = [r for r in runs if r.status == "completed"]
    polls: Counter[int] = Counter()
    for run in runs:
        polls.update(run.poll_statuses)
    rate = None
    if completed:
        first = min(r.created_at for r in runs if r.created_at is not None)
        last = max(r.updated_at for r in completed if r.updated_at is not None)
        span = (last - first).total_seconds()
        rate = len(completed) / span if span > 0 else None
    errors = [r.error for r in runs if r.error and r.status not in ("failed", "canceled")]
    return OpenLoopSummary(
        offered=len(runs),
        completed=len(completed),
        failed=sum(r.status in ("failed", "canceled") for r in runs),
        errors=len(errors),
        achieved_rate=rate,
        latency=Latency.of([r.server_latency for r in completed if r.server_latency is not None]),
        felt=Latency.of([r.felt_latency for r in completed if r.felt_latency is not None]),
        post=Latency.of([r.post_seconds for r in runs if r.post_seconds is not None]),
        polls=dict(sorted(polls.items())),
        max_sent_late=max((r.sent_late for r in runs), default=0.0),
        error_samples=sorted(set(errors))[:5],
    )
