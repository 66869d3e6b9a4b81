"""The legacy partner API (seed 000): same pipeline, reuse and billing; snake_case shapes.

POST waits up to `DOSSIER_LEGACY_WAIT_SECONDS` for the report, then answers
`generating`; the partner fetches it later with GET. Waiting is bounded: it
checks only the analysis's outcome (one keyed read), less often as time passes,
and a partner holds at most `DOSSIER_LEGACY_MAX_WAITING` waiting connections per
gateway process — past that, POST answers `generating` at once. Legacy keys draw
on the partner's plan budget like v1 keys (same 429 and `X-RateLimit-*`).
"""

import asyncio
import time
from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Path, Request

from dossier.contracts.api import AnalysisCreate, Billing, CandidateInput, ClientRef, Report
from dossier.contracts.enums import AnalysisStatus, Channel, LegacyStatus
from dossier.contracts.legacy import (
    LegacyRecommendation,
    LegacyReport,
    LegacyRequest,
    LegacyResponse,
)
from dossier.gateway.analyses.cv_file import CV_FILE_ROUTE_413, with_cv_file_read
from dossier.gateway.analyses.endpoints import pdf_link, report_link
from dossier.gateway.analyses.service import Outcome
from dossier.gateway.context import GatewayContext
from dossier.gateway.dependencies import Ctx, PartnerKey
from dossier.gateway.partner_slots import partner_slots
from dossier.gateway.problems import ProblemError, not_found
from dossier.runtime.mongo import Document

router = APIRouter(prefix="/api/partner/v1/background-check", tags=["legacy"])

#: The first check after accepting, the growth of the interval, and its cap.
_FIRST_CHECK_SECONDS, _BACKOFF, _MAX_CHECK_SECONDS = 0.25, 1.5, 1.5


def check_intervals() -> Iterator[float]:
    """0.25 s, then 1.5× longer each time, at most 1.5 s: ~17 checks over 20 s, not 80."""
    interval = _FIRST_CHECK_SECONDS
    while True:
        yield interval
        interval = min(_MAX_CHECK_SECONDS, interval * _BACKOFF)


def split_full_name(full_name: str) -> tuple[str, str]:
    """'Jane van der Berg' → ('Jane', 'van der Berg'); a single word is both names' best guess."""
    parts = full_name.split()
    if len(parts) == 1:
        return parts[0], parts[0]
    return parts[0], " ".join(parts[1:])


def to_v1(body: LegacyRequest) -> AnalysisCreate:
    first, last = split_full_name(body.candidate.full_name)
    return AnalysisCreate(
        language=body.language,
        client=ClientRef(id=body.partner_company_id),
        candidate=CandidateInput(
            id=body.partner_candidate_id,
            first_name=first,
            last_name=last,
            company=body.candidate.current_company,
            role=body.candidate.current_title,
            location=body.candidate.location,
            linkedin_url=body.candidate.linkedin_url,
            cv=body.candidate.cv_text,
            cv_file=body.candidate.cv_file,
        ),
        max_age_days=body.max_age_days,
        refresh=body.refresh,
    )


def legacy_report(
    doc: Document, pdf_url: str | None = None, report_url: str | None = None
) -> LegacyReport | None:
    if doc.get("report") is None:
        return None
    report = Report.model_validate(doc["report"])
    return LegacyReport(
        pdf_download_url=pdf_url,
        report_url=report_url,
        candidate_name=report.candidate_name,
        hiring_recommendation=LegacyRecommendation(
            decision=report.recommendation.decision,
            confidence=report.recommendation.confidence,
            reason=report.recommendation.reason,
            evidence=report.recommendation.evidence,
        ),
        summary=report.summary,
        strengths=report.strengths,
        what_to_validate=report.what_to_validate,
        risks=report.risks,
        interview_questions=report.interview_questions,
        notice=report.notice,
    )


def legacy_status(doc: Document, *, reused: bool) -> LegacyStatus:
    state = AnalysisStatus(doc["status"])
    if state is AnalysisStatus.COMPLETED:
        return LegacyStatus.EXISTING if reused else LegacyStatus.GENERATED
    if state is AnalysisStatus.FAILED:
        return LegacyStatus.FAILED
    if state is AnalysisStatus.CANCELED:
        return LegacyStatus.CANCELED
    return LegacyStatus.GENERATING


def legacy_response(
    doc: Document,
    *,
    reused: bool = False,
    pdf_url: str | None = None,
    report_url: str | None = None,
) -> LegacyResponse:
    billing = (
        Billing(charged=False, credits_used=0) if reused else Billing.model_validate(doc["billing"])
    )
    return LegacyResponse(
        report_id=doc["_id"],
        status=legacy_status(doc, reused=reused),
        report=legacy_report(doc, pdf_url, report_url),
        billing=billing,
    )


def present_legacy(
    ctx: GatewayContext, request: Request, doc: Document, *, reused: bool = False
) -> LegacyResponse:
    """The legacy body, with the same signed, expiring links v1 hands out (seed 000's
    `report.pdf_download_url`, and the HTML page's `report_url`) whenever the report exists."""
    if doc.get("report") is None:
        return legacy_response(doc, reused=reused)
    has_page = bool((doc.get("metadata") or {}).get("report_url"))
    return legacy_response(
        doc,
        reused=reused,
        pdf_url=pdf_link(ctx, request, doc["_id"]),
        report_url=report_link(ctx, request, doc["_id"]) if has_page else None,
    )


@router.post(
    "",
    response_model=LegacyResponse,
    response_model_exclude_none=True,
    responses={413: {"description": CV_FILE_ROUTE_413}},
    deprecated=True,
    summary="Request a background check (legacy; use POST /api/v1/analyses)",
    operation_id="createBackgroundCheck",
)
async def background_check(
    body: LegacyRequest, key: PartnerKey, ctx: Ctx, request: Request
) -> LegacyResponse:
    if body.partner_platform_id != key.partner.platform_id:
        raise ProblemError(
            403,
            "platform-mismatch",
            "Platform mismatch",
            "partner_platform_id does not match the platform of this partner key.",
        )
    v1_body, cv_without_text = await with_cv_file_read(
        request,
        to_v1(body),
        budget_seconds=ctx.settings.cv_file_read_seconds,
        concurrency=ctx.settings.cv_file_readers,
    )
    result = await ctx.analyses.create(
        v1_body,
        partner_id=key.partner.id,
        environment=key.environment,
        actor=key.key_id,
        channel=Channel.LEGACY,
        cv_without_text=cv_without_text,
    )
    if result.outcome is Outcome.REUSED:
        return present_legacy(ctx, request, result.document, reused=True)
    doc = result.document
    waiting = partner_slots(request, "legacy-waiting", ctx.settings.legacy_max_waiting)
    with waiting.slot(key.partner.id) as may_wait:
        if may_wait and await _decided_within(ctx, doc["_id"], ctx.settings.legacy_wait_seconds):
            doc = await ctx.read_model.get(doc["_id"]) or doc
    return present_legacy(ctx, request, doc)


async def _decided_within(ctx: Ctx, analysis_id: str, seconds: float) -> bool:
    """Whether the analysis reaches an outcome within `seconds` (one keyed read per check)."""
    deadline, intervals = time.monotonic() + seconds, check_intervals()
    while (left := deadline - time.monotonic()) > 0:
        await asyncio.sleep(min(next(intervals), left))
        if await ctx.read_model.outcome(analysis_id) is not None:
            return True
    return False


@router.get(
    "/{report_id}",
    response_model=LegacyResponse,
    response_model_exclude_none=True,
    deprecated=True,
    summary="Fetch a background check (legacy; use GET /api/v1/analyses/{id})",
    operation_id="getBackgroundCheck",
)
async def get_background_check(
    report_id: Annotated[str, Path(max_length=64)], key: PartnerKey, ctx: Ctx, request: Request
) -> LegacyResponse:
    doc = await ctx.read_model.get_for_partner(report_id, key.partner.id)
    if doc is None or doc.get("environment") != key.environment.value:
        raise not_found("report")
    return present_legacy(ctx, request, doc)
