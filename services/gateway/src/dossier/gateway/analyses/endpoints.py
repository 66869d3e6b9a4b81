"""`/api/v1/analyses`: create (or reuse), poll (conditionally), follow live, cancel."""

import logging
from collections.abc import AsyncIterator
from typing import Annotated, Any, cast

from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response, status
from fastapi.sse import EventSourceResponse

from dossier.contracts.api import Analysis, AnalysisAccepted, AnalysisCreate, Billing
from dossier.contracts.enums import AnalysisStatus
from dossier.contracts.progress import ProgressEvent
from dossier.contracts.timestamps import utcnow
from dossier.gateway.analyses.eta import estimate_completion
from dossier.gateway.analyses.etag import none_match_hits, resource_etag
from dossier.gateway.analyses.live import LiveAnalysis
from dossier.gateway.analyses.presenter import present
from dossier.gateway.analyses.progress import EventKey, InvalidEventIdError, parse_event_id
from dossier.gateway.analyses.rendered import FinishedRendering, Rendered, RenderedAnalyses
from dossier.gateway.analyses.service import Outcome
from dossier.gateway.analyses.stage_durations import TypicalDurations
from dossier.gateway.analyses.stream import StreamTiming, progress_stream
from dossier.gateway.auth.key_check import KeyCheck
from dossier.gateway.auth.repository import AuthenticatedKey
from dossier.gateway.context import GatewayContext
from dossier.gateway.dependencies import AnalysesRead, AnalysesWrite, Ctx
from dossier.gateway.partner_slots import partner_slots
from dossier.gateway.problems import ProblemError, not_found
from dossier.gateway.reports.links import signed_pdf_url
from dossier.runtime.logging import bind_log_context
from dossier.runtime.mongo import Document
from dossier.runtime.stage_timings import StageTimings

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api/v1/analyses", tags=["analyses"])

AnalysisId = Annotated[str, Path(min_length=1, max_length=64)]


def base_url(ctx: GatewayContext, request: Request) -> str:
    return ctx.settings.public_base_url or str(request.base_url)


#: PDF link expiries are rounded up to this, so a finished analysis renders once a minute.
PDF_LINK_STEP_SECONDS = 60


def pdf_link(ctx: GatewayContext, request: Request, analysis_id: str) -> str:
    return signed_pdf_url(
        base_url(ctx, request),
        ctx.settings.url_signing_key.get_secret_value().encode(),
        analysis_id,
        ctx.settings.pdf_link_ttl_seconds,
        step_seconds=PDF_LINK_STEP_SECONDS,
    )


def pdf_url_for(ctx: GatewayContext, request: Request, doc: Document) -> str | None:
    return None if doc.get("metadata") is None else pdf_link(ctx, request, doc["_id"])


def render(
    ctx: GatewayContext, request: Request, doc: Document, *, billing: Billing | None = None
) -> Analysis:
    return present(doc, pdf_url=pdf_url_for(ctx, request, doc), billing=billing)


def rendered_analyses(request: Request) -> RenderedAnalyses:
    """This process's renderings of finished analyses (created on first use)."""
    cached: RenderedAnalyses | None = getattr(request.app.state, "rendered_analyses", None)
    if cached is None:
        cached = request.app.state.rendered_analyses = RenderedAnalyses()
    return cached


async def typical_durations(request: Request, ctx: Ctx) -> TypicalDurations:
    """This process's cache of recent stage durations (created on first use)."""
    cached: TypicalDurations | None = getattr(request.app.state, "typical_durations", None)
    if cached is None:
        cached = TypicalDurations(
            StageTimings(ctx.db),
            ttl_seconds=ctx.settings.eta_cache_seconds,
            defaults=ctx.settings.eta_default_seconds,
        )
        request.app.state.typical_durations = cached
    return cached


Durations = Annotated[TypicalDurations, Depends(typical_durations)]


async def render_live(
    ctx: GatewayContext, request: Request, doc: Document, durations: TypicalDurations
) -> Analysis:
    """The resource with `estimated_completion_at` while the analysis runs."""
    analysis = render(ctx, request, doc)
    if analysis.status.is_terminal:
        return analysis
    eta = estimate_completion(
        now=utcnow(),
        stage=analysis.stage,
        phase_started_at=doc.get("stage_started_at") or doc["created_at"],
        durations=await durations.get(),
        granularity_seconds=ctx.settings.eta_granularity_seconds,
    )
    return analysis.model_copy(update={"estimated_completion_at": eta})


async def owned_analysis(analysis_id: AnalysisId, key: AnalysesRead, ctx: Ctx) -> Document:
    """The analysis if it belongs to the key's partner and environment; else 404."""
    doc = await ctx.read_model.get_for_partner(analysis_id, key.partner.id)
    if doc is None or doc.get("environment") != key.environment.value:
        raise not_found()
    return doc


async def resume_after(
    last_event_id: Annotated[
        str | None,
        Header(description="Resume after this event (browsers send it when they reconnect)."),
    ] = None,
    last_event_id_query: Annotated[
        str | None,
        Query(
            alias="last_event_id",
            max_length=32,
            description="The same, for clients that cannot set headers; the header wins.",
        ),
    ] = None,
) -> EventKey | None:
    raw = last_event_id if last_event_id is not None else last_event_id_query
    if raw is None or not raw.strip():
        return None
    try:
        return parse_event_id(raw)
    except InvalidEventIdError:
        raise ProblemError(
            400,
            "invalid-last-event-id",
            "Invalid Last-Event-ID",
            "Send back the `id` of an event this stream sent, e.g. `2.3`.",
        ) from None


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


_ETAG_HEADER = {
    "description": "Strong validator of the resource; send it as `If-None-Match` to poll cheaply.",
    "schema": {"type": "string"},
}


@router.get(
    "/{analysis_id}",
    response_model=Analysis,
    summary="Poll an analysis",
    responses={
        200: {"headers": {"ETag": _ETAG_HEADER}},
        304: {
            "description": "Not modified: the analysis is exactly as the `ETag` you sent "
            "in `If-None-Match` describes it. No body; `ETag` and `Retry-After` as for 200.",
            "headers": {"ETag": _ETAG_HEADER},
        },
    },
)
async def get_analysis(
    *,
    analysis_id: AnalysisId,
    key: AnalysesRead,
    ctx: Ctx,
    request: Request,
    durations: Durations,
    if_none_match: Annotated[
        str | None,
        Header(description="An `ETag` from an earlier poll: `304` if nothing changed since."),
    ] = None,
) -> Response:
    headers: dict[str, str] = {}
    rendered = await kept_rendering(ctx, request, analysis_id, key)
    if rendered is None:
        doc = await owned_analysis(analysis_id, key, ctx)
        if AnalysisStatus(doc["status"]).is_terminal:
            rendered = _render_finished(ctx, request, doc)
        else:
            analysis = await render_live(ctx, request, doc, durations)
            rendered = Rendered(
                resource_etag(analysis), analysis.model_dump_json(by_alias=True).encode()
            )
            headers["Retry-After"] = str(ctx.settings.retry_after_seconds)
    return poll_response(rendered, if_none_match, headers)


def poll_response(
    rendered: Rendered, if_none_match: str | None, headers: dict[str, str] | None = None
) -> Response:
    """200 with the body, or 304 when `If-None-Match` names it; `ETag` either way."""
    headers = {**(headers or {}), "ETag": rendered.etag}
    if none_match_hits(if_none_match, rendered.etag):
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers=headers)
    return Response(rendered.body, media_type="application/json", headers=headers)


async def kept_rendering(
    ctx: GatewayContext, request: Request, analysis_id: str, key: AuthenticatedKey
) -> Rendered | None:
    """This process's rendering of a finished analysis, if it has a current one.

    Served only to its owner (others get the 404 a read would give them) and only
    while the analysis exists and its report is the one rendered: one keyed read of two
    small fields of its outcome.
    """
    found = rendered_analyses(request).get(analysis_id)
    if found is None:
        return None
    if found.partner_id != key.partner.id or found.environment != key.environment.value:
        raise not_found()
    if found.pdf_url is not None and found.pdf_url != pdf_link(ctx, request, analysis_id):
        return None  # a new minute: render again with a fresh link
    dismissals = await ctx.read_model.dismissals(analysis_id)
    if dismissals is None:
        rendered_analyses(request).forget(analysis_id)
        raise not_found()
    if found.revision < dismissals:
        rendered_analyses(request).forget(analysis_id)
        return None  # a reviewer dismissed a signal since: its report is (being) rewritten
    return found.rendered


def _render_finished(ctx: GatewayContext, request: Request, doc: Document) -> Rendered:
    """Render a finished analysis and keep the rendering for the polls that follow."""
    pdf_url = pdf_url_for(ctx, request, doc)
    analysis = present(doc, pdf_url=pdf_url)
    rendered = Rendered(resource_etag(analysis), analysis.model_dump_json(by_alias=True).encode())
    rendering = FinishedRendering(
        doc["partner_id"], doc["environment"], pdf_url, rendered, doc.get("revision", 0)
    )
    rendered_analyses(request).put(doc["_id"], rendering)
    return rendered


_EVENT_STREAM_DOC: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "A `text/event-stream`. It opens with a `retry:` hint, then sends one "
        "event per stage change, the quick signal, each new signal in order and finally the "
        "outcome (`completed` with the report, `failed`, `canceled`), after which it closes. "
        "Each event has an `id:`; reconnect with `Last-Event-ID` to get exactly the events "
        "after it. `: keepalive` comments flow while nothing happens; a stream also closes "
        "after a maximum duration, and the client simply resumes."
    }
}


async def stream_slot(key: AnalysesRead, ctx: Ctx, request: Request) -> AsyncIterator[None]:
    """One of the partner's event-stream slots in this process, held while the stream is open."""
    cap = ctx.settings.events_max_streams_per_partner
    with partner_slots(request, "event-streams", cap).slot(key.partner.id) as free:
        if not free:
            raise ProblemError(
                429,
                "too-many-streams",
                "Too many open event streams",
                f"This partner already has {cap} event streams open on this server; close "
                "one, or poll with If-None-Match instead.",
                headers={"Retry-After": str(ctx.settings.retry_after_seconds)},
            )
        yield


@router.get(
    "/{analysis_id}/events",
    response_class=EventSourceResponse,
    responses=_EVENT_STREAM_DOC,
    summary="Follow an analysis live (Server-Sent Events)",
)
async def analysis_events(
    doc: Annotated[Document, Depends(owned_analysis)],
    key: AnalysesRead,
    ctx: Ctx,
    request: Request,
    after: Annotated[EventKey | None, Depends(resume_after)],
    _slot: Annotated[None, Depends(stream_slot)],
) -> AsyncIterator[ProgressEvent]:
    analysis_id, partner_id, environment = doc["_id"], key.partner.id, key.environment
    live = LiveAnalysis(ctx.read_model, analysis_id)
    key_still_valid = KeyCheck(
        ctx.partners, request.headers.get("x-api-key", ""), ctx.settings.events_key_check_seconds
    )

    async def load() -> Analysis | None:
        if not await key_still_valid():
            return None  # revoked: the client reconnects and gets its 401
        current = await live.look()
        if current is None or current.get("partner_id") != partner_id:
            return None
        if current.get("environment") != environment.value:
            return None
        return render(ctx, request, current)

    timing = StreamTiming(
        poll_seconds=ctx.settings.events_poll_seconds,
        heartbeat_seconds=ctx.settings.events_heartbeat_seconds,
        max_seconds=ctx.settings.events_max_stream_seconds,
        retry_ms=ctx.settings.events_retry_ms,
    )
    async for message in progress_stream(load, after=after, timing=timing):
        # FastAPI documents the stream's items from this function's annotation; the
        # ServerSentEvent wrapper adds the `id:`/`event:` lines around each ProgressEvent.
        yield cast(ProgressEvent, message)


@router.delete("/{analysis_id}", response_model=Analysis, summary="Cancel an analysis")
async def cancel_analysis(
    analysis_id: AnalysisId, key: AnalysesWrite, ctx: Ctx, request: Request
) -> Analysis:
    existing = await ctx.read_model.get_for_partner(analysis_id, key.partner.id)
    if existing is None or existing.get("environment") != key.environment.value:
        raise not_found()
    return render(ctx, request, await ctx.analyses.cancel(existing, actor=key.key_id))
