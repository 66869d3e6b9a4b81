"""Checks any written report must pass before it is shown to a partner.

The LLM writer runs them on model output; the deterministic writer's tests run them too,
so both writers are held to the same bar.
"""

from dossier.contracts.api import Report, Signal
from dossier.language.guess import guess_language
from dossier.reporter.domain.recommendation import Outcome, claim_area, is_gap, is_support
from dossier.reporter.domain.report_input import ReportInput

#: Fewer marker words than this and the prose is too short to judge its language.
MIN_LANGUAGE_MARKERS = 4

#: Report lists whose every item must cite at least one finding.
CITED_FIELDS = ("recommendation.evidence", "strengths", "whatToValidate", "risks")
#: Questions cite the finding they probe, when they probe one (docs/report-rubric.md).
QUESTIONS_FIELD = "interviewQuestions"
#: Fewest interview questions in any report.
MIN_QUESTIONS = 3
#: Claim areas whose confirmation is identity or verification, never a strength.
CORROBORATION_AREAS = frozenset({"identity", "location", "employment", "education", "sanctions"})


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
    questions = report.interview_questions or []
    for citation in report.citations or []:
        if citation.field == QUESTIONS_FIELD:
            if citation.index >= len(questions):
                problems.append(
                    f"citation of {QUESTIONS_FIELD}[{citation.index}], which does not exist"
                )
            elif any(sid not in signal_ids for sid in citation.signal_ids):
                problems.append(f"{QUESTIONS_FIELD}[{citation.index}] cites unknown signals")
            continue
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


def is_corroboration(signal: Signal) -> bool:
    """A finding that confirms who the candidate is or where they worked: evidence for the
    identity and verification part, never a strength."""
    return is_support(signal) and claim_area(signal) in CORROBORATION_AREAS


def confirms_cv(signal: Signal) -> bool:
    """A finding that supports the CV, however reliable: nothing to ask the candidate about."""
    return is_support(signal)


def _statement_in(signal: Signal, text: str) -> bool:
    """Whether `text` quotes the finding (its first words are enough)."""
    head = " ".join(signal.statement.split()).rstrip(".")[:60]
    return bool(head) and head in " ".join(text.split())


def _cited(report: Report, field: str) -> dict[int, list[str]]:
    cited: dict[int, list[str]] = {}
    for citation in report.citations or []:
        if citation.field == field:
            cited.setdefault(citation.index, []).extend(citation.signal_ids)
    return cited


def rubric_problems(report: Report, inp: ReportInput) -> list[str]:
    """The mechanical parts of docs/report-rubric.md; empty when the report follows them.

    - at least `MIN_QUESTIONS` interview questions;
    - a question never probes (cites) a finding that confirms the CV;
    - each gap, contradiction or sanctions entry listed under what to validate is probed
      by at least one question;
    - no strength cites only identity corroborations;
    - a gap is never a risk.
    """
    problems: list[str] = []
    by_id = {s.id: s for s in inp.citable_signals if s.id is not None}
    questions = report.interview_questions or []
    if len(questions) < MIN_QUESTIONS:
        problems.append(f"{len(questions)} interview questions, at least {MIN_QUESTIONS} needed")
    probed: set[str] = set()
    for index, ids in _cited(report, QUESTIONS_FIELD).items():
        probed.update(ids)
        if any(sid in by_id and confirms_cv(by_id[sid]) for sid in ids):
            problems.append(f"{QUESTIONS_FIELD}[{index}] asks about a finding that confirms the CV")
    for index, ids in _cited(report, "whatToValidate").items():
        worth_asking = [sid for sid in ids if sid in by_id and not is_support(by_id[sid])]
        if worth_asking and not probed & set(worth_asking):
            problems.append(f"whatToValidate[{index}] has no interview question probing it")
    corroborations = [s for s in by_id.values() if is_corroboration(s)]
    for index, text in enumerate(report.strengths or []):
        if any(_statement_in(s, text) for s in corroborations):
            problems.append(f"strengths[{index}] is an identity corroboration, not a strength")
    for index, ids in _cited(report, "risks").items():
        if any(sid in by_id and is_gap(by_id[sid]) for sid in ids):
            problems.append(f"risks[{index}] lists a gap, which is a point to clarify")
    return problems
