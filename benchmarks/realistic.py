"""`python -m benchmarks --realistic`: new reports when providers answer like real ones.

The fake providers (`tests/fakes/provider_server.py --realistic`) wait 1-3 s per request,
answer 5 % of requests with a 503 and 2 % with a 429 + `Retry-After: 1`. The source cache
is off (`DOSSIER_SOURCE_CACHE_TTL_SECONDS=0`): every analysis is a new person, as new
reports are. Three measures on one private stack:

1. one at a time: `--realistic-sequential` analyses in a row, POST → completed (what one
   partner waits for one new report on a quiet system; the target is p50 ≤ 10 s);
2. open loop with ONE enrichment replica: `--rate` × `--duration` arrivals, above what one
   replica finishes, so its completion rate is its throughput;
3. the same with TWO enrichment replicas (a second process in the same consumer group).

Why the topics have `--partitions` (24) and enrichment a `--enrichment-concurrency` per
replica: a stage works on at most one analysis per partition it owns at a time, and a
process works on at most `DOSSIER_CONCURRENCY` partitions. With the local stack's six
partitions and concurrency 6, ONE replica already owns every partition: a second one adds
nothing (it owns 3 of the 6 and the first keeps 3). A stage waiting on providers is bound
by partitions × one analysis, not CPU, so replicas help only when partitions ≥ replicas ×
concurrency. Identity and the reporter get concurrency = partitions, so enrichment is the
stage under test.

Throughput is the completion rate: completed analyses after the first, over the time from
the first completion to the last (the ramp-up before the first and nothing else).
"""

import asyncio
import logging
import shutil
import time
from datetime import UTC, datetime
from typing import Any

import httpx

from benchmarks.candidates import analysis_body
from benchmarks.load import AnalysisRun, open_loop, parse_timestamp, poll_until_terminal, summarise
from benchmarks.machine import load_average, machine_info
from benchmarks.params import Params
from benchmarks.run import partner_client, run_to_completion
from benchmarks.stack import BenchStack
from benchmarks.stats import Latency

log = logging.getLogger("benchmarks")

#: Poll this often (s): latency comes from the server's timestamps, polling only ends it.
POLL_SECONDS = 0.5


def completion_rate(runs: list[AnalysisRun]) -> float | None:
    """Completed analyses per second between the first completion and the last."""
    done = sorted(r.updated_at for r in runs if r.status == "completed" and r.updated_at)
    if len(done) < 2:
        return None
    span = (done[-1] - done[0]).total_seconds()
    return (len(done) - 1) / span if span > 0 else None


async def one_at_a_time(api: httpx.AsyncClient, count: int) -> Latency | None:
    """`count` analyses in a row, each POST → completed by the server's timestamps."""
    latencies: list[float] = []
    for _ in range(count):
        response = await api.post("/api/v1/analyses", json=analysis_body())
        response.raise_for_status()
        accepted = response.json()
        run = AnalysisRun(scheduled_at=0.0, analysis_id=accepted["id"])
        run.created_at = parse_timestamp(accepted["created_at"])
        run.sent_at = datetime.now(UTC)
        await poll_until_terminal(
            api, run, POLL_SECONDS, override=POLL_SECONDS, deadline=time.monotonic() + 300
        )
        if run.server_latency is not None:
            latencies.append(run.server_latency)
    return Latency.of(latencies)


async def loaded(api: httpx.AsyncClient, p: Params) -> dict[str, Any]:
    runs = await open_loop(
        api,
        rate=p.rate,
        duration=p.duration,
        poll_interval=POLL_SECONDS,
        drain_timeout=p.drain_timeout,
    )
    return {"summary": summarise(runs), "completion_rate": completion_rate(runs)}


async def measure(stack: BenchStack, p: Params) -> dict[str, Any]:
    partner = stack.create_partner("Bench realistic")
    results: dict[str, Any] = {}
    async with partner_client(stack, partner) as api:
        log.info("warm-up: %d analyses", p.warmup)
        for _ in range(p.warmup):
            await run_to_completion(api, analysis_body())
        log.info("one at a time: %d analyses", p.realistic_sequential)
        results["sequential"] = await one_at_a_time(api, p.realistic_sequential)
        log.info("open loop, 1 enrichment replica: %.1f/s for %.0f s", p.rate, p.duration)
        results["one_replica"] = await loaded(api, p)
        log.info("starting a second enrichment replica")
        stack.add_enrichment_replica()
        for _ in range(p.warmup):  # the group has rebalanced once these went through
            await run_to_completion(api, analysis_body())
        log.info("open loop, 2 enrichment replicas: %.1f/s for %.0f s", p.rate, p.duration)
        results["two_replicas"] = await loaded(api, p)
        stats = (await api.get(f"{stack.providers_url}/_health")).json()
        results["providers"] = {
            "requests": stats.get("requests"),
            "errors_served": stats.get("errors_served", 0),
            "rate_limits_served": stats.get("rate_limits_served", 0),
        }
    return results


def run_realistic(p: Params) -> dict[str, Any]:
    started = datetime.now(UTC)
    stack = BenchStack(
        realistic=True,
        partitions=p.partitions,
        enrichment_concurrency=p.enrichment_concurrency,
    )
    load_before = load_average()
    try:
        log.info("starting the realistic stack in %s", stack.state_dir)
        stack.start()
        results = asyncio.run(measure(stack, p))
    finally:
        stack.stop()
        if not p.keep_state:
            shutil.rmtree(stack.state_dir, ignore_errors=True)
    return {
        "scenario": "realistic",
        "started_at": started.isoformat(timespec="seconds"),
        "seconds": (datetime.now(UTC) - started).total_seconds(),
        "machine": {**machine_info(), "load_before": load_before, "load_after": load_average()},
        "params": p.as_dict(),
        **results,
    }
