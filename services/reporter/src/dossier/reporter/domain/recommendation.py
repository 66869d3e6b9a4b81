"""Recommendation rules: from findings to GO / GO with validation / NO GO.

The rules are deliberately few, ordered, and first-match-wins, so a recruiter (or an
auditor) can tell from the rule id alone why a report says what it says:

1. `sanctions_hit` — NO GO. A sanctions-list signal with stance `contradicts` (the list
   contradicts "this person is clear") and High reliability.
2. `sanctions_possible` — GO with validation. The same, with Medium or Low reliability:
   likely a namesake, but someone must look.
3. `core_claims_refuted` — NO GO. At least two High-reliability findings from outside the
   CV, from two different origins, contradict core claims (identity, employment,
   education), and the identity is not in doubt (with a doubtful identity, contradictions
   may be about a namesake, so rule 4 applies instead).
4. `contradictions` — GO with validation. Any other contradicting finding. A gap in the
   CV's timeline is not one: it is a point to clarify (docs/report-rubric.md), listed
   under what to validate and asked about, and never decides on its own.
5. `identity_uncertain` — GO with validation. Quick signal Red or identity confidence Low.
6. `corroborated` — GO. Identity confidence at least Medium, and at least two supporting
   findings of Medium or High reliability from two different origins outside the CV, one
   of them High.
7. `thin_evidence` — GO with validation. Everything else: nothing contradicts the CV, but
   too little confirms it.

Confidence says how solid the evidence base is, not how strongly we feel about the
decision: High needs High identity confidence and three High-reliability outside findings,
Medium needs Medium identity confidence and one High or two Medium outside findings, the
rest is Low. A source that could not be consulted lowers it one step (a High-reliability
sanctions hit keeps High: what was found does not become less true).

Only findings with an id are considered, because only those can be cited as evidence.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from dossier.contracts.api import QuickSignal, Signal
from dossier.contracts.enums import Confidence, Decision, Level, Reliability, SourceType, Stance
from dossier.reporter.domain.report_input import ReportInput

#: Claim areas whose contradiction goes to the heart of a CV.
CORE_CLAIM_AREAS = frozenset({"identity", "employment", "education"})

#: Source types that only compare the CV with itself or with the request.
INTERNAL_SOURCE_TYPES = frozenset({SourceType.CV, SourceType.REQUEST})

#: How many findings a recommendation quotes as evidence at most.
MAX_EVIDENCE = 4

_RELIABILITY_RANK = {Reliability.HIGH: 2, Reliability.MEDIUM: 1, Reliability.LOW: 0}
_CONFIDENCE_BY_RANK = [Confidence.LOW, Confidence.MEDIUM, Confidence.HIGH]


class Rule(StrEnum):
    """Which rule decided; the writer explains the decision from it."""

    SANCTIONS_HIT = "sanctions_hit"
    SANCTIONS_POSSIBLE = "sanctions_possible"
    CORE_CLAIMS_REFUTED = "core_claims_refuted"
    CONTRADICTIONS = "contradictions"
    IDENTITY_UNCERTAIN = "identity_uncertain"
    CORROBORATED = "corroborated"
    THIN_EVIDENCE = "thin_evidence"


@dataclass(frozen=True)
class Outcome:
    """A decision, how solid its basis is, the rule that produced it and the findings behind it."""

    decision: Decision
    confidence: Confidence
    rule: Rule
    evidence: tuple[Signal, ...]


def claim_area(signal: Signal) -> str:
    """`employment[2].dates` → `employment`; no claim → `other`."""
    if not signal.claim:
        return "other"
    head = signal.claim.split(".", 1)[0].split("[", 1)[0].strip().lower()
    aliases = {
        "employments": "employment",
        "job": "employment",
        "timeline": "employment",  # identity stage: timeline.gaps, timeline.dates…
        "experience": "employment",
        "name": "identity",
        "contact": "identity",
    }
    return aliases.get(head, head) or "other"


def is_external(signal: Signal) -> bool:
    return signal.source_type not in INTERNAL_SOURCE_TYPES


def is_sanctions_hit(signal: Signal) -> bool:
    return signal.source_type is SourceType.SANCTIONS and signal.stance is Stance.CONTRADICTS


def is_gap(signal: Signal) -> bool:
    """A stretch of the CV without a position: a point to clarify, never a contradiction."""
    return bool(signal.claim and "gap" in signal.claim.lower())


def is_contradiction(signal: Signal) -> bool:
    return (
        signal.stance is Stance.CONTRADICTS and not is_sanctions_hit(signal) and not is_gap(signal)
    )


def is_support(signal: Signal) -> bool:
    return signal.stance is Stance.SUPPORTS


def origin(signal: Signal) -> str:
    """What counts as one independent source: the page if known, else the source type."""
    return signal.source_url or signal.source_type.value


def reliability_rank(reliability: Reliability) -> int:
    return _RELIABILITY_RANK[reliability]


def by_reliability(signals: Iterable[Signal]) -> list[Signal]:
    """Most reliable first; ties keep input order, so the result is deterministic."""
    return sorted(signals, key=lambda s: -reliability_rank(s.reliability))


def identity_in_doubt(quick_signal: QuickSignal) -> bool:
    return quick_signal.level is Level.RED or quick_signal.identity_confidence is Confidence.LOW


def evidence_confidence(signals: Sequence[Signal], quick_signal: QuickSignal) -> Confidence:
    """How solid the evidence base is, before accounting for sources not consulted."""
    outside = [
        s for s in signals if is_external(s) and s.stance in (Stance.SUPPORTS, Stance.CONTRADICTS)
    ]
    high = sum(1 for s in outside if s.reliability is Reliability.HIGH)
    medium = sum(1 for s in outside if s.reliability is Reliability.MEDIUM)
    identity = quick_signal.identity_confidence
    if identity is Confidence.HIGH and high >= 3:
        return Confidence.HIGH
    if identity is not Confidence.LOW and (high >= 1 or medium >= 2):
        return Confidence.MEDIUM
    return Confidence.LOW


def lower(confidence: Confidence) -> Confidence:
    rank = _CONFIDENCE_BY_RANK.index(confidence)
    return _CONFIDENCE_BY_RANK[max(rank - 1, 0)]


def _core_refutations(signals: Sequence[Signal]) -> list[Signal]:
    return [
        s
        for s in signals
        if is_contradiction(s)
        and is_external(s)
        and s.reliability is Reliability.HIGH
        and claim_area(s) in CORE_CLAIM_AREAS
    ]


def corroborating(signals: Sequence[Signal]) -> list[Signal]:
    return [
        s
        for s in signals
        if is_support(s) and is_external(s) and s.reliability is not Reliability.LOW
    ]


def _is_corroborated(supports: Sequence[Signal]) -> bool:
    has_high = any(s.reliability is Reliability.HIGH for s in supports)
    return has_high and len({origin(s) for s in supports}) >= 2


def _evidence(signals: Iterable[Signal]) -> tuple[Signal, ...]:
    return tuple(by_reliability(signals)[:MAX_EVIDENCE])


def recommend(  # noqa: PLR0911 - ordered rules read best as one early return each
    signals: Sequence[Signal], quick_signal: QuickSignal, *, sources_missing: bool = False
) -> Outcome:
    """Apply the rules above, first match wins. `signals` without an id are ignored."""
    citable = [s for s in signals if s.id is not None]
    confidence = evidence_confidence(citable, quick_signal)
    if sources_missing:
        confidence = lower(confidence)

    hits = [s for s in citable if is_sanctions_hit(s)]
    strong_hits = [s for s in hits if s.reliability is Reliability.HIGH]
    if strong_hits:
        return Outcome(Decision.NO_GO, Confidence.HIGH, Rule.SANCTIONS_HIT, _evidence(strong_hits))
    if hits:
        return Outcome(
            Decision.GO_WITH_VALIDATION, Confidence.LOW, Rule.SANCTIONS_POSSIBLE, _evidence(hits)
        )

    refutations = _core_refutations(citable)
    doubtful_identity = identity_in_doubt(quick_signal)
    if len({origin(s) for s in refutations}) >= 2 and not doubtful_identity:
        return Outcome(Decision.NO_GO, confidence, Rule.CORE_CLAIMS_REFUTED, _evidence(refutations))

    contradictions = [s for s in citable if is_contradiction(s)]
    if contradictions:
        return Outcome(
            Decision.GO_WITH_VALIDATION, confidence, Rule.CONTRADICTIONS, _evidence(contradictions)
        )

    supports = [s for s in citable if is_support(s)]
    if doubtful_identity:
        identity_findings = [s for s in citable if claim_area(s) == "identity"] or supports
        return Outcome(
            Decision.GO_WITH_VALIDATION,
            Confidence.LOW,
            Rule.IDENTITY_UNCERTAIN,
            _evidence(identity_findings),
        )

    backing = corroborating(citable)
    if _is_corroborated(backing):
        return Outcome(Decision.GO, confidence, Rule.CORROBORATED, _evidence(backing))

    return Outcome(
        Decision.GO_WITH_VALIDATION, confidence, Rule.THIN_EVIDENCE, _evidence(supports or citable)
    )


def recommend_for(inp: ReportInput) -> Outcome:
    """The recommendation for one report input: what every writer must state."""
    return recommend(
        inp.citable_signals,
        inp.identity.quick_signal,
        sources_missing=bool(inp.sources_not_consulted),
    )
