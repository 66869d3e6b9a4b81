"""Bodies of the legacy partner background-check API (seed 000): snake_case throughout."""

from pydantic import Field, HttpUrl, model_validator

from dossier.contracts.api import (
    Billing,
    CvFile,
    CvText,
    ExternalId,
    MaxAgeDays,
    Name,
    Refresh,
    ShortText,
    WireModel,
)
from dossier.contracts.enums import Confidence, Decision, Language, LegacyStatus


class LegacyCandidate(WireModel):
    full_name: Name
    location: ShortText | None = None
    current_title: ShortText | None = None
    current_company: ShortText | None = None
    cv_text: CvText | None = None
    cv_file: CvFile | None = Field(
        default=None, description="The CV as a PDF, DOCX, ODT or TXT file instead of `cv_text`."
    )
    linkedin_url: HttpUrl | None = None

    @model_validator(mode="after")
    def _one_cv(self) -> "LegacyCandidate":
        if self.cv_text is not None and self.cv_file is not None:
            msg = "send the CV either as `cv_text` or as `cv_file`, not both"
            raise ValueError(msg)
        return self


class LegacyRequest(WireModel):
    """`POST /api/partner/v1/background-check`."""

    partner_platform_id: ExternalId
    partner_company_id: ExternalId
    partner_candidate_id: ExternalId
    candidate: LegacyCandidate
    language: Language = Language.EN
    max_age_days: MaxAgeDays | None = Field(
        default=None, description="As on `POST /api/v1/analyses`: reuse only a younger report."
    )
    refresh: Refresh = Field(
        default=False, description="As on `POST /api/v1/analyses`: always a new report."
    )


class LegacyRecommendation(WireModel):
    decision: Decision
    confidence: Confidence
    reason: str | None = None
    evidence: list[str] | None = None


class LegacyReport(WireModel):
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


class LegacyResponse(WireModel):
    report_id: str
    status: LegacyStatus
    report: LegacyReport | None = None
    billing: Billing
