"""CPU time of processes from /proc: utime + stime, children included (Linux only).

`/proc/<pid>/stat` of a process sums all its threads (Kafka's JVM, FerretDB's
goroutines). Children count whether alive (their own stat, found through the ppid
field) or exited and reaped (the parent's cutime/cstime).
"""

import asyncio
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PROC = Path("/proc")


@dataclass(frozen=True)
class ProcStat:
    pid: int
    ppid: int
    utime: int  # clock ticks
    stime: int
    cutime: int  # reaped children
    cstime: int

    @property
    def ticks(self) -> int:
        return self.utime + self.stime + self.cutime + self.cstime


def parse_stat(pid: int, text: str) -> ProcStat:
    """Parse one `/proc/<pid>/stat` line. `comm` (field 2) may hold spaces and parentheses,
    so the fixed fields are those after its last `)` (see proc(5))."""
    fields = text[text.rindex(")") + 2 :].split()
    # fields[0] is field 3 (state); utime is field 14 → index 11.
    return ProcStat(
        pid=pid,
        ppid=int(fields[1]),
        utime=int(fields[11]),
        stime=int(fields[12]),
        cutime=int(fields[13]),
        cstime=int(fields[14]),
    )


def read_all_stats(proc: Path = PROC) -> dict[int, ProcStat]:
    """Every process's stat line; processes that vanish while we read are skipped."""
    stats = {}
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stats[int(entry.name)] = parse_stat(int(entry.name), (entry / "stat").read_text())
        except (FileNotFoundError, ProcessLookupError, ValueError, IndexError):
            continue
    return stats


def tree_ticks(root: int, stats: Mapping[int, ProcStat]) -> int:
    """Clock ticks of `root` and all its live descendants (plus reaped children)."""
    children: dict[int, list[int]] = {}
    for stat in stats.values():
        children.setdefault(stat.ppid, []).append(stat.pid)
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        if pid in stats:
            total += stats[pid].ticks
            stack.extend(children.get(pid, ()))
    return total


def cpu_seconds(pids: Mapping[str, int], proc: Path = PROC) -> dict[str, float]:
    """CPU-seconds so far of each named process tree (one /proc scan for all)."""
    stats = read_all_stats(proc)
    return {name: tree_ticks(pid, stats) / CLOCK_TICKS for name, pid in pids.items()}


#: The JVM's just-in-time compiler threads (`comm` is cut to 15 characters).
JIT_THREADS = ("C1 CompilerThre", "C2 CompilerThre")


def jit_cpu_seconds(pid: int, proc: Path = PROC) -> float:
    """CPU-seconds so far of a JVM's JIT compiler threads (0 for a process without them)."""
    ticks = 0
    try:
        tasks = list((proc / str(pid) / "task").iterdir())
    except FileNotFoundError:
        return 0.0
    for task in tasks:
        try:
            if (task / "comm").read_text().strip().startswith(JIT_THREADS):
                stat = parse_stat(int(task.name), (task / "stat").read_text())
                ticks += stat.utime + stat.stime
        except (FileNotFoundError, ProcessLookupError, ValueError, IndexError):
            continue
    return ticks / CLOCK_TICKS


def self_cpu_seconds() -> float:
    """This process's own CPU-seconds (the load generator), threads included."""
    times = os.times()
    return times.user + times.system


def difference(after: Mapping[str, float], before: Mapping[str, float]) -> dict[str, float]:
    return {name: after[name] - before.get(name, 0.0) for name in after}


async def rates(pids: Mapping[str, int], seconds: float) -> dict[str, float]:
    """CPU-seconds per second of each process over the next `seconds` (e.g. when idle)."""
    before = cpu_seconds(pids)
    await asyncio.sleep(seconds)
    return {name: value / seconds for name, value in difference(cpu_seconds(pids), before).items()}
