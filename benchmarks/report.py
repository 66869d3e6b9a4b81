"""The results as one markdown block (for the README) and as JSON (everything)."""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.params import Params
from benchmarks.store_commands import FERRETDB_COUNT

NA = "n/a"


def ms(seconds: float | None) -> str:
    if seconds is None:
        return NA
    return f"{seconds * 1000:.0f} ms" if seconds >= 0.1 else f"{seconds * 1000:.1f} ms"


def secs(seconds: float | None) -> str:
    return NA if seconds is None else f"{seconds:.2f} s"


def p50_p99(latency: dict[str, Any] | None, unit: Callable[[float | None], str] = ms) -> str:
    if latency is None:
        return NA
    return f"p50 {unit(latency['p50'])}, p99 {unit(latency['p99'])} (n={latency['n']})"


def statuses(counts: dict[str, int]) -> str:
    return (
        ", ".join(f"{'error' if code == '0' else code}: {n}" for code, n in counts.items())
        or "none"
    )


def listing(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} {n}" for name, n in counts.items()) or "none"


def rate(timed: dict[str, Any]) -> float:
    n = sum(timed["statuses"].values())
    return n / timed["seconds"] if timed["seconds"] else 0.0


def command_line(params: dict[str, Any]) -> str:
    """The parameters as the flags that reproduce the run."""
    flags = ["python -m benchmarks", *(["--quick"] if params["quick"] else [])]
    for name, value in params.items():
        if name in ("out", "keep_state", "quick") or value is None:
            continue
        shown = ",".join(map(str, value)) if isinstance(value, list) else f"{value:g}"
        flags.append(f"--{name.replace('_', '-')} {shown}")
    return " ".join(flags)


def headline(r: dict[str, Any]) -> list[str]:
    m, p, loop = r["machine"], r["params"], r["open_loop"]
    s = loop["summary"]
    polling = f"every {p['poll_interval']} s" if p["poll_interval"] else "at Retry-After"
    achieved = NA if s["achieved_rate"] is None else f"{s['achieved_rate']:.2f} analyses/s"
    reuse, get = r["reuse"], r["get_throughput"]
    gateway, bare = get["gateway"]["throughput"], get["bare_app"]["throughput"]
    ratio = (
        gateway["requests_per_second"] / bare["requests_per_second"]
        if bare["requests_per_second"]
        else None
    )
    total_cpu = sum(loop["cpu_seconds"].values())
    return [
        "| measure | value |",
        "| --- | --- |",
        f"| machine | {m['nproc']} × {m['cpu_model']} (nproc {m['nproc']}), {m['memory_gib']} GiB, "
        f"Linux {m['kernel']}, Python {m['python']}; load average {m['load_before'][0]:.2f} "
        f"before, {m['load_after'][0]:.2f} after |",
        f"| run | {r['started_at']}, {r['seconds'] / 60:.1f} min: `{command_line(p)}` |",
        f"| open loop: offered | {p['rate']:g} new analyses/s for {p['duration']:g} s ({s['offered']} POSTs), each polled {polling} with If-None-Match |",
        f"| open loop: outcome | {s['completed']} completed, {s['failed']} failed, {s['errors']} errors; achieved {achieved} |",
        f"| POST → completed (server timestamps) | {p50_p99(s['latency'], secs)}, max {secs(s['latency'] and s['latency']['max'])} |",
        f"| POST sent → completed (client send time, same clock) | {p50_p99(s['felt'], secs)} |",
        f"| POST → 202 (client) | {p50_p99(s['post'])} |",
        f"| polls | {statuses(s['polls'])} |",
        f"| CPU per completed analysis, whole stack | {total_cpu / s['completed'] if s['completed'] else float('nan'):.3f} CPU-s |",
        f"| reuse hit, sequential | {p50_p99(reuse['sequential']['latency'])} |",
        f"| reuse hit, {p['reuse_concurrency']} in flight | {p50_p99(reuse['concurrent']['latency'])}, {rate(reuse['concurrent']):.0f} req/s |",
        f"| GET, {p['get_clients']} clients × {p['get_seconds']:g} s | gateway {gateway['requests_per_second']:.0f} req/s, bare app {bare['requests_per_second']:.0f} req/s → gateway/bare {NA if ratio is None else f'{ratio:.2f}'} |",
    ]


def cpu_table(r: dict[str, Any]) -> list[str]:
    loop = r["open_loop"]
    completed = loop["summary"]["completed"]
    idle = r["idle_cpu_rates"]
    rows = [
        f"CPU over the open loop and its drain ({loop['seconds']:.1f} s, {completed} completed); "
        f"idle: CPU-s per second of the idle stack, sampled for {r['params']['idle_seconds']:g} s before.",
        "",
        "| process | CPU-s | CPU-s per analysis | idle CPU-s/s |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, value in sorted(loop["cpu_seconds"].items(), key=lambda kv: -kv[1]):
        each = f"{value / completed:.4f}" if completed else NA
        rows.append(f"| {name} | {value:.2f} | {each} | {idle.get(name, 0.0):.3f} |")
    total = sum(loop["cpu_seconds"].values())
    each = f"{total / completed:.4f}" if completed else NA
    rows.append(f"| **total** | {total:.2f} | {each} | {sum(idle.values()):.3f} |")
    for name, value in loop["harness_cpu_seconds"].items():
        rows.append(f"| {name} — harness, not in total | {value:.2f} | | |")
    jit = loop.get("kafka_jit_cpu_seconds")
    if jit is not None:
        warm = r["params"].get("warmup_seconds", 0)
        rows += [
            "",
            f"Of Kafka's CPU, its JVM's JIT compiler threads: {jit:.2f} CPU-s "
            f"(after {warm:g} s of unmeasured load at the same rate).",
        ]
    return rows


def commands_table(commands: dict[str, Any], units: int, unit_name: str) -> list[str]:
    rows = [f"| service | store commands per {unit_name} | by command |", "| --- | ---: | --- |"]
    for service, counts in commands.items():
        if counts is None or not units:
            rows.append(f"| {service} | {NA} | |")
            continue
        by_command = {command: sum(per.values()) for command, per in counts.items()}
        parts = ", ".join(
            f"{c} {v / units:.2f}" for c, v in sorted(by_command.items(), key=lambda kv: -kv[1])
        )
        rows.append(f"| {service} | {sum(by_command.values()) / units:.2f} | {parts} |")
    return rows


def get_table(r: dict[str, Any]) -> list[str]:
    rows = [
        "| server | req/s | latency under load | answers | CPU ms per request: server, FerretDB, stack | store commands per request: own count, FerretDB's |",
        "| --- | ---: | --- | --- | --- | --- |",
    ]
    for name, run in r["get_throughput"].items():
        t = run["throughput"]
        sent = t["sent"] or 1
        cpu = run["cpu_seconds"]
        server, ferret = cpu.get(name, 0.0), cpu.get("ferretdb", 0.0)
        counts = [run["store_commands"].get(name), run["store_commands"].get(FERRETDB_COUNT)]
        per_request = ", ".join(
            NA if c is None else f"{sum(sum(per.values()) for per in c.values()) / sent:.2f}"
            for c in counts
        )
        rows.append(
            f"| {name} | {t['requests_per_second']:.0f} | {p50_p99(t['latency'])} | {statuses(t['statuses'])} "
            f"| {server / sent * 1000:.2f}, {ferret / sent * 1000:.2f}, {sum(cpu.values()) / sent * 1000:.2f} | {per_request} |"
        )
    return rows


def growth_table(r: dict[str, Any]) -> list[str]:
    g = r["growth"]
    t = g["templates"]
    rows = [
        f"Each copy: a foreign partner with {t['analyses_per_copy']} analyses, "
        f"{sum(t['documents_per_copy'].values())} documents "
        f"({listing(t['documents_per_copy'])}); "
        f"{t['tokens']} ids substituted. Not cloned: over {r['params']['growth_max_document_kb']} KB "
        f"{listing(t['left_out_large'])}; keyed by no id {listing(t['left_out_singletons'])}.",
        "",
        "| foreign analyses | documents in store | seeding | GET p50 (p99) | reuse p50 (p99) | idle stack CPU-s/s |",
        "| ---: | ---: | --- | --- | --- | ---: |",
    ]
    for point in g["points"]:
        seeding = point["seeding"]
        seeded = "–"
        if seeding:
            seeded = f"{seeding['seconds']:.0f} s ({seeding['inserted'] / max(seeding['seconds'], 1e-9):.0f} docs/s"
            seeded += f", {seeding['duplicates']} duplicates)" if seeding["duplicates"] else ")"

        def cell(timed: dict[str, Any]) -> str:
            lat = timed["latency"]
            if lat is None:
                return f"{NA} ({statuses(timed['statuses'])})"
            return f"{ms(lat['p50'])} ({ms(lat['p99'])}, n={lat['n']})"

        rows.append(
            f"| {point['foreign_analyses']:,} | {point['documents']:,} | {seeded} | {cell(point['get'])} "
            f"| {cell(point['reuse'])} | {point['idle_cpu']:.3f} |"
        )
    for size in g["skipped"]:
        rows.append(
            f"| {size:,} | | not measured: a p50 above {r['params']['growth_stop_above']:g} s at the size before | | | |"
        )
    return rows


def markdown(r: dict[str, Any]) -> str:
    loop = r["open_loop"]
    completed = loop["summary"]["completed"]
    lines = [
        *headline(r),
        "",
        *cpu_table(r),
        "",
        "Store round trips over the same window: each service's `dossier_store_commands_total`, "
        "and FerretDB's own count of commands from all clients (handshakes and heartbeats left out):",
        "",
        *commands_table(loop["store_commands"], completed, "completed analysis"),
        "",
        "GET throughput detail (CPU and commands per request over the whole run, warm-up included):",
        "",
        *get_table(r),
        "",
        *growth_table(r),
    ]
    errors = loop["summary"]["error_samples"]
    if errors:
        lines += ["", f"Open-loop errors (samples): {'; '.join(errors)}"]
    if loop["summary"]["max_sent_late"] > 0.05:
        lines += [
            "",
            f"Warning: the load generator sent a POST {loop['summary']['max_sent_late']:.2f} s behind schedule.",
        ]
    return "\n".join(lines) + "\n"


def write(results: dict[str, Any], params: Params) -> tuple[Path, str]:
    """Write `<name>.md` and `<name>.json`; a quick run never overwrites the full run's files."""
    name = "quick" if params.quick else "latest"
    params.out.mkdir(parents=True, exist_ok=True)
    text = markdown(results)
    (params.out / f"{name}.md").write_text(text)
    (params.out / f"{name}.json").write_text(json.dumps(results, indent=2) + "\n")
    return params.out / f"{name}.md", text


def realistic_command_line(params: dict[str, Any]) -> str:
    flags = ["python -m benchmarks --realistic", *(["--quick"] if params["quick"] else [])]
    for name in ("rate", "duration", "warmup", "realistic_sequential", "partitions"):
        flags.append(f"--{name.replace('_', '-')} {params[name]:g}")
    flags.append(f"--enrichment-concurrency {params['enrichment_concurrency']}")
    return " ".join(flags)


def realistic_markdown(r: dict[str, Any]) -> str:
    """The realistic scenario's table: new-report latency, throughput with 1 and 2 replicas."""
    m, p = r["machine"], r["params"]
    one, two = r["one_replica"], r["two_replicas"]

    def rate_of(part: dict[str, Any]) -> str:
        value = part["completion_rate"]
        return NA if value is None else f"{value:.2f} analyses/s"

    def outcome(part: dict[str, Any]) -> str:
        s = part["summary"]
        return (
            f"{s['completed']}/{s['offered']} completed, {s['failed']} failed, {s['errors']} errors"
        )

    scaling = (
        f"{two['completion_rate'] / one['completion_rate']:.2f}×"
        if one["completion_rate"] and two["completion_rate"]
        else NA
    )
    providers = r["providers"]
    lines = [
        "| measure (providers 1-3 s, 5 % 503, 2 % 429 + Retry-After, no source cache) | value |",
        "| --- | --- |",
        f"| machine | {m['nproc']} × {m['cpu_model']}, {m['memory_gib']} GiB; load average "
        f"{m['load_before'][0]:.2f} before, {m['load_after'][0]:.2f} after |",
        f"| run | {r['started_at']}, {r['seconds'] / 60:.1f} min: `{realistic_command_line(p)}` |",
        f"| new report, one at a time: POST → completed | {p50_p99(r['sequential'], secs)} |",
        f"| 1 enrichment replica ({p['enrichment_concurrency']} partitions at a time), "
        f"{p['rate']:g}/s for {p['duration']:g} s | {outcome(one)}; "
        f"POST → completed {p50_p99(one['summary']['latency'], secs)}; throughput {rate_of(one)} |",
        f"| 2 enrichment replicas | {outcome(two)}; POST → completed "
        f"{p50_p99(two['summary']['latency'], secs)}; throughput {rate_of(two)} |",
        f"| throughput, 2 replicas / 1 | {scaling} |",
        f"| provider requests | {providers['requests']}, of which {providers['errors_served']} "
        f"answered 503 and {providers['rate_limits_served']} 429 |",
    ]
    return "\n".join(lines) + "\n"


def write_realistic(results: dict[str, Any], params: Params) -> tuple[Path, str]:
    name = "realistic-quick" if params.quick else "realistic"
    params.out.mkdir(parents=True, exist_ok=True)
    text = realistic_markdown(results)
    (params.out / f"{name}.md").write_text(text)
    (params.out / f"{name}.json").write_text(json.dumps(results, indent=2) + "\n")
    return params.out / f"{name}.md", text
