"""The benchmark's parameters: full-run defaults, `--quick` defaults, and flags."""

import argparse
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"


@dataclass(frozen=True)
class Params:
    rate: float = 8.0  # open loop: analyses per second
    duration: float = 30.0  # open loop: seconds of arrivals
    poll_interval: float | None = None  # None: honour Retry-After
    drain_timeout: float = 600.0  # after the last arrival, before a poller gives up
    warmup: int = 3  # analyses one at a time before anything is measured
    # …then this many seconds of the open loop itself, unmeasured: the JVM compiles Kafka's
    # hot paths under load (C1/C2 compiler threads were 43% of Kafka's CPU in a window
    # opened right after 3 warm-up analyses), which a broker that runs for weeks does once.
    warmup_seconds: float = 20.0
    idle_seconds: float = 5.0  # CPU of the idle stack, before the open loop
    reuse: int = 200  # reuse-hit POSTs, sequentially and again at `reuse_concurrency`
    reuse_concurrency: int = 8
    get_clients: int = 32  # GET throughput: concurrent keep-alive connections
    get_seconds: float = 15.0  # measured window, per server
    get_warmup: float = 2.0
    growth: tuple[int, ...] = (0, 20_000, 100_000)  # foreign analyses in the store
    growth_templates: int = 4  # real foreign analyses per cloned partner
    growth_samples: int = 50  # sequential GETs and reuse POSTs per size
    growth_budget: float = 60.0  # seconds per measure and size, at most…
    growth_min_samples: int = 5  # …unless fewer samples were taken (then up to 3× the budget)
    growth_stop_above: float = 30.0  # a p50 above this (s) skips the larger sizes
    growth_batch: int = 1000  # documents per insert_many
    growth_max_document_kb: int = 32  # larger template documents (PDFs) are not cloned
    quick: bool = False
    realistic: bool = False  # the realistic-provider scenario instead (benchmarks/realistic.py)
    realistic_sequential: int = 10  # realistic: analyses one at a time
    partitions: int = 24  # realistic: partitions per topic
    enrichment_concurrency: int = 3  # realistic: partitions one enrichment replica works on
    out: Path = RESULTS
    keep_state: bool = False

    def as_dict(self) -> dict[str, Any]:
        values = asdict(self)
        values["out"] = str(self.out)
        return values


QUICK: dict[str, Any] = {
    "rate": 2.0,
    "duration": 10.0,
    "warmup": 2,
    "warmup_seconds": 5.0,
    "idle_seconds": 3.0,
    "reuse": 30,
    "get_seconds": 5.0,
    "get_warmup": 1.0,
    "growth": (0, 2_000),
    "growth_samples": 10,
    "growth_budget": 8.0,
    "growth_min_samples": 2,
}


#: `--realistic` defaults (before `--quick`'s and the flags): arrivals above what one
#: enrichment replica finishes (~1/s at concurrency 3 with 1-3 s providers), below two's.
REALISTIC: dict[str, Any] = {"rate": 2.5, "duration": 24.0, "warmup": 2}
REALISTIC_QUICK: dict[str, Any] = {"duration": 12.0, "realistic_sequential": 5}


def _sizes(text: str) -> tuple[int, ...]:
    sizes = tuple(int(part.replace("_", "")) for part in text.split(",") if part.strip())
    if sorted(sizes) != list(sizes) or any(size < 0 for size in sizes):
        msg = "growth sizes must be increasing and non-negative, e.g. 0,20000,100000"
        raise argparse.ArgumentTypeError(msg)
    return sizes


def parse_args(argv: list[str] | None = None) -> Params:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Dossier's end-to-end benchmark against a private local stack.",
    )
    add = parser.add_argument
    add("--quick", action="store_true", help="smoke test: small load, growth 0,2000 (< 3 min)")
    add(
        "--realistic",
        action="store_true",
        help="providers answering in 1-3 s with 5%% errors and 429s: new-report p50/p99 and "
        "throughput with 1 and 2 enrichment replicas (benchmarks/realistic.py)",
    )
    add("--realistic-sequential", type=int, help="realistic: analyses one at a time (10)")
    add("--partitions", type=int, help="realistic: partitions per topic (24)")
    add("--enrichment-concurrency", type=int, help="realistic: partitions per enrichment (3)")
    add("--rate", type=float, help="open loop: new analyses per second (8)")
    add("--duration", type=float, help="open loop: seconds of arrivals (30)")
    add("--poll-interval", type=float, help="poll every N s instead of the Retry-After")
    add("--drain-timeout", type=float, help="seconds after the arrivals before pollers give up")
    add("--warmup", type=int, help="analyses run one at a time before measuring (3)")
    add(
        "--warmup-seconds",
        type=float,
        help="then the open loop at --rate for this long, unmeasured (20; 0 = none)",
    )
    add("--idle-seconds", type=float, help="idle CPU sample before the open loop (5)")
    add("--reuse", type=int, help="reuse-hit POSTs per mode (200)")
    add("--reuse-concurrency", type=int, help="reuse hits in flight in the concurrent mode (8)")
    add("--get-clients", type=int, help="GET throughput: concurrent connections (32)")
    add("--get-seconds", type=float, help="GET throughput: measured seconds per server (15)")
    add("--get-warmup", type=float, help="GET throughput: unmeasured seconds first (2)")
    add("--growth", type=_sizes, help="foreign analyses to measure at (0,20000,100000)")
    add("--growth-templates", type=int, help="real analyses per cloned foreign partner (4)")
    add("--growth-samples", type=int, help="GETs and reuse POSTs per size (50)")
    add("--growth-budget", type=float, help="at most this many seconds per measure and size")
    add("--growth-min-samples", type=int, help="…unless fewer were taken (then up to 3×) (5)")
    add("--growth-stop-above", type=float, help="skip larger sizes once a p50 exceeds this (30 s)")
    add("--growth-batch", type=int, help="documents per insert_many (1000)")
    add("--growth-max-document-kb", type=int, help="do not clone larger documents (32)")
    add("--out", type=Path, help="folder for <name>.md and <name>.json (benchmarks/results)")
    add("--keep-state", action="store_true", help="keep the stack's data folder afterwards")
    args = vars(parser.parse_args(argv))
    if args["realistic"]:
        params = replace(Params(), realistic=True, **REALISTIC)
        if args["quick"]:
            params = replace(params, quick=True, **REALISTIC_QUICK)
    else:
        params = replace(Params(), **QUICK) if args["quick"] else Params()
    given = {f.name: args[f.name] for f in fields(Params) if args.get(f.name) not in (None, False)}
    return replace(params, **given)
