"""Models of the Dossier API, generated from docs/openapi.json — do not edit.

Regenerate with `make sdk-models` (sdks/python/scripts/generate_models.py).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class DossierModel(BaseModel):
    """Base of every model: unknown fields from a newer server are kept, not rejected."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)


class AnalysisStatus(StrEnum):
    QUEUED = "queued"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELED = "canceled"


class Confidence(StrEnum):
    HIGH = "High"
    MEDIUM = "Medium"
    LOW = "Low"


class Decision(StrEnum):
    GO = "GO"
    GO_WITH_VALIDATION = "GO with validation"
    NO_GO = "NO GO"


class Environment(StrEnum):
    """Live keys run real, billed analyses; test keys run the sandbox."""

    LIVE = "live"
    TEST = "test"


class FeedbackVerdict(StrEnum):
    """A reviewer's verdict on one signal (`POST /api/v1/analyses/{id}/feedback`)."""

    NOT_THIS_PERSON = "not_this_person"
    INCORRECT = "incorrect"
    CONFIRMED = "confirmed"


class Language(StrEnum):
    EN = "en"
    FR = "fr"
    DE = "de"
    IT = "it"
    ES = "es"


class LegacyStatus(StrEnum):
    GENERATED = "generated"
    EXISTING = "existing"
    GENERATING = "generating"
    FAILED = "failed"
    CANCELED = "canceled"


class Level(StrEnum):
    """Quick-signal traffic light."""

    GREEN = "Green"
    ORANGE = "Orange"
    RED = "Red"


class Reliability(StrEnum):
    HIGH = "High"
    MEDIUM = "Medium"
    LOW = "Low"


class Scope(StrEnum):
    """What a key may do. Every v1 operation names the one scope it needs."""

    ANALYSES_READ = "analyses:read"
    ANALYSES_WRITE = "analyses:write"
    WEBHOOKS_MANAGE = "webhooks:manage"
    USAGE_READ = "usage:read"
    KEYS_MANAGE = "keys:manage"


class SourceState(StrEnum):
    """What happened when a source was consulted for one analysis."""

    CHECKED = "checked"
    UNAVAILABLE = "unavailable"
    FAILED = "failed"
    SKIPPED = "skipped"


class SourceType(StrEnum):
    """Where a signal comes from. `cv` and `request` are internal consistency checks."""

    CV = "cv"
    REQUEST = "request"
    WEB = "web"
    GITHUB = "github"
    SANCTIONS = "sanctions"
    COMPANY_REGISTRY = "company_registry"
    ACADEMIC = "academic"


class Stage(StrEnum):
    """Pipeline stage, in order: identity → enrichment → report → done."""

    IDENTITY = "identity"
    ENRICHMENT = "enrichment"
    REPORT = "report"
    DONE = "done"


class Stance(StrEnum):
    """How a signal relates to the claim it is about."""

    SUPPORTS = "supports"
    CONTRADICTS = "contradicts"
    NEUTRAL = "neutral"


class WebhookEventType(StrEnum):
    """What a partner may subscribe to; the values are also the bus topics they come from."""

    ANALYSIS_COMPLETED = "analysis.completed"
    ANALYSIS_FAILED = "analysis.failed"
    ANALYSIS_CANCELED = "analysis.canceled"
    ANALYSIS_UPDATED = "analysis.updated"


class Billing(DossierModel):
    charged: bool = False
    credits_used: int = 0


class ErrorInfo(DossierModel):
    """Why an analysis failed."""

    code: str
    message: str
    stage: Stage | None = None


class Metadata(DossierModel):
    report_id: str
    candidate_id: str
    language: Language
    generated_at: str
    pdf_download_url: str
    report_url: str | None = None
    writer: str | None = None
    writer_note: str | None = None


class QuickSignal(DossierModel):
    level: Level
    reason: str
    identityConfidence: Confidence


class Citation(DossierModel):
    """Which signals back one report item: `field[index]` cites `signalIds`."""

    field: str
    index: int
    signalIds: list[str]


class Recommendation(DossierModel):
    decision: Decision
    confidence: Confidence
    reason: str | None = None
    evidence: list[str] | None = None


class SourceCheck(DossierModel):
    """What one source did for this analysis, so partners see what was and was not checked."""

    name: str
    state: SourceState
    detail: str | None = None


class Report(DossierModel):
    candidateName: str
    recommendation: Recommendation
    summary: str | None = None
    strengths: list[str] | None = None
    whatToValidate: list[str] | None = None
    risks: list[str] | None = None
    interviewQuestions: list[str] | None = None
    sources: list[SourceCheck] | None = None
    citations: list[Citation] | None = None
    notice: str | None = None


class SignalVerdict(DossierModel):
    """What a reviewer said about a signal, as shown on it (the note is theirs, verbatim)."""

    verdict: FeedbackVerdict
    note: str | None = None
    at: str


class Signal(DossierModel):
    """One piece of evidence. `id` is stable: the same finding keeps the same id."""

    id: str | None = None
    statement: str
    sourceType: SourceType
    sourceUrl: str | None = None
    reliability: Reliability
    claim: str | None = None
    stance: Stance | None = None
    dismissed: SignalVerdict | None = None
    confirmed: SignalVerdict | None = None


class Analysis(DossierModel):
    """The analysis resource served by GET, returned by DELETE and by reuse."""

    id: str
    status: AnalysisStatus
    candidate_id: str
    client_id: str | None = None
    stage: Stage | None = None
    created_at: str
    updated_at: str | None = None
    estimated_completion_at: str | None = None
    quick_signal: QuickSignal | None = None
    signals: list[Signal] | None = None
    report: Report | None = None
    metadata: Metadata | None = None
    error: ErrorInfo | None = None
    billing: Billing | None = None
    revision: int = 0


class AnalysisAccepted(DossierModel):
    """`202 Accepted` body of `POST /api/v1/analyses`."""

    id: str
    status: AnalysisStatus
    candidate_id: str
    created_at: str
    reused: bool = False


class CvFile(DossierModel):
    """A CV sent as a file. Read into text in memory, then handled exactly like `cv`:
    sealed for the pipeline, never stored, shredded when the analysis ends.
    """

    filename: str
    content_base64: str


class CandidateInput(DossierModel):
    id: str
    first_name: str
    last_name: str
    company: str | None = None
    location: str | None = None
    role: str | None = None
    linkedin_url: str | None = None
    cv: str | None = None
    cv_file: CvFile | None = None


class ClientRef(DossierModel):
    """The partner's client company (and recruiter) asking for the analysis."""

    id: str
    first_name: str | None = None
    last_name: str | None = None
    company: str | None = None


class AnalysisCreate(DossierModel):
    """`POST /api/v1/analyses`."""

    language: Language = Language("en")
    client: ClientRef
    candidate: CandidateInput
    max_age_days: int | None = None
    refresh: bool = False


class AnalysisEnded(DossierModel):
    """The terminal outcome, with the whole resource (report and metadata when completed)."""

    id: str
    analysis_id: str
    type: Literal["completed", "failed", "canceled"]
    analysis: Analysis


class AnalysisList(DossierModel):
    """`GET /api/v1/analyses`: one page, newest first."""

    data: list[Analysis]
    next_cursor: str | None


class AnalysisRevised(DossierModel):
    """The report of a completed analysis was rewritten after reviewer feedback: one per
    rewrite (`revision`), after `completed`, with the whole resource as it is now.
    """

    id: str
    analysis_id: str
    type: Literal["analysis.updated"] = "analysis.updated"
    revision: int
    analysis: Analysis


class ApiKey(DossierModel):
    """A key as listed: its public prefix and metadata, never the secret or its hash."""

    id: str
    prefix: str
    name: str
    scopes: list[Scope]
    environment: Environment
    created_at: str
    last_used_at: str | None = None
    revoked_at: str | None = None


class ApiKeyCreated(DossierModel):
    """`201 Created` body of `POST /api/v1/keys`: the only time the raw key is shown."""

    id: str
    prefix: str
    name: str
    scopes: list[Scope]
    environment: Environment
    created_at: str
    last_used_at: str | None = None
    revoked_at: str | None = None
    key: str


class ApiKeyList(DossierModel):
    """`GET /api/v1/keys`: the partner's keys, newest first, revoked ones included."""

    data: list[ApiKey]


class AuditEntry(DossierModel):
    """One audit trail entry, as exported. `hash = sha256(prev_hash + canonical JSON)` of
    `seq`, `at`, `partner_id`, `actor`, `action`, `target_digest` (or `target` for entries
    without a digest) and `details`.
    """

    seq: int
    at: str
    partner_id: str
    actor: str
    action: str
    target: str
    target_digest: str | None = None
    details: dict[str, Any] | None = None
    prev_hash: str
    hash: str


class AuditVerification(DossierModel):
    """`GET /api/v1/audit/verify`: the partner's audit chain, recomputed by the server."""

    valid: bool
    entries: int
    first_invalid_seq: int | None = None
    head_hash: str


class CandidateErasure(DossierModel):
    """`DELETE /api/v1/candidates/{candidate_id}`: what was erased, counted per collection."""

    subject: str
    analyses: int
    canceled: int
    deleted: dict[str, int]
    pseudonymised: dict[str, int]
    follow_up_sweeps_seconds: list[float]


class ClientUsage(DossierModel):
    client_id: str
    generated: int = 0
    reused: int = 0
    credits: int = 0


class CreditLimit(DossierModel):
    monthly_credits: int
    used: int
    pending: int
    resets_at: str


class Credits(DossierModel):
    """This calendar month's credits (UTC). Live only: a test key is never billed."""

    billed: bool
    monthly_limit: int | None
    used_this_month: int
    pending: int = 0
    resets_at: str


class DeliveryAttempt(DossierModel):
    """One attempt to deliver one event to one endpoint (every attempt is kept)."""

    delivery_id: str | None = None
    event_id: str
    event_type: WebhookEventType | Literal["webhook.test"]
    analysis_id: str | None = None
    attempt: int
    status_code: int | None = None
    error: str | None = None
    duration_ms: int
    at: str
    next_retry_at: str | None = None
    result: str


class DeliveryAttemptList(DossierModel):
    data: list[DeliveryAttempt]


class FeedbackAccepted(DossierModel):
    """`202 Accepted` body of a feedback: what was recorded and what happens next."""

    analysis_id: str
    signal_id: str
    verdict: FeedbackVerdict
    regenerating: bool
    repeated: bool = False


class FeedbackCreate(DossierModel):
    """`POST /api/v1/analyses/{id}/feedback`."""

    signal_id: str
    verdict: FeedbackVerdict
    note: str | None = None


class FieldError(DossierModel):
    field: str
    message: str
    type: str | None = None


class KeyCreate(DossierModel):
    """`POST /api/v1/keys`. A key never exceeds the key that mints it."""

    name: str
    scopes: list[Scope]
    environment: Environment = Environment("live")


class LedgerEntry(DossierModel):
    """One charged report. After an erasure the entry stays (a financial record) but is
    pseudonymised: its id is re-derived and the candidate id removed.
    """

    id: str
    client_id: str | None = None
    candidate_id: str | None = None
    channel: str | None = None
    credits: int
    charged_at: str
    pseudonymised: bool = False


class LegacyCandidate(DossierModel):
    full_name: str
    location: str | None = None
    current_title: str | None = None
    current_company: str | None = None
    cv_text: str | None = None
    cv_file: CvFile | None = None
    linkedin_url: str | None = None


class LegacyRecommendation(DossierModel):
    decision: Decision
    confidence: Confidence
    reason: str | None = None
    evidence: list[str] | None = None


class LegacyReport(DossierModel):
    candidate_name: str
    hiring_recommendation: LegacyRecommendation
    summary: str | None = None
    strengths: list[str] | None = None
    what_to_validate: list[str] | None = None
    risks: list[str] | None = None
    interview_questions: list[str] | None = None
    notice: str | None = None
    pdf_download_url: str | None = None
    report_url: str | None = None


class LegacyRequest(DossierModel):
    """`POST /api/partner/v1/background-check`."""

    partner_platform_id: str
    partner_company_id: str
    partner_candidate_id: str
    candidate: LegacyCandidate
    language: Language = Language("en")
    max_age_days: int | None = None
    refresh: bool = False


class LegacyResponse(DossierModel):
    report_id: str
    status: LegacyStatus
    report: LegacyReport | None = None
    billing: Billing


class RateLimits(DossierModel):
    """The partner's plan budget for this key's environment (all its keys share it)."""

    per_minute: int
    per_hour: int
    shared_by: str = "partner-environment"


class Me(DossierModel):
    """`GET /api/v1/me`: the calling key, its partner and its budgets."""

    partner_id: str
    platform_id: str
    environment: Environment
    plan: str
    key: ApiKey
    rate_limits: RateLimits
    credits: Credits


class PartnerSummary(DossierModel):
    id: str
    name: str
    plan: str


class Webhook(DossierModel):
    """A registered endpoint, as listed (the secret is never shown again)."""

    id: str
    url: str
    events: list[WebhookEventType]
    enabled: bool
    created_at: str
    disabled_at: str | None = None
    disabled_reason: str | None = None
    failures_reset_at: str | None = None


class PartnerExport(DossierModel):
    """`GET /api/v1/export`: everything Dossier holds for the partner, in one document."""

    partner: PartnerSummary
    environment: Environment
    generated_at: str
    analyses: list[Analysis]
    keys: list[ApiKey]
    webhooks: list[Webhook]
    usage: list[LedgerEntry]
    audit: list[AuditEntry]


class Problem(DossierModel):
    """RFC 9457 problem details. `type` is a stable URI (https://dossier.dev/problems/<slug>) to switch on; `request_id` is also in the X-Request-ID header and our logs; `errors` lists the fields at fault on 422."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    request_id: str | None = None
    errors: list[FieldError] | None = None


class QuickSignalArrived(DossierModel):
    """The traffic-light quick signal, available once identity is resolved."""

    id: str
    analysis_id: str
    type: Literal["quick_signal"] = "quick_signal"
    quick_signal: QuickSignal


class ReusedAnalysis(DossierModel):
    """`200` body of `POST /api/v1/analyses`: the existing completed report, free."""

    id: str
    status: AnalysisStatus
    candidate_id: str
    client_id: str | None = None
    stage: Stage | None = None
    created_at: str
    updated_at: str | None = None
    estimated_completion_at: str | None = None
    quick_signal: QuickSignal | None = None
    signals: list[Signal] | None = None
    report: Report | None = None
    metadata: Metadata | None = None
    error: ErrorInfo | None = None
    billing: Billing | None = None
    revision: int = 0
    reused: bool = True


class SignalArrived(DossierModel):
    """One more piece of evidence; `index` is its position in the resource's `signals`."""

    id: str
    analysis_id: str
    type: Literal["signal"] = "signal"
    index: int
    signal: Signal


class StageChanged(DossierModel):
    """The analysis entered a stage (identity → enrichment → report → done)."""

    id: str
    analysis_id: str
    type: Literal["stage"] = "stage"
    stage: Stage


class UsageCounts(DossierModel):
    """Counts for a period: the totals, or one client company's."""

    generated: int = 0
    reused: int = 0
    credits: int = 0


class UsageReport(DossierModel):
    environment: Environment
    from_: str = Field(alias="from")
    to: str
    group_by: Literal["client"] | None = None
    totals: UsageCounts
    clients: list[ClientUsage] | None = None
    credit_limit: CreditLimit | None = None


class WebhookCreate(DossierModel):
    """`POST /api/v1/webhooks`."""

    url: str
    events: list[WebhookEventType]


class WebhookCreated(DossierModel):
    """The answer to registration: the only time the signing secret is shown."""

    id: str
    url: str
    events: list[WebhookEventType]
    enabled: bool
    created_at: str
    disabled_at: str | None = None
    disabled_reason: str | None = None
    failures_reset_at: str | None = None
    secret: str


class WebhookDeliveryQueued(DossierModel):
    """`202` from `…/test` and `…/redeliver`: the delivery that will be attempted."""

    delivery_id: str
    event_id: str
    event_type: WebhookEventType | Literal["webhook.test"]
    webhook_id: str


class WebhookList(DossierModel):
    data: list[Webhook]
    available_events: list[WebhookEventType] | None = None


class WebhookSecretRotated(DossierModel):
    """`POST /api/v1/webhooks/{id}/rotate-secret`: the new secret, shown this once."""

    id: str
    secret: str
    previous_secret_expires_at: str


class WebhookUpdate(DossierModel):
    """`PATCH /api/v1/webhooks/{id}`: any of `url`, `events`, `enabled`; at least one."""

    url: str | None = None
    events: list[WebhookEventType] | None = None
    enabled: bool | None = None


class WidgetSession(DossierModel):
    """A widget token: send it as `Authorization: Bearer wt_…` from the browser."""

    token: str
    expires_at: str


class WidgetSessionCreate(DossierModel):
    """`POST /api/v1/widget-sessions`: the pair the token will be good for."""

    client_id: str
    candidate_id: str


__all__ = ["DossierModel", "AnalysisStatus", "Confidence", "Decision", "Environment", "FeedbackVerdict", "Language", "LegacyStatus", "Level", "Reliability", "Scope", "SourceState", "SourceType", "Stage", "Stance", "WebhookEventType", "Billing", "ErrorInfo", "Metadata", "QuickSignal", "Citation", "Recommendation", "SourceCheck", "Report", "SignalVerdict", "Signal", "Analysis", "AnalysisAccepted", "CvFile", "CandidateInput", "ClientRef", "AnalysisCreate", "AnalysisEnded", "AnalysisList", "AnalysisRevised", "ApiKey", "ApiKeyCreated", "ApiKeyList", "AuditEntry", "AuditVerification", "CandidateErasure", "ClientUsage", "CreditLimit", "Credits", "DeliveryAttempt", "DeliveryAttemptList", "FeedbackAccepted", "FeedbackCreate", "FieldError", "KeyCreate", "LedgerEntry", "LegacyCandidate", "LegacyRecommendation", "LegacyReport", "LegacyRequest", "LegacyResponse", "RateLimits", "Me", "PartnerSummary", "Webhook", "PartnerExport", "Problem", "QuickSignalArrived", "ReusedAnalysis", "SignalArrived", "StageChanged", "UsageCounts", "UsageReport", "WebhookCreate", "WebhookCreated", "WebhookDeliveryQueued", "WebhookList", "WebhookSecretRotated", "WebhookUpdate", "WidgetSession", "WidgetSessionCreate"]
