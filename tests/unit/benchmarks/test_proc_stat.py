from pathlib import Path

from benchmarks.cpu import (
    CLOCK_TICKS,
    ProcStat,
    jit_cpu_seconds,
    parse_stat,
    read_all_stats,
    tree_ticks,
)

# Fields 3.. of a real line; comm holds a space and a parenthesis on purpose.
_TAIL = "S 1 4242 4242 0 -1 4194560 1000 0 0 0 {utime} {stime} {cutime} {cstime} 20 0 12 0 100 0 0"


def _line(pid: int, comm: str, utime: int, stime: int, cutime: int = 0, cstime: int = 0) -> str:
    tail = _TAIL.format(utime=utime, stime=stime, cutime=cutime, cstime=cstime)
    return f"{pid} ({comm}) {tail}\n"


def test_parse_stat_reads_cpu_fields_after_a_comm_with_spaces_and_parentheses():
    stat = parse_stat(4242, _line(4242, "java (kafka) x", 1500, 250, 7, 3))
    assert stat == ProcStat(pid=4242, ppid=1, utime=1500, stime=250, cutime=7, cstime=3)
    assert stat.ticks == 1760


def test_tree_ticks_adds_live_descendants_and_ignores_other_processes():
    stats = {
        10: ProcStat(10, 1, 100, 50, 5, 5),  # the service; 10 ticks of reaped children
        11: ProcStat(11, 10, 20, 0, 0, 0),  # its child
        12: ProcStat(12, 11, 3, 1, 0, 0),  # a grandchild
        20: ProcStat(20, 1, 999, 999, 0, 0),  # someone else
    }
    assert tree_ticks(10, stats) == 160 + 20 + 4
    assert tree_ticks(99, stats) == 0  # gone: nothing, not an error


def test_read_all_stats_scans_numeric_entries_and_skips_vanished_ones(tmp_path: Path):
    (tmp_path / "7").mkdir()
    (tmp_path / "7" / "stat").write_text(_line(7, "python", 40, 2))
    (tmp_path / "8").mkdir()  # exited between listing and reading: no stat file
    (tmp_path / "self").mkdir()
    stats = read_all_stats(tmp_path)
    assert list(stats) == [7]
    assert stats[7].utime == 40


def _task(proc: Path, pid: int, tid: int, comm: str, utime: int, stime: int) -> None:
    task = proc / str(pid) / "task" / str(tid)
    task.mkdir(parents=True)
    (task / "comm").write_text(comm + "\n")
    fields = ["S", str(pid), *["0"] * 9, str(utime), str(stime), "0", "0"]
    (task / "stat").write_text(f"{tid} ({comm}) " + " ".join(fields) + "\n")


def test_jit_cpu_counts_only_the_compiler_threads(tmp_path: Path) -> None:
    _task(tmp_path, 7, 7, "java", 500, 100)
    _task(tmp_path, 7, 8, "C2 CompilerThre", 300, 20)
    _task(tmp_path, 7, 9, "C1 CompilerThre", 70, 10)
    _task(tmp_path, 7, 10, "data-plane-kafk", 900, 50)
    assert jit_cpu_seconds(7, tmp_path) == (300 + 20 + 70 + 10) / CLOCK_TICKS
    assert jit_cpu_seconds(8, tmp_path) == 0.0  # gone, or not a JVM
