"""`make bench`: end-to-end figures on this machine, against a real local stack.

Starts Kafka, FerretDB, the five services and the fake providers (zero latency) on free
ports, then measures:
  1. POST → completed latency, one analysis at a time (p50/p99), polling every 20 ms;
  2. sustained throughput: a burst of analyses, completed per second;
  3. reuse-hit latency: POST of an already completed analysis (p50/p99).
Prints a markdown table for the README.
"""

import argparse
import asyncio
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from dossier.devstack.infra import kafka_process, start_in_order, store_processes
from dossier.devstack.processes import ManagedProcess, free_port
from dossier.devstack.stack import SERVICES, LocalStack, StackConfig
from dossier.runtime.kafka import ensure_topics

REPO = Path(__file__).resolve().parents[1]
CV = (REPO / "tests" / "e2e" / "helpers.py").read_text().split('SAMPLE_CV = """')[1].split('"""')[0]


def _body(client_id: str | None = None, candidate_id: str | None = None) -> dict[str, Any]:
    return {
        "language": "en",
        "client": {"id": client_id or f"c_{secrets.token_hex(4)}"},
        "candidate": {
            "id": candidate_id or f"k_{secrets.token_hex(4)}",
            "first_name": "John",
            "last_name": "Doe",
            "company": "Example Company",
            "location": "London, UK",
            "cv": CV,
        },
    }


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def _until_done(
    api: httpx.AsyncClient, analysis_id: str, every: float = 0.02
) -> dict[str, Any]:
    while True:
        body: dict[str, Any] = (await api.get(f"/api/v1/analyses/{analysis_id}")).json()
        if body["status"] in ("completed", "failed", "canceled"):
            return body
        await asyncio.sleep(every)


async def measure(
    api: httpx.AsyncClient, sequential: int, burst: int, reuse: int
) -> dict[str, Any]:
    latencies = []
    for _ in range(sequential):
        started = time.perf_counter()
        created = (await api.post("/api/v1/analyses", json=_body())).json()
        done = await _until_done(api, created["id"])
        assert done["status"] == "completed", done
        latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    ids = [
        r.json()["id"]
        for r in await asyncio.gather(
            *(api.post("/api/v1/analyses", json=_body()) for _ in range(burst))
        )
    ]
    finals = await asyncio.gather(*(_until_done(api, a, every=1.0) for a in ids))
    burst_seconds = time.perf_counter() - started
    assert all(f["status"] == "completed" for f in finals)

    body = _body()
    first = (await api.post("/api/v1/analyses", json=body)).json()
    await _until_done(api, first["id"])
    reuse_latencies = []
    for _ in range(reuse):
        started = time.perf_counter()
        response = await api.post("/api/v1/analyses", json=body)
        reuse_latencies.append(time.perf_counter() - started)
        assert response.status_code == 200
    return {
        "latency_p50": _pct(latencies, 0.5),
        "latency_p99": _pct(latencies, 0.99),
        "latency_mean": statistics.mean(latencies),
        "throughput": burst / burst_seconds,
        "burst": burst,
        "burst_seconds": burst_seconds,
        "reuse_p50_ms": _pct(reuse_latencies, 0.5) * 1000,
        "reuse_p99_ms": _pct(reuse_latencies, 0.99) * 1000,
        "sequential": sequential,
        "reuse": reuse,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sequential", type=int, default=30)
    parser.add_argument("--burst", type=int, default=100)
    parser.add_argument("--reuse", type=int, default=300)
    args = parser.parse_args()
    state = Path(tempfile.mkdtemp(prefix="dossier-bench-"))
    kafka_port, mongo_port, providers_port = free_port(), free_port(), free_port()
    store = store_processes(state, state / "logs", port=mongo_port)  # DOSSIER_STORE_BACKEND
    infra = [
        kafka_process(state / "kafka", state / "logs/kafka.log", port=kafka_port),
        ManagedProcess(
            "providers",
            [sys.executable, "-m", "tests.fakes.provider_server", "--port", str(providers_port)],
            state / "logs/providers.log",
            cwd=REPO,
            env={"PYTHONPATH": str(REPO)},
        ),
    ]
    providers = f"http://127.0.0.1:{providers_port}"
    config = StackConfig(
        state_dir=state,
        kafka_port=kafka_port,
        mongo_port=mongo_port,
        ports={s.name: free_port() for s in SERVICES},
        env={
            "DOSSIER_GITHUB_API_URL": f"{providers}/github",
            "DOSSIER_SEARXNG_URL": f"{providers}/searxng",
            "DOSSIER_OPENSANCTIONS_URL": f"{providers}/yente",
            "DOSSIER_ORCID_API_URL": f"{providers}/orcid",
            "DOSSIER_LOG_LEVEL": "WARNING",
        },
    )
    stack = LocalStack(config)
    try:
        for proc in infra:
            proc.start()
        start_in_order(store, timeout=120)
        infra[0].wait_ready(120)
        asyncio.run(ensure_topics(config.bootstrap))
        stack.start_services()
        partner = json.loads(
            subprocess.run(
                [
                    str(REPO / ".venv/bin/dossier"),
                    "partners",
                    "create",
                    "--name",
                    "Bench",
                    "--plan",
                    "enterprise",  # its pollers (one at 20 ms, 100 at 1 s) exceed `standard`
                    "--json",
                ],
                env={**os.environ, **config.service_environment("gateway")},
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )

        async def run() -> dict[str, Any]:
            async with httpx.AsyncClient(
                base_url=config.gateway_url, headers={"X-API-Key": partner["api_key"]}, timeout=120
            ) as api:
                return await measure(api, args.sequential, args.burst, args.reuse)

        r = asyncio.run(run())
    finally:
        stack.stop()
        for proc in [*reversed(store), *reversed(infra)]:
            proc.stop()
    print(f"""
| measure | value |
| --- | --- |
| POST → completed, one at a time (n={r["sequential"]}) | p50 {r["latency_p50"]:.2f} s, p99 {r["latency_p99"]:.2f} s |
| sustained throughput (burst of {r["burst"]}) | {r["throughput"]:.1f} analyses/s ({r["burst_seconds"]:.1f} s) |
| reuse hit, POST → 200 (n={r["reuse"]}) | p50 {r["reuse_p50_ms"]:.1f} ms, p99 {r["reuse_p99_ms"]:.1f} ms |
""")


if __name__ == "__main__":
    main()
