"""Privacy operations: erase one candidate, export everything held for the partner."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import StreamingResponse

from dossier.contracts.api import ExternalId
from dossier.contracts.enums import AnalysisStatus
from dossier.contracts.privacy import CandidateErasure, PartnerExport
from dossier.contracts.timestamps import format_timestamp, utcnow
from dossier.gateway.context import GatewayContext
from dossier.gateway.dependencies import AnalysesWrite, Ctx, KeysManage
from dossier.gateway.privacy.erasure import CandidateEraser
from dossier.gateway.privacy.export import PartnerExporter
from dossier.gateway.problems import not_found

router = APIRouter(tags=["privacy"])


def eraser(request: Request, ctx: GatewayContext) -> CandidateEraser:
    """One per app: it owns the follow-up sweeps it schedules."""
    existing: CandidateEraser | None = getattr(request.app.state, "candidate_eraser", None)
    if existing is None:

        async def cancel(analysis_id: str, partner_id: str, actor: str) -> bool:
            current = await ctx.read_model.get_for_partner(analysis_id, partner_id)
            if current is None or AnalysisStatus(current["status"]).is_terminal:
                return False
            doc = await ctx.analyses.cancel(current, actor=actor)
            return bool(doc["status"] == AnalysisStatus.CANCELED.value)

        existing = CandidateEraser(ctx.db, ctx.audit, cancel)
        request.app.state.candidate_eraser = existing
    return existing


@router.delete(
    "/api/v1/candidates/{candidate_id}",
    response_model=CandidateErasure,
    summary="Erase a candidate: every analysis for this client company, and all derived data",
    description="Removes, for your partner account and your key's environment, every analysis "
    "of this candidate for this client company and everything derived from it: reports, PDFs, "
    "reuse entries, cached source data, webhook deliveries. Running analyses are canceled "
    "first. Billing records are kept, pseudonymised (no candidate id). The erasure is audited "
    "as `candidate.erased` with a pseudonym. `404` when nothing exists for the candidate.",
    responses={404: {"description": "Nothing stored for this candidate and client company."}},
    operation_id="eraseCandidate",
)
async def erase_candidate(
    candidate_id: Annotated[ExternalId, Path(description="Your candidate id.")],
    client_id: Annotated[ExternalId, Query(description="Your client company's id.")],
    key: AnalysesWrite,
    ctx: Ctx,
    request: Request,
) -> CandidateErasure:
    result = await eraser(request, ctx).erase(
        partner_id=key.partner.id,
        environment=key.environment,
        client_id=client_id,
        candidate_id=candidate_id,
        actor=key.key_id,
    )
    if result is None:
        raise not_found("candidate")
    return result


@router.get(
    "/api/v1/export",
    response_class=StreamingResponse,
    summary="Export everything held for your partner account, as one JSON document",
    description="Everything of your key's environment: analyses, API keys (metadata only, "
    "never hashes), webhooks (never secrets), the billing ledger (live only: the sandbox is "
    "never billed) and the audit trail. Streamed as it is read, not paginated. Needs the "
    "`keys:manage` scope, like the audit trail.",
    responses={200: {"model": PartnerExport, "description": "The partner export."}},
    operation_id="exportPartnerData",
)
async def export_partner(key: KeysManage, ctx: Ctx) -> StreamingResponse:
    exporter = PartnerExporter(ctx.db, ctx.read_model, ctx.audit)
    stamp = format_timestamp(utcnow()).replace(":", "").replace(".", "")
    return StreamingResponse(
        exporter.stream(key.partner, key.environment),
        media_type="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="export-{key.partner.id}-{stamp}.json"'
        },
    )
