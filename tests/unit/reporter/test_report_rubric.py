"""docs/report-rubric.md, mechanically: every report written for the candidate corpus
(tests/fixtures/candidates, each candidate in all five report languages) follows it.

The identity stage's domain turns each candidate into findings as in production; the
enrichment findings a candidate.json lists (`findings`: a sanctions entry, a skill a
source evidences) are added as the enrichment stage would.
"""

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import pytest

from dossier.contracts.api import ClientRef, Report, Signal
from dossier.contracts.enums import Language, Stance
from dossier.contracts.events import AnalysisContext, CandidateProfile
from dossier.language.guess import guess_language
from dossier.reporter.domain.catalogue import phrasebook
from dossier.reporter.domain.deterministic_writer import DeterministicWriter
from dossier.reporter.domain.recommendation import is_gap, recommend_for
from dossier.reporter.domain.report_checks import (
    MIN_LANGUAGE_MARKERS,
    confirms_cv,
    is_corroboration,
    report_problems,
    rubric_problems,
)
from dossier.reporter.domain.report_input import ReportInput
from tests.unit.identity.test_candidate_corpus import FOLDERS, evaluate

CASES = [(folder, language) for folder in FOLDERS for language in Language]
IDS = [f"{folder.name}-{language.value}" for folder, language in CASES]


@dataclass(frozen=True)
class Written:
    inp: ReportInput
    report: Report


@cache  # one report per candidate and language, shared by the tests below
def report_for(folder: Path, language: Language) -> Written:
    outcome = evaluate(folder)
    spec = outcome.spec
    context = AnalysisContext(
        analysis_id=f"an_{folder.name}",
        partner_id="partner_rubric",
        client=ClientRef(id="client_rubric"),
        candidate=CandidateProfile(id=folder.name, **spec["request"]),
        language=language,
        requested_at=datetime(2026, 6, 29, 12, tzinfo=UTC),
    )
    enrichment = [Signal.model_validate(found) for found in spec.get("findings", [])]
    inp = ReportInput(
        context=context,
        claims=outcome.claims,
        identity=outcome.identity,
        signals=[*outcome.signals, *enrichment],
    )
    return Written(inp, DeterministicWriter().write(inp))


def probes(report: Report) -> dict[int, list[str]]:
    return {
        c.index: c.signal_ids for c in report.citations or [] if c.field == "interviewQuestions"
    }


def test_the_corpus_covers_every_case_of_the_rubric() -> None:
    names = {folder.name for folder in FOLDERS}
    assert "en_no_cv" in names
    assert any("clean" in name for name in names)
    assert any("homonym" in name for name in names)
    assert any("sanctions" in name for name in names)
    assert "en_rich_cv_data_engineer_gap" in names
    thin = [w for w in (report_for(f, Language.EN) for f in FOLDERS)
            if recommend_for(w.inp).rule.value == "thin_evidence"]  # fmt: skip
    assert thin


@pytest.mark.parametrize(("folder", "language"), CASES, ids=IDS)
def test_every_report_has_at_least_three_distinct_questions(
    folder: Path, language: Language
) -> None:
    questions = report_for(folder, language).report.interview_questions or []

    assert len(questions) >= 3, questions
    assert len(set(questions)) == len(questions)


@pytest.mark.parametrize(("folder", "language"), CASES, ids=IDS)
def test_questions_probe_the_points_to_validate_and_never_a_confirming_finding(
    folder: Path, language: Language
) -> None:
    written = report_for(folder, language)
    by_id = {s.id: s for s in written.inp.citable_signals}
    probed = {sid for ids in probes(written.report).values() for sid in ids}
    worth_asking = {s.id for s in written.inp.citable_signals if s.stance is Stance.CONTRADICTS}

    assert worth_asking <= probed, worth_asking - probed
    assert not [sid for sid in probed if confirms_cv(by_id[sid])]
    statements = [s.statement.rstrip(".") for s in by_id.values() if confirms_cv(s)]
    for question in written.report.interview_questions or []:
        assert not [s for s in statements if s and s in question], question
    assert rubric_problems(written.report, written.inp) == []


@pytest.mark.parametrize(("folder", "language"), CASES, ids=IDS)
def test_every_question_is_specific_to_the_candidate(folder: Path, language: Language) -> None:
    written = report_for(folder, language)
    candidate = written.inp.context.candidate
    claims = written.inp.claims
    names = [candidate.role, candidate.company]
    if claims is not None:
        names += [job.employer for job in claims.employments]
        names += [entry.institution for entry in claims.education]
    specific = [n for n in names if n]
    tied = probes(written.report)
    generic = [
        question
        for index, question in enumerate(written.report.interview_questions or [])
        if index not in tied and not any(name in question for name in specific)
    ]
    # At most the closing ones (career, references) may do without a name or a finding.
    assert len(generic) <= 2, generic
    assert len(written.report.interview_questions or []) - len(generic) >= 1


@pytest.mark.parametrize(("folder", "language"), CASES, ids=IDS)
def test_no_identity_corroboration_is_listed_as_a_strength(
    folder: Path, language: Language
) -> None:
    written = report_for(folder, language)
    corroborations = [s for s in written.inp.citable_signals if is_corroboration(s)]

    for strength in written.report.strengths or []:
        assert not [s for s in corroborations if s.statement.rstrip(".")[:60] in strength]


@pytest.mark.parametrize(("folder", "language"), CASES, ids=IDS)
def test_a_gap_is_never_a_risk_nor_worded_as_a_contradiction(
    folder: Path, language: Language
) -> None:
    written = report_for(folder, language)
    book = phrasebook(language)
    gaps = {s.id for s in written.inp.citable_signals if is_gap(s)}
    cited = {(c.field, c.index): set(c.signal_ids) for c in written.report.citations or []}
    neutral = (book.validate_gap.split("{")[0], book.validate_gap_finding, book.lead_to_clarify)
    gap_questions = (book.ask_gap.split("{")[0], book.ask_gap_finding.split("{")[0])

    for index, _ in enumerate(written.report.risks or []):
        assert not cited.get(("risks", index), set()) & gaps
    for field, items in (
        ("whatToValidate", written.report.what_to_validate or []),
        ("recommendation.evidence", written.report.recommendation.evidence or []),
        ("interviewQuestions", written.report.interview_questions or []),
    ):
        for index, text in enumerate(items):
            if cited.get((field, index), set()) & gaps:
                starts = gap_questions if field == "interviewQuestions" else neutral
                assert text.startswith(starts), text


@pytest.mark.parametrize("language", list(Language), ids=[language.value for language in Language])
def test_strengths_use_the_cv_substance_when_there_is_one(language: Language) -> None:
    folder = next(f for f in FOLDERS if f.name == "en_rich_cv_data_engineer_gap")
    written = report_for(folder, language)
    book = phrasebook(language)
    strengths = " ".join(written.report.strengths or [])

    assert "Tessellate Analytics Ltd" in strengths
    assert book.achievement_kinds["led_team"].format(n=4) in strengths
    assert book.achievement_kinds["migrated"] in strengths
    assert "Kafka" in strengths
    assert "Spark" in strengths
    assert book.strength_seniority.split("{")[0] in strengths
    assert written.report.risks == []
    gap_question = (written.report.interview_questions or [])[0]
    assert "20" in gap_question
    assert "Brightwell Logistics" in gap_question


_QUOTED = re.compile(r"[“«„\"][^”»“\"]*[”»“\"]")


def own_words(report: Report, inp: ReportInput) -> str:
    """Everything the writer says in its own words: quoted findings and the names of
    people, employers, roles and skills taken out (they are data, in any language)."""
    texts = [
        report.summary or "",
        report.recommendation.reason or "",
        *(report.recommendation.evidence or []),
        *(report.strengths or []),
        *(report.what_to_validate or []),
        *(report.risks or []),
        *(report.interview_questions or []),
    ]
    text = _QUOTED.sub(" ", " ".join(texts))
    candidate = inp.context.candidate
    names = [candidate.role, candidate.company, candidate.full_name]
    if inp.claims is not None:
        for job in inp.claims.employments:
            names += [job.employer, job.title]
        names += [e.institution for e in inp.claims.education]
        names += [e.degree for e in inp.claims.education]
    for name in sorted(filter(None, names), key=len, reverse=True):
        text = text.replace(name, " ")
    return text


@pytest.mark.parametrize(("folder", "language"), CASES, ids=IDS)
def test_every_text_is_in_the_requested_language(folder: Path, language: Language) -> None:
    written = report_for(folder, language)
    assert (
        guess_language(own_words(written.report, written.inp), min_score=MIN_LANGUAGE_MARKERS)
        is language
    )
    for question in written.report.interview_questions or []:
        guessed = guess_language(_QUOTED.sub(" ", question), min_score=MIN_LANGUAGE_MARKERS)
        assert guessed in (None, language), question


@pytest.mark.parametrize(("folder", "language"), CASES, ids=IDS)
def test_every_report_passes_the_checks_shown_to_partners(folder: Path, language: Language) -> None:
    written = report_for(folder, language)
    assert report_problems(written.report, written.inp, recommend_for(written.inp)) == []


def test_candidate_json_findings_are_valid_signals() -> None:
    for folder in FOLDERS:
        spec = json.loads((folder / "candidate.json").read_text(encoding="utf-8"))
        for found in spec.get("findings", []):
            assert Signal.model_validate(found).id
