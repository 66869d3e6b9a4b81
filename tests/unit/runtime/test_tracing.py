"""Spans are recorded only when something receives them; trace ids exist either way."""

import json
import subprocess
import sys
from pathlib import Path

PROBE = """
import json
from opentelemetry import trace
from pymongo import monitoring
from dossier.runtime.tracing import configure_tracing, current_trace_ids

configure_tracing("probe")
tracer = trace.get_tracer("probe")
with tracer.start_as_current_span("outer") as span:
    ids = current_trace_ids()
    print(json.dumps({
        "recording": span.is_recording(),
        "ids": ids,
        "mongo_listeners": len(monitoring._LISTENERS.command_listeners),
    }))
"""


def _probe(env: dict[str, str]) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, object] = json.loads(out.stdout)
    return result


def test_nothing_exported_means_nothing_recorded_but_ids_still_flow() -> None:
    result = _probe({})
    assert result["recording"] is False
    ids = result["ids"]
    assert isinstance(ids, dict)
    assert len(ids["trace_id"]) == 32
    assert int(ids["trace_id"], 16) != 0
    assert result["mongo_listeners"] == 0  # no per-command spans nobody receives


def test_an_exporter_turns_recording_and_store_spans_on(tmp_path: Path) -> None:
    result = _probe({"DOSSIER_TRACE_FILE": str(tmp_path / "spans.jsonl")})
    assert result["recording"] is True
    assert result["mongo_listeners"] == 1
    spans = [json.loads(line) for line in (tmp_path / "spans.jsonl").read_text().splitlines()]
    assert [s["name"] for s in spans] == ["outer"]
