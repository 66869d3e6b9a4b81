"""`dossier-stack demo`: one sample candidate through the running stack, as a partner would.

It POSTs a synthetic French candidate (two overlapping full-time roles are planted in
the CV), follows the analysis with a progress bar while the stages advance and the
signals arrive (conditional GETs: unchanged polls cost a 304), then prints the report and
downloads its PDF. Each run uses a fresh candidate id, so it is a new, billed analysis —
or, with `--sandbox`, a free one on the sandbox key (fixture sources, no network needed).
"""

import json
import secrets
import sys
import time
from importlib import resources
from pathlib import Path
from typing import Any

import httpx

from dossier.devstack.stack import StackConfig

STEPS = ("queued", "identity", "enrichment", "report", "done")
BAR_WIDTH = 30
POLL_SECONDS = 0.5
TIMEOUT_SECONDS = 180.0


def sample_request() -> dict[str, Any]:
    text = resources.files("dossier.devstack").joinpath("demo_data/candidate.json").read_text()
    body: dict[str, Any] = json.loads(text)
    body["candidate"]["id"] = f"cand_demo_{secrets.token_hex(4)}"
    return body


def progress_line(analysis: dict[str, Any]) -> str:
    """`[███████░░░] enrichment · 3 signals` for the current state of an analysis."""
    status = analysis["status"]
    step = "done" if status == "completed" else (analysis.get("stage") or "queued")
    done = STEPS.index(step) if step in STEPS else 0
    filled = BAR_WIDTH * done // (len(STEPS) - 1)
    bar = "█" * filled + "░" * (BAR_WIDTH - filled)
    label = status if status in {"completed", "failed", "canceled"} else step
    return f"[{bar}] {label:<10} · {len(analysis.get('signals') or [])} signals"


def render_report(analysis: dict[str, Any]) -> str:
    """The report as a recruiter would skim it in a terminal."""
    report = analysis["report"]
    rec = report["recommendation"]
    quick = analysis.get("quick_signal") or {}
    lines = [
        f"\n{report['candidateName']} — {rec['decision']} (confidence {rec['confidence']})",
        f"Quick signal: {quick.get('level', '?')} — {quick.get('reason', '')}",
        "",
        report.get("summary") or "",
        "",
        rec.get("reason") or "",
    ]
    sections = (
        ("Evidence", rec.get("evidence")),
        ("Strengths", report.get("strengths")),
        ("What to validate", report.get("whatToValidate")),
        ("Risks", report.get("risks")),
        ("Interview questions", report.get("interviewQuestions")),
    )
    for title, items in sections:
        if items:
            lines += ["", f"{title}:"] + [f"  • {item}" for item in items]
    sources = ", ".join(f"{s['name']} ({s['state']})" for s in report.get("sources") or [])
    lines += ["", f"Sources: {sources}", "", report.get("notice") or ""]
    return "\n".join(lines)


def run_demo(config: StackConfig, api_key: str, out_dir: Path) -> int:
    headers = {"X-API-Key": api_key}
    with httpx.Client(base_url=config.gateway_url, headers=headers, timeout=30) as client:
        created = client.post("/api/v1/analyses", json=sample_request())
        if created.status_code not in (200, 202):
            print(f"POST failed: {created.status_code} {created.text}", file=sys.stderr)
            return 1
        analysis_id = created.json()["id"]
        print(f"analysis {analysis_id} accepted ({created.status_code})")
        analysis = _follow(client, analysis_id)
        print()
        if analysis["status"] != "completed":
            print(f"analysis ended {analysis['status']}: {analysis.get('error')}", file=sys.stderr)
            return 1
        print(render_report(analysis))
        pdf = client.get(analysis["metadata"]["pdf_download_url"])
        pdf.raise_for_status()
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{analysis_id}.pdf"
    path.write_bytes(pdf.content)
    print(f"\nPDF ({len(pdf.content):,} bytes): {path}")
    return 0


def _follow(client: httpx.Client, analysis_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + TIMEOUT_SECONDS
    etag: str | None = None
    analysis: dict[str, Any] = {}
    while time.monotonic() < deadline:
        response = client.get(
            f"/api/v1/analyses/{analysis_id}", headers={"If-None-Match": etag} if etag else {}
        )
        if response.status_code == 200:
            analysis = response.json()
            etag = response.headers.get("ETag")
            print(f"\r{progress_line(analysis)}", end="", flush=True)
            if analysis["status"] in {"completed", "failed", "canceled"}:
                return analysis
        elif response.status_code != 304:
            response.raise_for_status()
        time.sleep(POLL_SECONDS)
    msg = f"analysis {analysis_id} did not finish within {TIMEOUT_SECONDS:.0f}s"
    raise SystemExit(msg)
