"""The benchmark, phase by phase, against one private stack.

warm-up → idle CPU → open loop (CPU and store commands per completed analysis)
→ reuse hits → GET throughput, gateway vs bare app → store growth.
Growth comes last: it fills the store.
"""

import asyncio
import dataclasses
import logging
import shutil
import time
from collections.abc import Awaitable
from datetime import UTC, datetime
from typing import Any, TypeVar

import httpx

from benchmarks import cpu
from benchmarks.candidates import analysis_body
from benchmarks.latency import Request, Timed, timed
from benchmarks.load import TERMINAL, open_loop, summarise
from benchmarks.machine import load_average, machine_info
from benchmarks.params import Params
from benchmarks.stack import BenchStack, Partner
from benchmarks.store_commands import commands_between, nested, scrape
from benchmarks.store_growth import Seeder, collect_templates, document_count, open_store
from benchmarks.throughput import closed_loop

log = logging.getLogger("benchmarks")
T = TypeVar("T")


def partner_client(stack: BenchStack, partner: Partner) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=stack.gateway_url,
        headers={"X-API-Key": partner.api_key},
        timeout=120,
        limits=httpx.Limits(max_connections=1000, max_keepalive_connections=200),
    )


#: After seeding, wait (at most this long) until the idle stack uses under `SETTLED` cores.
SETTLE_MAX_SECONDS, SETTLED = 120.0, 0.2


async def settle(stack: Any, sample_seconds: float) -> None:
    """Wait until the stack is idle again after a bulk load (checkpoints, collections)."""
    deadline = time.monotonic() + SETTLE_MAX_SECONDS
    while time.monotonic() < deadline:
        if sum((await cpu.rates(stack.pids(), sample_seconds)).values()) < SETTLED:
            return
    log.warning("the stack was still busy %.0f s after seeding", SETTLE_MAX_SECONDS)


async def run_to_completion(api: httpx.AsyncClient, body: dict[str, Any]) -> str:
    """One analysis, polled briskly (set-up, not measured). Returns its id."""
    response = await api.post("/api/v1/analyses", json=body)
    response.raise_for_status()
    analysis_id: str = response.json()["id"]
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        state = (await api.get(f"/api/v1/analyses/{analysis_id}")).json()
        if state["status"] in TERMINAL:
            if state["status"] != "completed":
                msg = f"set-up analysis {analysis_id} ended {state['status']}: {state.get('error')}"
                raise RuntimeError(msg)
            return analysis_id
        await asyncio.sleep(0.1)
    msg = f"set-up analysis {analysis_id} not completed in 120 s"
    raise RuntimeError(msg)


def per_unit(values: dict[str, float], units: int) -> dict[str, float | None]:
    return {name: (value / units if units else None) for name, value in values.items()}


async def measured_window(stack: BenchStack, work: Awaitable[T]) -> tuple[T, dict[str, Any]]:
    """Run `work` (an awaitable) between two samples of CPU time and store commands."""
    pids, harness = stack.pids(), stack.harness_pids()
    urls, ferretdb = stack.metrics_urls(), stack.ferretdb_metrics_url
    commands_before = await scrape(urls, ferretdb)
    cpu_before, harness_before = cpu.cpu_seconds(pids), cpu.cpu_seconds(harness)
    jit_before = cpu.jit_cpu_seconds(pids["kafka"]) if "kafka" in pids else 0.0
    self_before = cpu.self_cpu_seconds()
    started = time.perf_counter()
    result = await work
    seconds = time.perf_counter() - started
    self_after = cpu.self_cpu_seconds()
    cpu_after, harness_after = cpu.cpu_seconds(pids), cpu.cpu_seconds(harness)
    jit_after = cpu.jit_cpu_seconds(pids["kafka"]) if "kafka" in pids else 0.0
    commands_after = await scrape(urls, ferretdb)
    return result, {
        "seconds": seconds,
        "cpu_seconds": cpu.difference(cpu_after, cpu_before),
        "kafka_jit_cpu_seconds": jit_after - jit_before,
        "harness_cpu_seconds": {
            "load generator (this process)": self_after - self_before,
            **cpu.difference(harness_after, harness_before),
        },
        "store_commands": {
            service: nested(counts)
            for service, counts in commands_between(commands_before, commands_after).items()
        },
    }


async def reuse_hits(api: httpx.AsyncClient, body: dict[str, Any], p: Params) -> dict[str, Timed]:
    async def post() -> httpx.Response:
        return await api.post("/api/v1/analyses", json=body)

    return {
        "sequential": await timed(post, p.reuse),
        "concurrent": await timed(post, p.reuse, concurrency=p.reuse_concurrency),
    }


async def get_throughput(
    stack: BenchStack, partner: Partner, analysis_id: str, p: Params
) -> dict[str, Any]:
    """The gateway's authenticated GET, then the bare app's one `find_one`, never together."""
    targets = {
        "gateway": (
            f"{stack.gateway_url}/api/v1/analyses/{analysis_id}",
            {"X-API-Key": partner.api_key},
        ),
        "bare_app": (f"{stack.bare_url}/analyses/{analysis_id}", {}),
    }
    results = {}
    for name, (url, headers) in targets.items():
        run, window = await measured_window(
            stack,
            closed_loop(
                url, headers, clients=p.get_clients, seconds=p.get_seconds, warmup=p.get_warmup
            ),
        )
        results[name] = {"throughput": run, **window}
        await asyncio.sleep(1)
    return results


def too_slow(point: dict[str, Any], limit: float) -> bool:
    """Past this, a larger store would take many minutes per sample: stop growing it."""
    return any(point[m].latency is None or point[m].latency.p50 > limit for m in ("get", "reuse"))


async def store_growth(
    stack: BenchStack,
    api: httpx.AsyncClient,
    second: Partner,
    reference: tuple[str, dict[str, Any]],
    p: Params,
) -> dict[str, Any]:
    """Templates: real analyses of a second partner; each copy is one more such partner."""
    analysis_id, body = reference
    seeds = [second.partner_id]
    async with partner_client(stack, second) as foreign:
        for _ in range(p.growth_templates):
            template = analysis_body()
            seeds.append(await run_to_completion(foreign, template))
            seeds += [template["client"]["id"], template["candidate"]["id"]]
    client, db = open_store(stack.mongo_url, stack.config.mongo_database)
    try:
        templates = await asyncio.to_thread(
            collect_templates,
            db,
            seeds,
            p.growth_templates,
            max_document_bytes=p.growth_max_document_kb * 1024,
        )
        seeder = Seeder(db, templates, batch=p.growth_batch)
        points: list[dict[str, Any]] = []
        skipped: list[int] = []
        for size in p.growth:
            if points and too_slow(points[-1], p.growth_stop_above):
                skipped.append(size)
                continue
            seeding = await asyncio.to_thread(seeder.grow_to, size) if size else None
            await settle(stack, p.idle_seconds)  # the bulk inserts' aftermath is not a poll's cost
            documents = await asyncio.to_thread(document_count, db)

            async def get() -> httpx.Response:
                return await api.get(f"/api/v1/analyses/{analysis_id}")

            async def reuse() -> httpx.Response:
                return await api.post("/api/v1/analyses", json=body)

            async def sample(request: Request) -> Timed:
                return await timed(
                    request,
                    p.growth_samples,
                    budget_seconds=p.growth_budget,
                    min_samples=p.growth_min_samples,
                )

            points.append(
                {
                    "foreign_analyses": seeder.foreign_analyses,
                    "documents": documents,
                    "seeding": seeding,
                    "get": await sample(get),
                    "reuse": await sample(reuse),
                    "idle_cpu": sum((await cpu.rates(stack.pids(), p.idle_seconds)).values()),
                }
            )
            log.info("growth: %s", points[-1])
    finally:
        client.close()
    return {
        "templates": {
            "analyses_per_copy": templates.analyses_per_copy,
            "documents_per_copy": dict(templates.documents_per_copy),
            "tokens": templates.tokens,
            "left_out_large": dict(templates.left_out_large),
            "left_out_singletons": dict(templates.left_out_singletons),
        },
        "points": points,
        "skipped": skipped,
    }


async def measure(stack: BenchStack, main: Partner, second: Partner, p: Params) -> dict[str, Any]:
    results: dict[str, Any] = {}
    async with partner_client(stack, main) as api:
        log.info("warm-up: %d analyses", p.warmup)
        reference_body = analysis_body()
        for _ in range(p.warmup - 1):
            await run_to_completion(api, analysis_body())
        reference_id = await run_to_completion(api, reference_body)
        if p.warmup_seconds > 0:
            log.info("warm-up: open loop %.1f/s for %.0f s, unmeasured", p.rate, p.warmup_seconds)
            await open_loop(api, rate=p.rate, duration=p.warmup_seconds, drain_timeout=120)

        log.info("idle CPU: %.0f s", p.idle_seconds)
        results["idle_cpu_rates"] = await cpu.rates(stack.pids(), p.idle_seconds)

        log.info("open loop: %.1f/s for %.0f s", p.rate, p.duration)
        runs, window = await measured_window(
            stack,
            open_loop(
                api,
                rate=p.rate,
                duration=p.duration,
                poll_interval=p.poll_interval,
                drain_timeout=p.drain_timeout,
            ),
        )
        summary = summarise(runs)
        results["open_loop"] = {"summary": summary, **window}

        log.info("reuse hits: %d, sequential then %d at a time", p.reuse, p.reuse_concurrency)
        results["reuse"] = await reuse_hits(api, reference_body, p)

        log.info("GET throughput: %d clients, %.0f s per server", p.get_clients, p.get_seconds)
        results["get_throughput"] = await get_throughput(stack, main, reference_id, p)

        log.info("store growth: %s", p.growth)
        results["growth"] = await store_growth(
            stack, api, second, (reference_id, reference_body), p
        )
    return results


def run(p: Params) -> dict[str, Any]:
    started = datetime.now(UTC)
    stack = BenchStack()
    load_before = load_average()
    try:
        log.info("starting the stack in %s", stack.state_dir)
        stack.start()
        main = stack.create_partner("Bench main")
        second = stack.create_partner("Bench foreign")
        results = asyncio.run(measure(stack, main, second, p))
    finally:
        stack.stop()
        if not p.keep_state:
            shutil.rmtree(stack.state_dir, ignore_errors=True)
    return {
        "started_at": started.isoformat(timespec="seconds"),
        "seconds": (datetime.now(UTC) - started).total_seconds(),
        "machine": {**machine_info(), "load_before": load_before, "load_after": load_average()},
        "params": p.as_dict(),
        **results,
    }


def jsonable(value: Any) -> Any:
    """Results as JSON: dataclasses as objects, tuples as lists, everything else as text."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)
