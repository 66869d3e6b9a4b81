"""Events on the bus. Past tense: each announces something that has happened.

Every event is keyed by `analysis_id` so one analysis stays ordered on one
partition. Messages carry the state the next stage needs (event-carried state
transfer); anything read from the CV travels sealed with the analysis's own key.
"""

import uuid

from pydantic import Field

from dossier.contracts.api import (
    ClientRef,
    ErrorInfo,
    QuickSignal,
    Signal,
    SourceCheck,
    WireModel,
)
from dossier.contracts.enums import Channel, Environment, FeedbackVerdict, Language, Stage
from dossier.contracts.sources import SourceResult
from dossier.contracts.timestamps import Timestamp, utcnow


def new_event_id() -> str:
    return f"evt_{uuid.uuid4().hex}"


class Event(WireModel):
    event_id: str = Field(default_factory=new_event_id)
    occurred_at: Timestamp = Field(default_factory=utcnow)


class CandidateProfile(WireModel):
    """The candidate as the partner described them, without the CV."""

    id: str
    first_name: str
    last_name: str
    company: str | None = None
    location: str | None = None
    role: str | None = None
    linkedin_url: str | None = None

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class AnalysisContext(WireModel):
    """Who asked for what: carried unchanged by every pipeline event."""

    analysis_id: str
    partner_id: str
    environment: Environment = Environment.LIVE
    channel: Channel = Channel.V1
    client: ClientRef
    candidate: CandidateProfile
    language: Language
    requested_at: Timestamp
    cv_provided: bool = Field(
        default=False, description="The partner sent a CV (it travels sealed, if still readable)."
    )
    cv_without_text: bool = Field(
        default=False,
        description="The partner sent a CV file with no text in it (e.g. a scanned PDF "
        "without a text layer): the analysis runs without the CV and the report says so.",
    )


class AnalysisRequested(Event):
    context: AnalysisContext
    sealed_cv: str | None = Field(
        default=None, description="The CV, encrypted with the analysis's data key."
    )


class ProfileMatch(WireModel):
    """A profile found for the candidate's name, and whether it is really them."""

    source: str
    handle: str
    url: str | None = None
    verdict: str = Field(description="`match`, `possible` or `homonym`.")
    reasons: list[str] = Field(default_factory=list)


class IdentityResolution(WireModel):
    quick_signal: QuickSignal
    matches: list[ProfileMatch] = Field(default_factory=list)
    signals: list[Signal] = Field(default_factory=list)


class AnalysisIdentified(Event):
    context: AnalysisContext
    sealed_claims: str | None = None
    identity: IdentityResolution
    source_results: list[SourceResult] = Field(
        default_factory=list,
        description="What the profile sources (GitHub, ORCID) answered identity — failures "
        "included. Enrichment reuses them instead of asking the same providers again.",
    )


class AnalysisEnriched(Event):
    context: AnalysisContext
    sealed_claims: str | None = None
    identity: IdentityResolution
    signals: list[Signal] = Field(default_factory=list)
    sources: list[SourceCheck] = Field(default_factory=list)


class AnalysisCompleted(Event):
    context: AnalysisContext
    report_id: str
    billable: bool = Field(description="False for sandbox analyses; reuse never emits this event.")


class AnalysisFailed(Event):
    analysis_id: str
    partner_id: str
    stage: Stage | None = None
    error: ErrorInfo


class AnalysisCanceled(Event):
    analysis_id: str
    partner_id: str


class FeedbackGiven(Event):
    """A reviewer gave a verdict on one signal of a completed analysis (the gateway accepted
    it). The reporter applies it: a dismissal rewrites the report, free of charge."""

    analysis_id: str
    partner_id: str
    signal_id: str
    verdict: FeedbackVerdict
    note: str | None = Field(default=None, description="The reviewer's own text: never logged.")
    given_at: Timestamp


class AnalysisUpdated(Event):
    """A completed analysis changed after completion: its report was rewritten after
    feedback (`revision` counts the rewrites). Never billed: billing does not consume it."""

    analysis_id: str
    partner_id: str
    revision: int


class CreditsCharged(Event):
    """Billing recorded one charge for one new report."""

    analysis_id: str
    partner_id: str
    client_id: str
    candidate_id: str
    credits: int


class DeadLetter(Event):
    """A message a stage could not process, kept with its error for an operator."""

    service: str
    topic: str
    partition: int
    offset: int
    key: str | None = None
    error: str
    payload: str
