"""Check the Grafana dashboard against the metrics the code declares.

Every `dossier_*` series a panel queries must be declared in dossier.runtime.metrics (with
the suffix prometheus_client adds: `_total` for counters, `_bucket`/`_sum`/`_count` for
histograms), every `by (...)` label must be one of those metrics' labels, and the metrics
SREs rely on must each have a panel. Standard library only.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

DECLARATION = re.compile(
    r"(?P<kind>Counter|Histogram|Gauge)\(\s*\"(?P<name>dossier_\w+)\"\s*,\s*\"[^\"]*\""
    r"(?:\s*,\s*\[(?P<labels>[^\]]*)\])?",
    re.MULTILINE,
)
SERIES = re.compile(r"\b(dossier_[a-z0-9_]+)")
GROUPING = re.compile(r"\bby\s*\(([^)]*)\)")
SUFFIXES = {"Counter": ("_total",), "Histogram": ("_bucket", "_sum", "_count"), "Gauge": ("",)}
#: Labels Prometheus or histogram_quantile add on top of the code's own.
IMPLICIT_LABELS = {"le", "namespace", "pod", "job", "instance", "service"}
REQUIRED = (
    "dossier_http_requests",
    "dossier_http_request_duration_seconds",
    "dossier_messages_consumed",
    "dossier_messages_failed",
    "dossier_messages_retried",
    "dossier_stage_duration_seconds",
    "dossier_analysis_latency_seconds",
    "dossier_source_request_duration_seconds",
    "dossier_source_errors",
    "dossier_reuse_hits",
    "dossier_credits_charged",
    "dossier_consumer_lag",
)


def declared_series(metrics_source: str) -> dict[str, tuple[str, set[str]]]:
    """Series name → (declared metric name, its labels)."""
    series: dict[str, tuple[str, set[str]]] = {}
    for match in DECLARATION.finditer(metrics_source):
        labels = set(re.findall(r"\"(\w+)\"", match.group("labels") or ""))
        for suffix in SUFFIXES[match.group("kind")]:
            series[match.group("name") + suffix] = (match.group("name"), labels)
    return series


def expressions(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["expr"]] if isinstance(node.get("expr"), str) else []
        return found + [e for value in node.values() for e in expressions(value)]
    if isinstance(node, list):
        return [e for item in node for e in expressions(item)]
    return []


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("dashboard", type=Path)
    parser.add_argument("metrics_module", type=Path)
    args = parser.parse_args()

    series = declared_series(args.metrics_module.read_text())
    if not series:
        print(f"FAIL no metric declarations found in {args.metrics_module}")
        return 1
    dashboard = json.loads(args.dashboard.read_text())
    problems: list[str] = []
    used: set[str] = set()
    exprs = expressions(dashboard.get("panels", []))
    for expr in exprs:
        names = SERIES.findall(expr)
        labels: set[str] = set()
        for name in names:
            if name not in series:
                problems.append(f"unknown series {name!r} in: {expr}")
                continue
            used.add(series[name][0])
            labels |= series[name][1]
        for group in GROUPING.findall(expr):
            for label in (part.strip() for part in group.split(",") if part.strip()):
                if label not in labels | IMPLICIT_LABELS:
                    problems.append(f"label {label!r} is not on {sorted(set(names))}: {expr}")
    problems += [f"no panel for {name}" for name in REQUIRED if name not in used]
    for problem in problems:
        print(f"FAIL dashboard: {problem}")
    print(f"dashboard: {len(exprs)} queries checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
