"""`/api/v1/analyses`: create (or reuse), poll, cancel."""

import logging
from typing import Annotated

from fastapi import APIRouter, Path, Request, Response, status

from dossier.contracts.api import Analysis, AnalysisAccepted, AnalysisCreate, Billing
from dossier.contracts.enums import AnalysisStatus
from dossier.gateway.analyses.presenter import present
from dossier.gateway.analyses.service import Outcome
from dossier.gateway.context import GatewayContext
from dossier.gateway.dependencies import AnalysesRead, AnalysesWrite, Ctx
from dossier.gateway.problems import not_found
from dossier.gateway.reports.links import signed_pdf_url
from dossier.runtime.logging import bind_log_context
from dossier.runtime.mongo import Document

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api/v1/analyses", tags=["analyses"])

AnalysisId = Annotated[str, Path(min_length=1, max_length=64)]


def base_url(ctx: GatewayContext, request: Request) -> str:
    return ctx.settings.public_base_url or str(request.base_url)


def render(
    ctx: GatewayContext, request: Request, doc: Document, *, billing: Billing | None = None
) -> Analysis:
    pdf_url = None
    if doc.get("metadata") is not None:
        pdf_url = signed_pdf_url(
            base_url(ctx, request),
            ctx.settings.url_signing_key.get_secret_value().encode(),
            doc["_id"],
            ctx.settings.pdf_link_ttl_seconds,
        )
    return present(doc, pdf_url=pdf_url, billing=billing)


def _polling_headers(ctx: GatewayContext, response: Response, doc: Document) -> None:
    if not AnalysisStatus(doc["status"]).is_terminal:
        response.headers["Retry-After"] = str(ctx.settings.retry_after_seconds)


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=AnalysisAccepted | Analysis,
    responses={200: {"model": Analysis, "description": "An existing completed report (free)."}},
    summary="Create an analysis, or reuse the existing one for this client and candidate",
)
async def create_analysis(
    body: AnalysisCreate, key: AnalysesWrite, ctx: Ctx, request: Request, response: Response
) -> AnalysisAccepted | Analysis:
    result = await ctx.analyses.create(
        body, partner_id=key.partner.id, environment=key.environment, actor=key.key_id
    )
    doc = result.document
    bind_log_context(analysis_id=doc["_id"])
    log.info("analysis %s", result.outcome.value, extra={"client_id": doc["client_id"]})
    if result.outcome is Outcome.REUSED:
        response.status_code = status.HTTP_200_OK
        return render(ctx, request, doc, billing=Billing(charged=False, credits_used=0))
    response.headers["Location"] = f"/api/v1/analyses/{doc['_id']}"
    response.headers["Retry-After"] = str(ctx.settings.retry_after_seconds)
    return AnalysisAccepted(
        id=doc["_id"],
        status=AnalysisStatus(doc["status"]),
        candidate_id=doc["candidate_id"],
        created_at=doc["created_at"],
    )


@router.get("/{analysis_id}", response_model=Analysis, summary="Poll an analysis")
async def get_analysis(
    analysis_id: AnalysisId, key: AnalysesRead, ctx: Ctx, request: Request, response: Response
) -> Analysis:
    doc = await ctx.read_model.get_for_partner(analysis_id, key.partner.id)
    if doc is None or doc.get("environment") != key.environment.value:
        raise not_found()
    _polling_headers(ctx, response, doc)
    return render(ctx, request, doc)


@router.delete("/{analysis_id}", response_model=Analysis, summary="Cancel an analysis")
async def cancel_analysis(
    analysis_id: AnalysisId, key: AnalysesWrite, ctx: Ctx, request: Request
) -> Analysis:
    existing = await ctx.read_model.get_for_partner(analysis_id, key.partner.id)
    if existing is None or existing.get("environment") != key.environment.value:
        raise not_found()
    doc = await ctx.analyses.cancel(analysis_id, key.partner.id, actor=key.key_id)
    if doc is None:
        raise not_found()
    return render(ctx, request, doc)
