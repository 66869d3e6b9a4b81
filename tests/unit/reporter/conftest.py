"""Builders for reporter inputs: a candidate with a two-job CV and a realistic set of findings."""

from collections.abc import Callable
from datetime import UTC, datetime
from types import EllipsisType

import pytest

from dossier.contracts.api import ClientRef, QuickSignal, Signal, SourceCheck
from dossier.contracts.claims import CvClaims, Education, Employment, YearMonth
from dossier.contracts.enums import (
    Confidence,
    Language,
    Level,
    Reliability,
    SourceState,
    SourceType,
    Stance,
)
from dossier.contracts.events import AnalysisContext, CandidateProfile, IdentityResolution
from dossier.reporter.domain.report_input import ReportInput

InputFactory = Callable[..., ReportInput]


def sig(
    sid: str | None,
    stance: Stance | None,
    reliability: Reliability = Reliability.HIGH,
    source_type: SourceType = SourceType.WEB,
    claim: str | None = "employment.current",
    statement: str | None = None,
    url: str | None = None,
) -> Signal:
    return Signal(
        id=sid,
        statement=statement or f"Finding {sid} about {claim}.",
        source_type=source_type,
        source_url=url if url is not None else f"https://example.org/{sid}",
        reliability=reliability,
        claim=claim,
        stance=stance,
    )


def cv_claims() -> CvClaims:
    return CvClaims(
        full_name="John Doe",
        employments=[
            Employment(
                employer="Globex",
                title="Developer",
                start=YearMonth(year=2016, month=3),
                end=YearMonth(year=2019, month=1),
            ),
            Employment(
                employer="Example Company",
                title="Senior Engineer",
                start=YearMonth(year=2019, month=11),
                current=True,
            ),
        ],
        education=[
            Education(
                institution="ETH Zürich",
                degree="MSc Computer Science",
                start=YearMonth(year=2014),
                end=YearMonth(year=2016),
            )
        ],
    )


def mixed_signals() -> list[Signal]:
    """Supports, contradictions (job dates, gap, degree), a weak claim and a clean sanctions check."""
    return [
        sig("s1", Stance.SUPPORTS, Reliability.HIGH, SourceType.COMPANY_REGISTRY,
            statement="Senior engineer at Example Company since 2019."),
        sig("s2", Stance.SUPPORTS, Reliability.MEDIUM, SourceType.GITHUB,
            statement="Commits to Example Company repositories since 2019."),
        sig("s3", Stance.CONTRADICTS, Reliability.MEDIUM, SourceType.WEB, "employment[0].dates",
            statement="Globex lists John Doe as an employee from 2017 to 2018 only."),
        sig("s4", Stance.CONTRADICTS, Reliability.HIGH, SourceType.CV, "employment.gap",
            statement="The CV shows a 9-month gap in 2019.", url=""),
        sig("s5", Stance.SUPPORTS, Reliability.LOW, SourceType.WEB, "skills.rust",
            statement="A conference page lists John Doe as a Rust speaker."),
        sig("s6", Stance.SUPPORTS, Reliability.HIGH, SourceType.SANCTIONS, "sanctions",
            statement="No match on EU, UN or OFAC sanctions lists."),
        sig("s7", Stance.CONTRADICTS, Reliability.LOW, SourceType.ACADEMIC, "education[0]",
            statement="MSc from ETH Zürich not found in the alumni register."),
    ]  # fmt: skip


def default_sources() -> list[SourceCheck]:
    return [
        SourceCheck(name="github", state=SourceState.CHECKED),
        SourceCheck(name="opensanctions", state=SourceState.CHECKED),
        SourceCheck(name="companies-house", state=SourceState.UNAVAILABLE, detail="no API key"),
    ]


def build_input(
    *,
    language: Language = Language.EN,
    signals: list[Signal] | None = None,
    identity_signals: list[Signal] | None = None,
    level: Level = Level.GREEN,
    identity_confidence: Confidence = Confidence.MEDIUM,
    sources: list[SourceCheck] | None = None,
    claims: CvClaims | EllipsisType | None = ...,
    role: str | None = "Software Engineer",
    company: str | None = "Example Company",
    first_name: str = "John",
) -> ReportInput:
    context = AnalysisContext(
        analysis_id="an_test_1",
        partner_id="partner_1",
        client=ClientRef(id="client_1"),
        candidate=CandidateProfile(
            id="cand_1", first_name=first_name, last_name="Doe", company=company, role=role
        ),
        language=language,
        requested_at=datetime(2026, 6, 29, 12, tzinfo=UTC),
    )
    identity = IdentityResolution(
        quick_signal=QuickSignal(
            level=level,
            reason="Identity supported by multiple matching signals.",
            identity_confidence=identity_confidence,
        ),
        signals=identity_signals or [],
    )
    return ReportInput(
        context=context,
        claims=cv_claims() if isinstance(claims, EllipsisType) else claims,
        identity=identity,
        signals=mixed_signals() if signals is None else signals,
        sources=default_sources() if sources is None else sources,
    )


@pytest.fixture
def make_input() -> InputFactory:
    return build_input


@pytest.fixture
def make_signal() -> Callable[..., Signal]:
    return sig
