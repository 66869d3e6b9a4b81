"""Bodies of the v1 Candidate Intelligence API (seed 001).

Field names are the wire names: snake_case at the top level of the analysis
resource, camelCase inside `quick_signal`, `signals` and `report`, exactly as
the seed shows them.
"""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, StringConstraints, model_validator
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
#: Longest freshness window a request may ask for (ten years).
MAX_AGE_DAYS_LIMIT = 3650
MaxAgeDays = Annotated[int, Field(strict=True, ge=1, le=MAX_AGE_DAYS_LIMIT)]
"""Days a completed report stays reusable for one request (a JSON integer, 1–3650)."""
Refresh = Annotated[bool, Field(strict=True)]

#: Largest CV file accepted, in bytes once decoded from base64 (8 MiB).
CV_FILE_MAX_BYTES = 8 * 1024 * 1024
#: Its base64 length (4 characters per 3 bytes), with room for a line break every 76.
CV_FILE_MAX_BASE64_CHARS = -(-CV_FILE_MAX_BYTES // 3) * 4 * 78 // 76 + 4
#: The file types read, by file-name extension.
CV_FILE_TYPES = ("pdf", "docx", "odt", "txt")


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


class CvFile(WireModel):
    """A CV sent as a file. Read into text in memory, then handled exactly like `cv`:
    sealed for the pipeline, never stored, shredded when the analysis ends."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "filename": "john-doe-cv.txt",
                    "content_base64": "Sm9obiBEb2UKU29mdHdhcmUgRW5naW5lZXIg4oCUIExvbmRvbiwgVUsKCkV4cGVyaWVuY2UKU29mdHdhcmUgRW5naW5lZXIg4oCUIEV4YW1wbGUgQ29tcGFueSwgMDMvMjAyMSDigJMgcHJlc2VudAo=",
                }
            ]
        }
    )

    filename: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=255)
    ] = Field(description="The file's name; its extension says the type: .pdf, .docx, .odt, .txt.")
    content_base64: Annotated[str, StringConstraints(max_length=CV_FILE_MAX_BASE64_CHARS)] = Field(
        description="The file's bytes in standard base64 (RFC 4648), at most 8 MiB decoded."
    )


class CandidateInput(WireModel):
    id: ExternalId
    first_name: Name
    last_name: Name
    company: ShortText | None = None
    location: ShortText | None = None
    role: ShortText | None = None
    linkedin_url: HttpUrl | None = None
    cv: CvText | None = Field(default=None, description="Plain-text CV. Processed, never stored.")
    cv_file: CvFile | None = Field(
        default=None,
        description="The CV as a PDF, DOCX, ODT or TXT file instead of `cv` (not both). "
        "Read into text in memory, processed, never stored.",
    )

    @model_validator(mode="after")
    def _one_cv(self) -> "CandidateInput":
        if self.cv is not None and self.cv_file is not None:
            msg = "send the CV either as `cv` (text) or as `cv_file`, not both"
            raise ValueError(msg)
        return self


class AnalysisCreate(WireModel):
    """`POST /api/v1/analyses`."""

    language: Language = Language.EN
    client: ClientRef
    candidate: CandidateInput
    max_age_days: MaxAgeDays | None = Field(
        default=None,
        description="Reuse a completed report only if it was generated less than this many "
        "days ago; an older one is replaced by a new analysis (billed like any new report).",
    )
    refresh: Refresh = Field(
        default=False,
        description="Always start a new analysis (billed), even if a completed report exists; "
        "reuse then returns the new one. An analysis already running for this client and "
        "candidate is returned instead of a second run.",
    )


#: `reused` on the answers of `POST /api/v1/analyses`.
REUSED_DESCRIPTION = (
    "`false`: this request started a new analysis (billed when it completes). `true`: you got "
    "an analysis that already existed — a completed report (200, free) or one already running "
    "for this client and candidate (202, the same `id`)."
)


class AnalysisAccepted(WireModel):
    """`202 Accepted` body of `POST /api/v1/analyses`."""

    id: str
    status: AnalysisStatus
    candidate_id: str
    created_at: Timestamp
    reused: bool = Field(default=False, description=REUSED_DESCRIPTION)


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


def report_html_path(report_id: str) -> str:
    """Where a report's HTML rendering is served (the gateway signs it into `report_url`)."""
    return f"/api/v1/reports/{report_id}/html"


class Metadata(WireModel):
    report_id: str
    candidate_id: str
    language: Language
    generated_at: Timestamp
    pdf_download_url: str
    report_url: str | None = Field(
        default=None,
        description="A signed, expiring link to the report as a printable HTML page (same "
        "content and language as the PDF), for a browser or an iframe. Fetch the analysis "
        "again for a fresh link. `null` for reports made before HTML renderings existed.",
    )
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


class ReusedAnalysis(Analysis):
    """`200` body of `POST /api/v1/analyses`: the existing completed report, free."""

    reused: bool = Field(default=True, description=REUSED_DESCRIPTION)


class AnalysisList(WireModel):
    """`GET /api/v1/analyses`: one page, newest first."""

    data: list[Analysis] = Field(
        description="Analyses as `GET /api/v1/analyses/{id}` returns them. A page may hold "
        "fewer than `limit` (even none) when filters skip entries: follow `next_cursor`."
    )
    next_cursor: str | None = Field(
        description="Opaque; send it back as `cursor` for the next (older) page. `null`: no more."
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
