"""The deterministic writer: cited, localized, specific, and the same every time."""

import json
import os
import subprocess
import sys
from collections.abc import Callable

import pytest

from dossier.contracts.api import QuickSignal, Report, Signal, SourceCheck
from dossier.contracts.enums import (
    Confidence,
    Decision,
    Language,
    Level,
    Reliability,
    SourceState,
    SourceType,
    Stance,
)
from dossier.language.guess import guess_language
from dossier.reporter.domain.deterministic_writer import DeterministicWriter, identity_wording
from dossier.reporter.domain.recommendation import recommend_for
from dossier.reporter.domain.report_checks import cited_lists, report_problems
from tests.unit.reporter.conftest import mixed_signals

InputFactory = Callable[..., object]

# Words only our own text in that language uses: item frames, questions, the conclusion.
MARKERS = {
    Language.EN: ("reliability", "Your CV", "We suggest", "human review"),
    Language.FR: ("fiabilité", "Votre CV", "Nous suggérons", "examen et un contrôle humains"),
    Language.DE: ("Zuverlässigkeit", "Ihr Lebenslauf", "Wir schlagen vor", "menschliche Prüfung"),
    Language.IT: ("affidabilità", "Il suo CV", "Suggeriamo", "supervisione umana"),
    Language.ES: ("fiabilidad", "Su CV", "Sugerimos", "supervisión humanas"),
}


def all_text(report: Report) -> str:
    lists = cited_lists(report)
    return "\n".join(
        [
            report.summary or "",
            report.recommendation.reason or "",
            *[item for items in lists.values() for item in items],
            *(report.interview_questions or []),
            report.notice or "",
        ]
    )


def write(inp: object) -> Report:
    return DeterministicWriter().write(inp)  # type: ignore[arg-type]


@pytest.mark.parametrize("language", list(Language))
def test_each_language_is_written_in_that_language(
    make_input: InputFactory, language: Language
) -> None:
    report = write(make_input(language=language))
    text = all_text(report)

    for marker in MARKERS[language]:
        assert marker in text, marker
    for other, markers in MARKERS.items():
        if other is not language:
            assert markers[0] not in text, f"{other} marker in a {language} report"
    assert guess_language(f"{report.summary} {report.recommendation.reason}") is language


SCENARIOS = {
    "mixed": {},
    "identity in doubt": {"level": Level.RED, "identity_confidence": Confidence.LOW},
    "no findings": {"signals": []},
    "no claims": {"claims": None},
    "no sources missing": {"sources": [SourceCheck(name="github", state=SourceState.CHECKED)]},
}


@pytest.mark.parametrize("language", list(Language))
@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_every_item_cites_existing_findings(
    make_input: InputFactory, language: Language, scenario: str
) -> None:
    inp = make_input(language=language, **SCENARIOS[scenario])

    report = write(inp)

    known = {s.id for s in inp.all_signals}  # type: ignore[attr-defined]
    by_item = {(c.field, c.index): c.signal_ids for c in report.citations or []}
    for field, items in cited_lists(report).items():
        for index in range(len(items)):
            cited = by_item.get((field, index))
            assert cited, f"{field}[{index}] cites nothing"
            assert set(cited) <= known
    assert report_problems(report, inp, recommend_for(inp)) == []  # type: ignore[arg-type]


def test_same_input_gives_the_same_report(make_input: InputFactory) -> None:
    first = write(make_input(language=Language.FR))
    second = write(make_input(language=Language.FR))

    assert first.model_dump(mode="json") == second.model_dump(mode="json")


def test_report_does_not_depend_on_hash_seed() -> None:
    """Set iteration order changes with PYTHONHASHSEED; the report must not."""
    script = (
        "import sys, json;"
        f"sys.path.insert(0, {os.path.dirname(__file__)!r});"
        "from conftest import build_input;"
        "from dossier.reporter.domain.deterministic_writer import DeterministicWriter;"
        "print(json.dumps(DeterministicWriter().write(build_input()).model_dump(mode='json')))"
    )
    outputs = [
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    ]

    assert json.loads(outputs[0]) == json.loads(outputs[1])


def test_questions_name_the_employer_dates_and_gap(make_input: InputFactory) -> None:
    report = write(make_input())
    questions = report.interview_questions or []

    gap_question = next(q for q in questions if "gap" in q or "no position" in q)
    assert "Globex (January 2019)" in gap_question
    assert "Example Company (November 2019)" in gap_question
    assert "9 months" in gap_question
    assert any("Developer at Globex (March 2016 – January 2019)" in q for q in questions)
    assert any("ETH Zürich" in q and "diploma" in q for q in questions)


def test_what_to_validate_covers_contradictions_weak_claims_and_missing_sources(
    make_input: InputFactory,
) -> None:
    report = write(make_input())
    items = report.what_to_validate or []
    cited = {c.index: c.signal_ids for c in report.citations or [] if c.field == "whatToValidate"}

    assert any("gap" in item for item in items)
    assert any(item.startswith("Verify the position at Globex") for item in items)
    assert any("ETH Zürich" in item for item in items)
    weak = next(i for i, item in enumerate(items) if "low-reliability" in item)
    assert cited[weak] == ["s5"]
    assert any("companies-house could not be consulted" in item for item in items)


def test_risks_are_the_contradictions_most_reliable_first_and_never_the_gap(
    make_input: InputFactory,
) -> None:
    report = write(make_input())
    risk_ids = [c.signal_ids for c in report.citations or [] if c.field == "risks"]

    assert risk_ids == [["s3"], ["s7"]]  # s4, the gap, is a point to clarify


def test_strengths_are_skills_sources_evidence_not_verifications(
    make_input: InputFactory, make_signal: Callable[..., Signal]
) -> None:
    skills = make_signal("k1", Stance.SUPPORTS, Reliability.MEDIUM, SourceType.GITHUB, "skills.go")
    report = write(make_input(signals=[*mixed_signals(), skills]))
    strength_ids = [c.signal_ids[0] for c in report.citations or [] if c.field == "strengths"]

    # s1/s2 (employment) and s6 (sanctions) verify the CV; they are evidence, not strengths.
    assert strength_ids == ["k1"]


def test_sanctions_hit_leads_to_no_go_with_a_compliance_check(
    make_input: InputFactory, make_signal: Callable[..., Signal]
) -> None:
    hit = make_signal(
        "hit", Stance.CONTRADICTS, Reliability.HIGH, SourceType.SANCTIONS, "sanctions",
        statement="OFAC SDN entry: John Doe, born 1985.",
    )  # fmt: skip

    report = write(make_input(signals=[hit]))

    assert report.recommendation.decision is Decision.NO_GO
    assert (report.risks or [])[0].startswith("Possible sanctions-list match")
    assert any("namesake" in item for item in report.what_to_validate or [])
    assert any("date of birth" in q for q in report.interview_questions or [])


def test_doubtful_identity_asks_to_confirm_the_profiles(
    make_input: InputFactory, make_signal: Callable[..., Signal]
) -> None:
    profile = make_signal("p1", Stance.NEUTRAL, Reliability.MEDIUM, SourceType.GITHUB, "identity")

    report = write(
        make_input(
            signals=[], identity_signals=[profile], sources=[], level=Level.RED,
            identity_confidence=Confidence.LOW,
        )
    )  # fmt: skip

    assert report.what_to_validate == ["Confirm that the profiles found really belong to John Doe"]
    cited = [c.signal_ids for c in report.citations or [] if c.field == "whatToValidate"]
    assert cited == [["p1"]]
    assert any("GitHub or LinkedIn" in q for q in report.interview_questions or [])


def test_findings_repeated_by_identity_and_enrichment_count_once(
    make_input: InputFactory, make_signal: Callable[..., Signal]
) -> None:
    twice = make_signal("dup", Stance.CONTRADICTS, Reliability.MEDIUM, SourceType.WEB, "location")

    report = write(make_input(signals=[twice], identity_signals=[twice]))

    assert len(report.risks or []) == 1


def test_findings_without_id_are_never_cited(
    make_input: InputFactory, make_signal: Callable[..., Signal]
) -> None:
    anonymous = make_signal(None, Stance.CONTRADICTS, Reliability.HIGH, SourceType.WEB)

    report = write(make_input(signals=[anonymous]))

    assert report.risks == []
    assert all(c.signal_ids for c in report.citations or [])


def test_sources_pass_through_and_notice_is_localized(make_input: InputFactory) -> None:
    inp = make_input(language=Language.DE)

    report = write(inp)

    assert report.sources == inp.sources  # type: ignore[attr-defined]
    assert (report.notice or "").startswith("Hinweis zur KI-Compliance")


@pytest.mark.parametrize("language", list(Language))
def test_text_supports_a_decision_without_making_one(
    make_input: InputFactory, language: Language
) -> None:
    text = all_text(write(make_input(language=language))).lower()

    for claim_to_decide in ("hired", "rejected", "must be rejected", "embauché", "abgelehnt"):
        assert claim_to_decide not in text
    assert "candidate intelligence" in text  # the compliance notice is there


def test_summary_tells_what_was_found_and_what_could_not_be_checked(
    make_input: InputFactory,
) -> None:
    report = write(make_input())

    assert report.summary == (
        "The request describes John Doe as Software Engineer at Example Company. Identity is"
        " well supported (confidence: medium). 3 findings confirm the CV; 2 contradict it."
        " Source not consulted: companies-house. We suggest moving forward once the points"
        " listed under what to validate have been checked."
    )


def test_identity_stage_gap_finding_gets_a_gap_question(
    make_input: InputFactory, make_signal: Callable[..., Signal]
) -> None:
    gap = make_signal(
        "t1", Stance.CONTRADICTS, Reliability.HIGH, SourceType.CV, "timeline.gaps",
        statement="No position between January 2019 and November 2019.", url="",
    )  # fmt: skip

    report = write(make_input(signals=[gap], sources=[]))

    assert (report.what_to_validate or [])[0].startswith(
        "Clarify the period of about 9 months without a listed position between Globex"
        " (January 2019) and Example Company"
    )
    assert "Is there anything about that period" in (report.interview_questions or [])[0]


@pytest.mark.parametrize(
    ("level", "confidence", "wording"),
    [
        (Level.ORANGE, Confidence.HIGH, "Green"),
        (Level.GREEN, Confidence.LOW, "Red"),
        (Level.ORANGE, Confidence.MEDIUM, "Orange"),
        (Level.GREEN, Confidence.MEDIUM, "Green"),
    ],
)
def test_identity_sentence_never_contradicts_the_stated_confidence(
    level: Level, confidence: Confidence, wording: str
) -> None:
    quick = QuickSignal(level=level, reason="r", identity_confidence=confidence)
    assert identity_wording(quick) == wording


@pytest.mark.parametrize("claim", ["identity.github", "location"])
def test_a_weak_identity_corroboration_is_not_a_point_to_validate_when_identity_holds(
    make_input: InputFactory, make_signal: Callable[..., Signal], claim: str
) -> None:
    weak = make_signal("loc", Stance.SUPPORTS, Reliability.LOW, SourceType.GITHUB, claim)
    report = DeterministicWriter().write(
        make_input(
            signals=[*mixed_signals(), weak],
            identity_confidence=Confidence.HIGH,
            sources=[SourceCheck(name="github", state=SourceState.CHECKED)],
        )
    )
    cited = {
        sid for c in report.citations or [] if c.field == "whatToValidate" for sid in c.signal_ids
    }
    assert "loc" not in cited
