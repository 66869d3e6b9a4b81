"""Checks any written report must pass before it is shown to a partner.

The LLM writer runs them on model output; the deterministic writer's tests run them too,
so both writers are held to the same bar.
"""

from dossier.contracts.api import Report
from dossier.language.guess import guess_language
from dossier.reporter.domain.recommendation import Outcome
from dossier.reporter.domain.report_input import ReportInput

#: Fewer marker words than this and the prose is too short to judge its language.
MIN_LANGUAGE_MARKERS = 4

#: Report lists whose every item must cite at least one finding.
CITED_FIELDS = ("recommendation.evidence", "strengths", "whatToValidate", "risks")


def cited_lists(report: Report) -> dict[str, list[str]]:
    """The items of each cited field, by wire field name."""
    return {
        "recommendation.evidence": report.recommendation.evidence or [],
        "strengths": report.strengths or [],
        "whatToValidate": report.what_to_validate or [],
        "risks": report.risks or [],
    }


def citation_problems(report: Report, signal_ids: frozenset[str]) -> list[str]:
    """Every cited item cites ≥1 existing finding, and every citation points at a real item."""
    problems: list[str] = []
    lists = cited_lists(report)
    covered: set[tuple[str, int]] = set()
    for citation in report.citations or []:
        items = lists.get(citation.field)
        if items is None:
            problems.append(f"citation of unknown field {citation.field!r}")
            continue
        if citation.index >= len(items):
            problems.append(f"citation of {citation.field}[{citation.index}], which does not exist")
            continue
        unknown = [sid for sid in citation.signal_ids if sid not in signal_ids]
        if unknown:
            problems.append(f"{citation.field}[{citation.index}] cites unknown signals {unknown}")
        if citation.signal_ids and not unknown:
            covered.add((citation.field, citation.index))
    for field, items in lists.items():
        for index in range(len(items)):
            if (field, index) not in covered:
                problems.append(f"{field}[{index}] cites no existing signal")
    return problems


def _prose(report: Report) -> str:
    """Our own sentences (not quoted findings): what the language check reads."""
    return " ".join(filter(None, [report.summary, report.recommendation.reason]))


def report_problems(report: Report, inp: ReportInput, expected: Outcome) -> list[str]:
    """Everything wrong with a report for this input; empty when it may be shown."""
    problems: list[str] = []
    if report.recommendation.decision is not expected.decision:
        problems.append(
            f"decision {report.recommendation.decision.value!r} differs from the rules'"
            f" {expected.decision.value!r}"
        )
    if report.recommendation.confidence is not expected.confidence:
        problems.append("confidence differs from the rules'")
    if not (report.summary or "").strip():
        problems.append("summary is missing")
    if not (report.recommendation.reason or "").strip():
        problems.append("recommendation reason is missing")
    for name in ("strengths", "what_to_validate", "risks", "interview_questions"):
        if getattr(report, name) is None:
            problems.append(f"{name} is missing")
    if report.what_to_validate and not report.interview_questions:
        problems.append("there are points to validate but no interview questions")
    guessed = guess_language(_prose(report), min_score=MIN_LANGUAGE_MARKERS)
    if guessed is not None and guessed is not inp.language:
        problems.append(f"written in {guessed.value!r}, expected {inp.language.value!r}")
    problems.extend(citation_problems(report, inp.signal_ids))
    return problems
