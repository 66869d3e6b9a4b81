"""Bodies of the v1 Candidate Intelligence API (seed 001).

Field names are the wire names: snake_case at the top level of the analysis
resource, camelCase inside `quick_signal`, `signals` and `report`, exactly as
the seed shows them.
"""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, StringConstraints
from pydantic.alias_generators import to_camel

from dossier.contracts.enums import (
    AnalysisStatus,
    Confidence,
    Decision,
    FeedbackVerdict,
    Language,
    Level,
    Reliability,
    SourceState,
    SourceType,
    Stage,
    Stance,
)
from dossier.contracts.timestamps import Timestamp

#: Largest CV accepted, in characters (about 30 pages of plain text).
CV_MAX_CHARS = 100_000

ExternalId = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=128, pattern=r"^[^\s/?#]+$"),
]
"""A partner's own identifier (client company, candidate): no spaces or URL delimiters."""

ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
CvText = Annotated[str, StringConstraints(max_length=CV_MAX_CHARS)]


class WireModel(BaseModel):
    """Base for every wire body: validated on the way in, dumped by alias on the way out."""

    model_config = ConfigDict(populate_by_name=True, use_enum_values=False)


class CamelModel(WireModel):
    """Objects nested in the analysis resource speak camelCase on the wire (seed 001)."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        serialize_by_alias=True,
        validate_by_name=True,
        validate_by_alias=True,
    )


class ClientRef(WireModel):
    """The partner's client company (and recruiter) asking for the analysis."""

    id: ExternalId
    first_name: ShortText | None = None
    last_name: ShortText | None = None
    company: ShortText | None = None


class CandidateInput(WireModel):
    id: ExternalId
    first_name: Name
    last_name: Name
    company: ShortText | None = None
    location: ShortText | None = None
    role: ShortText | None = None
    linkedin_url: HttpUrl | None = None
    cv: CvText | None = Field(default=None, description="Plain-text CV. Processed, never stored.")


class AnalysisCreate(WireModel):
    """`POST /api/v1/analyses`."""

    language: Language = Language.EN
    client: ClientRef
    candidate: CandidateInput


class AnalysisAccepted(WireModel):
    """`202 Accepted` body of `POST /api/v1/analyses`."""

    id: str
    status: AnalysisStatus
    candidate_id: str
    created_at: Timestamp


class QuickSignal(CamelModel):
    level: Level
    reason: str
    identity_confidence: Confidence


#: Longest reviewer note kept with a verdict, in characters.
FEEDBACK_NOTE_MAX_CHARS = 2_000


class SignalVerdict(CamelModel):
    """What a reviewer said about a signal, as shown on it (the note is theirs, verbatim)."""

    verdict: FeedbackVerdict
    note: str | None = Field(default=None, max_length=FEEDBACK_NOTE_MAX_CHARS)
    at: Timestamp


class Signal(CamelModel):
    """One piece of evidence. `id` is stable: the same finding keeps the same id."""

    id: str | None = None
    statement: str
    source_type: SourceType
    source_url: str | None = None
    reliability: Reliability
    claim: str | None = Field(
        default=None, description="The claim this signal is about, e.g. `employment.current`."
    )
    stance: Stance | None = None
    dismissed: SignalVerdict | None = Field(
        default=None,
        description="Set when a reviewer dismissed this signal (`not_this_person` or "
        "`incorrect`): it stays listed, and the report was rewritten without it.",
    )
    confirmed: SignalVerdict | None = Field(
        default=None, description="Set when a reviewer confirmed this signal (recorded only)."
    )


class Recommendation(CamelModel):
    decision: Decision
    confidence: Confidence
    reason: str | None = None
    evidence: list[str] | None = None


class Citation(CamelModel):
    """Which signals back one report item: `field[index]` cites `signalIds`."""

    field: str
    index: int = Field(ge=0)
    signal_ids: list[str]


class SourceCheck(CamelModel):
    """What one source did for this analysis, so partners see what was and was not checked."""

    name: str
    state: SourceState
    detail: str | None = None


class Report(CamelModel):
    candidate_name: str
    recommendation: Recommendation
    summary: str | None = None
    strengths: list[str] | None = None
    what_to_validate: list[str] | None = None
    risks: list[str] | None = None
    interview_questions: list[str] | None = None
    sources: list[SourceCheck] | None = None
    citations: list[Citation] | None = None
    notice: str | None = None


def report_pdf_path(report_id: str) -> str:
    """Where a report's PDF is served (the gateway signs it into `pdf_download_url`)."""
    return f"/api/v1/reports/{report_id}/pdf"


class Metadata(WireModel):
    report_id: str
    candidate_id: str
    language: Language
    generated_at: Timestamp
    pdf_download_url: str
    writer: str | None = None
    writer_note: str | None = None


class ErrorInfo(WireModel):
    """Why an analysis failed."""

    code: str
    message: str
    stage: Stage | None = None


class Billing(WireModel):
    charged: bool = False
    credits_used: int = 0


class Analysis(WireModel):
    """The analysis resource served by GET, returned by DELETE and by reuse."""

    id: str
    status: AnalysisStatus
    candidate_id: str
    client_id: str | None = None
    stage: Stage | None = None
    created_at: Timestamp
    updated_at: Timestamp | None = None
    estimated_completion_at: Timestamp | None = None
    quick_signal: QuickSignal | None = None
    signals: list[Signal] = Field(default_factory=list)
    report: Report | None = None
    metadata: Metadata | None = None
    error: ErrorInfo | None = None
    billing: Billing | None = None
    revision: int = Field(
        default=0,
        ge=0,
        description="How many times the report was rewritten after reviewer feedback "
        "(0: as first written).",
    )


class FieldError(WireModel):
    field: str
    message: str
    type: str | None = None


class Problem(WireModel):
    """RFC 9457 problem details, used for every 4xx and 5xx."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    request_id: str | None = None
    errors: list[FieldError] | None = None
