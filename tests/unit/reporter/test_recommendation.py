"""The recommendation rules, as a table: findings in, decision + confidence + rule out."""

from collections.abc import Callable

import pytest

from dossier.contracts.api import QuickSignal, Signal
from dossier.contracts.enums import Confidence, Decision, Level, Reliability, SourceType, Stance
from dossier.reporter.domain.recommendation import (
    MAX_EVIDENCE,
    Rule,
    claim_area,
    recommend,
)

H, M, L = Reliability.HIGH, Reliability.MEDIUM, Reliability.LOW
SUP, CON, NEU = Stance.SUPPORTS, Stance.CONTRADICTS, Stance.NEUTRAL
WEB, GH, SAN, REG, CV = (
    SourceType.WEB,
    SourceType.GITHUB,
    SourceType.SANCTIONS,
    SourceType.COMPANY_REGISTRY,
    SourceType.CV,
)
GREEN, ORANGE, RED = Level.GREEN, Level.ORANGE, Level.RED
CH, CM, CL = Confidence.HIGH, Confidence.MEDIUM, Confidence.LOW
GO, GWV, NOGO = Decision.GO, Decision.GO_WITH_VALIDATION, Decision.NO_GO

# (id, stance, reliability, source type, claim, url) — url None means "derive from id".
Spec = tuple[str | None, Stance | None, Reliability, SourceType, str | None, str | None]


def spec(
    sid: str | None,
    stance: Stance | None,
    reliability: Reliability = H,
    source: SourceType = WEB,
    claim: str | None = "employment.current",
    url: str | None = None,
) -> Spec:
    return (sid, stance, reliability, source, claim, url)


CORROBORATED = [spec("a", SUP, H, REG), spec("b", SUP, M, GH)]

CASES: list[tuple[str, list[Spec], Level, Confidence, bool, Decision, Confidence, Rule]] = [
    ("high sanctions hit", [spec("x", CON, H, SAN, "sanctions"), *CORROBORATED],
     GREEN, CM, False, NOGO, CH, Rule.SANCTIONS_HIT),
    ("high sanctions hit stays High with a source missing", [spec("x", CON, H, SAN, "sanctions")],
     GREEN, CM, True, NOGO, CH, Rule.SANCTIONS_HIT),
    ("medium sanctions hit is probably a namesake", [spec("x", CON, M, SAN, "sanctions"), *CORROBORATED],
     GREEN, CM, False, GWV, CL, Rule.SANCTIONS_POSSIBLE),
    ("clean sanctions check does not block", [spec("x", SUP, H, SAN, "sanctions"), *CORROBORATED],
     GREEN, CM, False, GO, CM, Rule.CORROBORATED),
    ("two reliable independent core refutations",
     [spec("c1", CON, H, REG, "employment[0]"), spec("c2", CON, H, WEB, "education[0]")],
     GREEN, CM, False, NOGO, CM, Rule.CORE_CLAIMS_REFUTED),
    ("two refutations from the same page are one source",
     [spec("c1", CON, H, WEB, "employment[0]", "https://x.test/p"),
      spec("c2", CON, H, WEB, "education[0]", "https://x.test/p")],
     GREEN, CM, False, GWV, CM, Rule.CONTRADICTIONS),
    ("refutations with a doubtful identity may be a namesake",
     [spec("c1", CON, H, REG, "employment[0]"), spec("c2", CON, H, WEB, "education[0]")],
     RED, CL, False, GWV, CL, Rule.CONTRADICTIONS),
    ("refutations of non-core claims only call for validation",
     [spec("c1", CON, H, REG, "skills.python"), spec("c2", CON, H, WEB, "location")],
     GREEN, CM, False, GWV, CM, Rule.CONTRADICTIONS),
    ("internal CV inconsistencies never refute on their own",
     [spec("c1", CON, H, CV, "employment.gap"), spec("c2", CON, H, CV, "employment[1]"), *CORROBORATED],
     GREEN, CM, False, GWV, CM, Rule.CONTRADICTIONS),
    ("one weak contradiction on a corroborated profile", [spec("c", CON, L, WEB), *CORROBORATED],
     GREEN, CM, False, GWV, CM, Rule.CONTRADICTIONS),
    ("red identity without contradictions", CORROBORATED,
     RED, CM, False, GWV, CL, Rule.IDENTITY_UNCERTAIN),
    ("low identity confidence without contradictions", CORROBORATED,
     ORANGE, CL, False, GWV, CL, Rule.IDENTITY_UNCERTAIN),
    ("well corroborated profile", CORROBORATED,
     GREEN, CM, False, GO, CM, Rule.CORROBORATED),
    ("orange identity can still be corroborated", CORROBORATED,
     ORANGE, CM, False, GO, CM, Rule.CORROBORATED),
    ("strong identity and three high findings give high confidence",
     [spec("a", SUP, H, REG), spec("b", SUP, H, GH), spec("c", SUP, H, WEB)],
     GREEN, CH, False, GO, CH, Rule.CORROBORATED),
    ("a source not consulted lowers confidence one step",
     [spec("a", SUP, H, REG), spec("b", SUP, H, GH), spec("c", SUP, H, WEB)],
     GREEN, CH, True, GO, CM, Rule.CORROBORATED),
    ("corroboration needs one high-reliability finding",
     [spec("a", SUP, M, REG), spec("b", SUP, M, GH)],
     GREEN, CM, False, GWV, CM, Rule.THIN_EVIDENCE),
    ("corroboration needs two origins", [spec("a", SUP, H, REG)],
     GREEN, CM, False, GWV, CM, Rule.THIN_EVIDENCE),
    ("the CV confirming itself is not corroboration",
     [spec("a", SUP, H, CV), spec("b", SUP, H, SourceType.REQUEST)],
     GREEN, CM, False, GWV, CL, Rule.THIN_EVIDENCE),
    ("low-reliability support is not corroboration", [spec("a", SUP, H, REG), spec("b", SUP, L, GH)],
     GREEN, CM, False, GWV, CM, Rule.THIN_EVIDENCE),
    ("nothing found", [], GREEN, CM, False, GWV, CL, Rule.THIN_EVIDENCE),
    ("findings without an id cannot drive the decision",
     [spec(None, CON, H, SAN, "sanctions"), *CORROBORATED],
     GREEN, CM, False, GO, CM, Rule.CORROBORATED),
]  # fmt: skip


def _build(specs: list[Spec], make_signal: Callable[..., Signal]) -> list[Signal]:
    return [
        make_signal(sid, stance, reliability, source, claim, url=url)
        for sid, stance, reliability, source, claim, url in specs
    ]


@pytest.mark.parametrize(
    ("specs", "level", "identity", "missing", "decision", "confidence", "rule"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_rules_decide(
    make_signal: Callable[..., Signal],
    specs: list[Spec],
    level: Level,
    identity: Confidence,
    missing: bool,
    decision: Decision,
    confidence: Confidence,
    rule: Rule,
) -> None:
    quick = QuickSignal(level=level, reason="r", identity_confidence=identity)

    outcome = recommend(_build(specs, make_signal), quick, sources_missing=missing)

    assert (outcome.decision, outcome.confidence, outcome.rule) == (decision, confidence, rule)


def test_sanctions_hit_evidence_is_the_hit(make_signal: Callable[..., Signal]) -> None:
    signals = _build([spec("x", CON, H, SAN, "sanctions"), *CORROBORATED], make_signal)
    quick = QuickSignal(level=GREEN, reason="r", identity_confidence=CM)

    outcome = recommend(signals, quick)

    assert [s.id for s in outcome.evidence] == ["x"]


def test_evidence_is_most_reliable_first_and_capped(make_signal: Callable[..., Signal]) -> None:
    specs = [spec(f"c{i}", CON, L if i % 2 else H, WEB, "skills") for i in range(7)]
    quick = QuickSignal(level=GREEN, reason="r", identity_confidence=CM)

    outcome = recommend(_build(specs, make_signal), quick)

    assert len(outcome.evidence) == MAX_EVIDENCE
    assert [s.id for s in outcome.evidence] == ["c0", "c2", "c4", "c6"]


def test_identity_doubt_cites_identity_findings(make_signal: Callable[..., Signal]) -> None:
    specs = [*CORROBORATED, spec("id1", NEU, M, GH, "identity.github")]
    quick = QuickSignal(level=RED, reason="r", identity_confidence=CL)

    outcome = recommend(_build(specs, make_signal), quick)

    assert [s.id for s in outcome.evidence] == ["id1"]


@pytest.mark.parametrize(
    ("claim", "area"),
    [
        ("employment.current", "employment"),
        ("employment[2].dates", "employment"),
        ("employments.0", "employment"),
        ("Education[0]", "education"),
        ("name", "identity"),
        ("timeline.gaps", "employment"),
        ("experience.years", "employment"),
        ("contact.email_domain", "identity"),
        ("skills.rust", "skills"),
        (None, "other"),
        ("", "other"),
    ],
)
def test_claim_area_reads_the_first_segment(
    make_signal: Callable[..., Signal], claim: str | None, area: str
) -> None:
    assert claim_area(make_signal("s", SUP, claim=claim)) == area
