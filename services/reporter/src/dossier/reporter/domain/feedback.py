"""Reviewer feedback applied to a completed analysis's findings (pure).

A verdict marks one signal: `dismissed` (not_this_person, incorrect) or `confirmed`.
A dismissed signal stays listed but no longer counts: the report is rewritten from the
findings that remain. The CV itself is never kept (it was shredded when the analysis
completed), so a rewrite has no CV claims to quote: what the CV contributed survives
as the findings already recorded (consistency checks, timeline), and the report's
metadata says so (`REWRITE_NOTE`).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from dossier.contracts.api import Signal, SignalVerdict
from dossier.contracts.enums import FeedbackVerdict

REWRITE_NOTE = (
    "Rewritten after reviewer feedback without {count} dismissed signal(s). The CV is not "
    "kept after a report is written, so this version relies on the findings already "
    "recorded, not on the CV text."
)


@dataclass(frozen=True)
class Applied:
    """The signals with the verdict marked, and whether the report must be rewritten."""

    signals: list[dict[str, Any]]
    rewrite: bool


def mark_field(verdict: FeedbackVerdict) -> str:
    return "dismissed" if verdict.dismisses else "confirmed"


def apply_verdict(
    signals: Sequence[dict[str, Any]],
    signal_id: str,
    verdict: FeedbackVerdict,
    note: str | None,
    at: datetime,
) -> Applied | None:
    """The stored signals with `signal_id` marked; None when there is nothing to do (no
    such signal, or the signal already carries this verdict: a repeated message)."""
    index = next((i for i, s in enumerate(signals) if s.get("id") == signal_id), None)
    if index is None:
        return None
    field = mark_field(verdict)
    current = signals[index].get(field)
    if isinstance(current, dict) and current.get("verdict") == verdict.value:
        return None
    mark = SignalVerdict(verdict=verdict, note=note, at=at).model_dump(mode="python", by_alias=True)
    marked = [dict(s) for s in signals]
    marked[index][field] = mark
    return Applied(signals=marked, rewrite=verdict.dismisses)


def remaining(signals: Sequence[dict[str, Any]]) -> list[Signal]:
    """The findings a rewritten report is built from: every signal not dismissed."""
    return [Signal.model_validate(s) for s in signals if not s.get("dismissed")]


def dismissed_count(signals: Sequence[dict[str, Any]]) -> int:
    return sum(1 for s in signals if s.get("dismissed"))
