"""The realistic scenario's flags, throughput figure and table (no stack started)."""

from datetime import UTC, datetime, timedelta

from benchmarks.load import AnalysisRun
from benchmarks.params import parse_args
from benchmarks.realistic import completion_rate
from benchmarks.report import realistic_markdown

T0 = datetime(2026, 12, 7, 20, 0, tzinfo=UTC)


def test_realistic_flags_have_their_own_defaults_and_quick_shortens_them() -> None:
    full = parse_args(["--realistic"])
    quick = parse_args(["--realistic", "--quick", "--rate", "3"])
    assert (full.realistic, full.rate, full.duration, full.partitions) == (True, 2.5, 24.0, 24)
    assert (quick.quick, quick.rate, quick.duration, quick.realistic_sequential) == (
        True,
        3.0,
        12.0,
        5,
    )
    assert parse_args([]).realistic is False


def _done(seconds: float) -> AnalysisRun:
    run = AnalysisRun(scheduled_at=0.0, status="completed", created_at=T0)
    run.updated_at = T0 + timedelta(seconds=seconds)
    return run


def test_throughput_is_the_completion_rate_after_the_first_completion() -> None:
    runs = [_done(10.0), _done(12.0), _done(14.0), AnalysisRun(scheduled_at=1.0, status="failed")]
    assert completion_rate(runs) == 0.5
    assert completion_rate([_done(1.0)]) is None


def test_the_table_states_both_replica_counts_and_the_ratio() -> None:
    latency = {"n": 3, "p50": 8.0, "p99": 9.5, "max": 9.6}
    part = {
        "summary": {"completed": 3, "offered": 3, "failed": 0, "errors": 0, "latency": latency},
        "completion_rate": 1.0,
    }
    results = {
        "machine": {
            "nproc": 2,
            "cpu_model": "cpu",
            "memory_gib": 8,
            "load_before": [1.0],
            "load_after": [2.0],
        },
        "params": vars(parse_args(["--realistic", "--quick"])) | {"out": "x"},
        "started_at": "2026-12-07T20:00:00+00:00",
        "seconds": 300.0,
        "sequential": latency,
        "one_replica": part,
        "two_replicas": {**part, "completion_rate": 1.9},
        "providers": {"requests": 100, "errors_served": 5, "rate_limits_served": 2},
    }
    table = realistic_markdown(results)
    assert "p50 8.00 s, p99 9.50 s" in table
    assert "| throughput, 2 replicas / 1 | 1.90× |" in table
    assert "python -m benchmarks --realistic --quick" in table
