"""`python -m benchmarks.store_backends`: FerretDB's store backends side by side, on this machine.

Starts, on free loopback ports, FerretDB v1.24.2 three times through the devstack's own code:
  - `sqlite-default`: SQLite as FerretDB configures it (WAL, synchronous=FULL);
  - `sqlite-tuned`:   SQLite with the devstack's pragmas (synchronous=NORMAL);
  - `postgresql`:     Debian's PostgreSQL 15 (the devstack's throwaway cluster settings).
Each gets collections of 1k and 20k read-model-like documents (~1.3 KB). Then, with one
PyMongo connection per backend and one operation at a time, it measures the median (and p90)
latency of
  1. `find_one({_id})` on a random existing id (`--ops`, default 2,000);
  2. `find_one({_id, partner_id})` (`--compound-ops`, default 20: it is slow on SQLite);
  3. `insert_one` of a new document (`--ops`).
Operations are interleaved across the backends (A, B, C, B, C, A, …), so load from other
processes on a shared machine falls on all of them alike. Finally it prints `explain` for
`{_id: x}` and `{_id: x, partner_id: y}`: FerretDB's `filterPushdown` and the backend's plan.
"""

import argparse
import json
import random
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pymongo import MongoClient

from dossier.devstack.infra import (
    SQLITE_TUNED_PRAGMAS,
    StoreBackend,
    start_in_order,
    store_processes,
)
from dossier.devstack.processes import ManagedProcess, free_port

Doc = dict[str, Any]

BACKENDS: dict[str, tuple[StoreBackend, tuple[str, ...]]] = {
    "sqlite-default": ("sqlite", ()),
    "sqlite-tuned": ("sqlite", SQLITE_TUNED_PRAGMAS),
    "postgresql": ("postgresql", SQLITE_TUNED_PRAGMAS),
}


def document(i: int, rng: random.Random) -> Doc:
    """Shaped like an analysis in the read model: ids, status, a quick signal, a few signals."""
    return {
        "_id": f"an_{i:06d}_{rng.getrandbits(40):010x}",
        "partner_id": f"pt_{i % 50:03d}",
        "client_id": f"c_{rng.getrandbits(32):08x}",
        "candidate_id": f"k_{rng.getrandbits(32):08x}",
        "status": rng.choice(["queued", "processing", "completed"]),
        "stage": rng.choice(["identity", "enrichment", "report", "done"]),
        "created_at": time.time(),
        "quick_signal": {
            "level": "Green",
            "reason": "identity confirmed",
            "identityConfidence": 0.9,
        },
        "signals": [
            {
                "statement": f"Signal {k} about the candidate's public work " + "x" * 120,
                "sourceType": "web",
                "sourceUrl": f"https://example.org/{i}/{k}",
                "reliability": "medium",
            }
            for k in range(5)
        ],
    }


@dataclass
class Backend:
    name: str
    procs: list[ManagedProcess]
    client: MongoClient[Doc]
    ids: dict[str, list[str]] = field(default_factory=dict)
    timings: dict[tuple[str, str], list[float]] = field(default_factory=dict)

    def record(self, op: str, collection: str, seconds: float) -> None:
        self.timings.setdefault((op, collection), []).append(seconds * 1000)


@contextmanager
def started(names: list[str], root: Path) -> Iterator[list[Backend]]:
    backends: list[Backend] = []
    try:
        for name in names:
            kind, pragmas = BACKENDS[name]
            port = free_port()
            procs = store_processes(
                root / name, root / name / "logs", port=port, backend=kind, sqlite_pragmas=pragmas
            )
            backends.append(Backend(name, procs, MongoClient(f"mongodb://127.0.0.1:{port}")))
            start_in_order(procs, timeout=120)
        yield backends
    finally:
        for backend in backends:
            backend.client.close()
            for proc in reversed(backend.procs):
                proc.stop()


def seed(backend: Backend, sizes: list[int], rng: random.Random) -> None:
    db = backend.client.bench
    for size in sizes:
        name = f"c{size}"
        db.drop_collection(name)
        docs = [document(i, rng) for i in range(size)]
        for start in range(0, size, 500):
            db[name].insert_many(docs[start : start + 500], ordered=False)
        backend.ids[name] = [d["_id"] for d in docs]
        assert db[name].count_documents({}) == size


def interleaved(backends: list[Backend], n: int, op: Callable[[Backend, int], None]) -> None:
    for i in range(n):
        shift = i % len(backends)
        for backend in backends[shift:] + backends[:shift]:
            op(backend, i)


def measure(backends: list[Backend], size: int, ops: int, compound_ops: int) -> None:
    rng = random.Random(7 + size)
    name = f"c{size}"
    picks = [rng.randrange(size) for _ in range(ops)]

    def find(backend: Backend, i: int) -> None:
        coll = backend.client.bench[name]
        _id = backend.ids[name][picks[i]]
        t = time.perf_counter()
        doc = coll.find_one({"_id": _id})
        backend.record("find_one({_id})", name, time.perf_counter() - t)
        assert doc is not None

    def compound(backend: Backend, i: int) -> None:
        coll = backend.client.bench[name]
        k = picks[i]
        t = time.perf_counter()
        doc = coll.find_one({"_id": backend.ids[name][k], "partner_id": f"pt_{k % 50:03d}"})
        backend.record("find_one({_id, partner_id})", name, time.perf_counter() - t)
        assert doc is not None

    def insert(backend: Backend, i: int) -> None:
        coll = backend.client.bench[name]
        doc = document(size + i, rng)
        doc["_id"] = f"new_{i}_{secrets.token_hex(4)}"
        t = time.perf_counter()
        coll.insert_one(doc)
        backend.record("insert_one", name, time.perf_counter() - t)

    interleaved(backends, min(20, ops), find)  # warm-up: connections, caches
    for backend in backends:
        backend.timings.pop(("find_one({_id})", name), None)
    for label, n, op in (
        ("find_one({_id})", ops, find),
        ("find_one({_id, partner_id})", compound_ops, compound),
        ("insert_one", ops, insert),  # last: it grows the collection
    ):
        started_at = time.monotonic()
        interleaved(backends, n, op)
        took = time.monotonic() - started_at
        print(f"  {name}: {label} x{n} on each: {took:.0f} s", file=sys.stderr, flush=True)


def explain(backend: Backend, sizes: list[int]) -> list[dict[str, Any]]:
    rows = []
    name = f"c{sizes[-1]}"
    _id = backend.ids[name][len(backend.ids[name]) // 2]
    for label, flt in (
        ("{_id: x}", {"_id": _id}),
        ("{_id: x, partner_id: y}", {"_id": _id, "partner_id": "pt_000"}),
    ):
        plan = backend.client.bench.command("explain", {"find": name, "filter": flt})
        rows.append(
            {
                "backend": backend.name,
                "filter": label,
                "filterPushdown": plan.get("filterPushdown"),
                "plan": summarize_plan(plan.get("queryPlanner", {})),
            }
        )
    return rows


def summarize_plan(planner: Any) -> str:
    """PostgreSQL: the top node and its index/filter; SQLite: FerretDB's `EXPLAIN QUERY PLAN`."""
    if isinstance(planner, dict) and isinstance(planner.get("Plan"), dict):
        node = planner["Plan"]
        parts = [node.get("Node Type", "?")]
        if "Index Name" in node:
            parts.append(f"using {node['Index Name']}")
        if "Filter" in node:
            parts.append(f"filter {node['Filter']}")
        return " ".join(parts)
    return json.dumps(planner, default=str)[:200]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def report(backends: list[Backend], sizes: list[int]) -> list[dict[str, Any]]:
    rows = []
    for size in sizes:
        for backend in backends:
            row: dict[str, Any] = {"backend": backend.name, "docs": size}
            for op in ("find_one({_id})", "insert_one", "find_one({_id, partner_id})"):
                values = backend.timings.get((op, f"c{size}"), [])
                if values:
                    row[op] = {
                        "n": len(values),
                        "p50_ms": round(statistics.median(values), 3),
                        "p90_ms": round(pct(values, 0.9), 3),
                    }
            rows.append(row)
    return rows


def markdown(rows: list[dict[str, Any]], plans: list[dict[str, Any]]) -> str:
    ops = ("find_one({_id})", "insert_one", "find_one({_id, partner_id})")
    lines = [
        "| backend | docs | " + " | ".join(f"`{op}` p50 (p90), ms" for op in ops) + " |",
        "| --- | ---: | " + " | ".join("---:" for _ in ops) + " |",
    ]
    for row in rows:
        cells = []
        for op in ops:
            m = row.get(op)
            cells.append(f"{m['p50_ms']:.2f} ({m['p90_ms']:.2f}), n={m['n']}" if m else "—")
        lines.append(f"| {row['backend']} | {row['docs']:,} | " + " | ".join(cells) + " |")
    if plans:
        lines += ["", "| backend | filter | filterPushdown | plan |", "| --- | --- | --- | --- |"]
    for p in plans:
        lines.append(f"| {p['backend']} | `{p['filter']}` | {p['filterPushdown']} | {p['plan']} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--ops", type=int, default=2000)
    parser.add_argument("--compound-ops", type=int, default=20)
    parser.add_argument("--sizes", default="1000,20000")
    parser.add_argument("--backends", default=",".join(BACKENDS))
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    names = [n.strip() for n in args.backends.split(",")]
    unknown = set(names) - set(BACKENDS)
    if unknown:
        parser.error(f"unknown backends {sorted(unknown)}; known: {', '.join(BACKENDS)}")
    root = Path(tempfile.mkdtemp(prefix="dossier-store-bench-"))
    try:
        with started(names, root) as backends:
            print(f"seeding {sizes} documents into {', '.join(names)}", file=sys.stderr, flush=True)
            for backend in backends:
                seed(backend, sizes, random.Random(11))
            for size in sizes:
                measure(backends, size, args.ops, args.compound_ops)
                print(markdown(report(backends, [size]), []), file=sys.stderr, flush=True)
            rows = report(backends, sizes)
            plans = [row for backend in backends for row in explain(backend, sizes)]
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(markdown(rows, plans))
    if args.json:
        args.json.write_text(json.dumps({"latency": rows, "explain": plans}, indent=2))


if __name__ == "__main__":
    main()
