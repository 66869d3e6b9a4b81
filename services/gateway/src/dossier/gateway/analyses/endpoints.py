"""`/api/v1/analyses`: create (or reuse), list, poll (conditionally), follow live, cancel."""

import json
import logging
from collections.abc import AsyncIterator
from typing import Annotated, Any, cast

from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response, status
from fastapi.sse import EventSourceResponse

from dossier.contracts.api import (
    Analysis,
    AnalysisAccepted,
    AnalysisCreate,
    AnalysisList,
    Billing,
    ReusedAnalysis,
)
from dossier.contracts.enums import AnalysisStatus
from dossier.contracts.progress import ProgressEvent
from dossier.contracts.timestamps import utcnow
from dossier.gateway.analyses.cursor import CursorCodec, InvalidCursorError, ListQuery
from dossier.gateway.analyses.cv_file import CV_FILE_ROUTE_413, with_cv_file_read
from dossier.gateway.analyses.eta import estimate_completion
from dossier.gateway.analyses.etag import none_match_hits, resource_etag
from dossier.gateway.analyses.listing import MAX_EXAMINED, AnalysisListing
from dossier.gateway.analyses.live import LiveAnalysis
from dossier.gateway.analyses.presenter import present
from dossier.gateway.analyses.progress import EventKey, InvalidEventIdError, parse_event_id
from dossier.gateway.analyses.rendered import FinishedRendering, Rendered, RenderedAnalyses
from dossier.gateway.analyses.service import Outcome
from dossier.gateway.analyses.stage_durations import TypicalDurations
from dossier.gateway.analyses.stream import StreamTiming, progress_stream
from dossier.gateway.auth.key_check import KeyCheck
from dossier.gateway.auth.presented import V1_HEADER, presented_key
from dossier.gateway.auth.repository import AuthenticatedKey
from dossier.gateway.context import GatewayContext
from dossier.gateway.dependencies import AnalysesRead, AnalysesWrite, Ctx
from dossier.gateway.docs.openapi import seed_example
from dossier.gateway.partner_slots import partner_slots
from dossier.gateway.problems import ProblemError, not_found
from dossier.gateway.reports.links import signed_pdf_url, signed_report_url
from dossier.gateway.widget.access import authenticate_widget, check_pair
from dossier.gateway.widget.tokens import is_widget_token
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


def report_link(ctx: GatewayContext, request: Request, analysis_id: str) -> str:
    """The HTML page's signed link: same key, expiry and rounding as the PDF link."""
    return signed_report_url(
        base_url(ctx, request),
        ctx.settings.url_signing_key.get_secret_value().encode(),
        analysis_id,
        ctx.settings.pdf_link_ttl_seconds,
        step_seconds=PDF_LINK_STEP_SECONDS,
    )


def pdf_url_for(ctx: GatewayContext, request: Request, doc: Document) -> str | None:
    return None if doc.get("metadata") is None else pdf_link(ctx, request, doc["_id"])


def report_url_for(ctx: GatewayContext, request: Request, doc: Document) -> str | None:
    return None if doc.get("metadata") is None else report_link(ctx, request, doc["_id"])


def render(
    ctx: GatewayContext, request: Request, doc: Document, *, billing: Billing | None = None
) -> Analysis:
    return present(
        doc,
        pdf_url=pdf_url_for(ctx, request, doc),
        report_url=report_url_for(ctx, request, doc),
        billing=billing,
    )


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
    """The analysis if it belongs to the key's partner and environment (and, for a widget
    token, to its client and candidate); else 404."""
    doc = await ctx.read_model.get_for_partner(analysis_id, key.partner.id)
    if doc is None or doc.get("environment") != key.environment.value:
        raise not_found()
    if key.widget is not None and not key.widget.covers(doc["client_id"], doc["candidate_id"]):
        raise not_found()  # as another partner's: a widget token learns nothing of others
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
    response_model=AnalysisAccepted | ReusedAnalysis,
    responses={
        200: {"model": ReusedAnalysis, "description": "An existing completed report (free)."},
        413: {"description": CV_FILE_ROUTE_413},
    },
    summary="Create an analysis, or reuse the existing one for this client and candidate",
    operation_id="createAnalysis",
)
async def create_analysis(
    body: AnalysisCreate, key: AnalysesWrite, ctx: Ctx, request: Request, response: Response
) -> AnalysisAccepted | ReusedAnalysis:
    check_pair(key.widget, body.client.id, body.candidate.id)
    body, cv_without_text = await with_cv_file_read(
        request,
        body,
        budget_seconds=ctx.settings.cv_file_read_seconds,
        concurrency=ctx.settings.cv_file_readers,
    )
    result = await ctx.analyses.create(
        body,
        partner_id=key.partner.id,
        environment=key.environment,
        actor=key.key_id,
        cv_without_text=cv_without_text,
    )
    doc = result.document
    bind_log_context(analysis_id=doc["_id"])
    log.info("analysis %s", result.outcome.value, extra={"client_id": doc["client_id"]})
    if result.outcome is Outcome.REUSED:
        response.status_code = status.HTTP_200_OK
        existing = render(ctx, request, doc, billing=Billing(charged=False, credits_used=0))
        return ReusedAnalysis(**dict(existing), reused=True)
    response.headers["Location"] = f"/api/v1/analyses/{doc['_id']}"
    response.headers["Retry-After"] = str(ctx.settings.retry_after_seconds)
    return AnalysisAccepted(
        id=doc["_id"],
        status=AnalysisStatus(doc["status"]),
        candidate_id=doc["candidate_id"],
        created_at=doc["created_at"],
        reused=result.outcome is Outcome.IN_PROGRESS,
    )


_LIST_DESCRIPTION = f"""Your analyses in this key's environment, newest first, one page at a time.

Filters: none (all your analyses), or `client_id` **and** `candidate_id` together (that
client company's analyses of that candidate: the current one first, then the ones it
replaced). `client_id` or `candidate_id` alone is `400 unsupported-filter`. `status` keeps
only analyses in that status.

Pages: `limit` (1–100, default 20); `next_cursor` is opaque — send it back as `cursor`
with the same filters until it is `null`. Analyses created meanwhile never shift a
page (no duplicates, no gaps); they appear on a new first page. A page looks at no more
than {MAX_EXAMINED} entries, so with filters it may hold fewer than `limit` analyses, even
none: keep following `next_cursor`. A cursor is bound to your key's partner and environment
and to the filters: another one, or an edited one, is `400 invalid-cursor`."""


_LIST_EXAMPLES = {
    "page": {
        "summary": "A page of one completed analysis, with more to follow",
        "value": {
            "data": [seed_example("v1_completed.json", Analysis)],
            "next_cursor": "eyJ2IjoxLCJwIjo0MX0.3q2-7wdKJ0xVJz5d0qEw8A",
        },
    },
    "last_page": {"summary": "Nothing (more) to list", "value": {"data": [], "next_cursor": None}},
}


@router.get(
    "",
    response_model=AnalysisList,
    operation_id="listAnalyses",
    summary="List your analyses, or find them by your client and candidate ids",
    description=_LIST_DESCRIPTION,
    responses={
        200: {"content": {"application/json": {"examples": _LIST_EXAMPLES}}},
        400: {
            "description": "`unsupported-filter`: `client_id` or `candidate_id` alone; "
            "`invalid-cursor`: a cursor not issued for this key's partner, environment and "
            "filters, or edited."
        },
    },
)
async def list_analyses(
    *,
    key: AnalysesRead,
    ctx: Ctx,
    request: Request,
    durations: Durations,
    client_id: Annotated[
        str | None,
        Query(min_length=1, max_length=128, description="Your client company id (`client.id`)."),
    ] = None,
    candidate_id: Annotated[
        str | None,
        Query(min_length=1, max_length=128, description="Your candidate id (`candidate.id`)."),
    ] = None,
    status_filter: Annotated[
        AnalysisStatus | None, Query(alias="status", description="Only analyses in this status.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100, description="Analyses per page.")] = 20,
    cursor: Annotated[
        str | None, Query(min_length=1, max_length=512, description="`next_cursor` of a page.")
    ] = None,
) -> Response:
    if (client_id is None) != (candidate_id is None):
        raise ProblemError(
            400,
            "unsupported-filter",
            "Unsupported filter",
            "Filter by `client_id` and `candidate_id` together, or by neither (all your "
            "analyses, optionally by `status`); one of them alone is not supported.",
        )
    check_pair(key.widget, client_id, candidate_id)
    query = ListQuery(client_id, candidate_id, status_filter.value if status_filter else None)
    codec = CursorCodec(ctx.settings.url_signing_key.get_secret_value().encode())
    partner_id, environment = key.partner.id, key.environment.value
    try:
        start = (
            None
            if cursor is None
            else codec.decode(cursor, partner_id=partner_id, environment=environment, query=query)
        )
    except InvalidCursorError:
        raise ProblemError(
            400,
            "invalid-cursor",
            "Invalid cursor",
            "Send back a `next_cursor` exactly as a page gave it, with the same filters and "
            "a key of the same partner and environment.",
        ) from None
    listing = AnalysisListing(ctx.read_model, ctx.analyses.partner_log, ctx.analyses.reuse_index)
    page = await listing.page(
        partner_id=partner_id,
        environment=key.environment,
        query=query,
        limit=limit,
        start=start,
    )
    bodies = [await rendered_body(ctx, request, doc, durations) for doc in page.analyses]
    next_cursor = (
        None
        if page.next_position is None
        else codec.encode(
            page.next_position, partner_id=partner_id, environment=environment, query=query
        )
    )
    content = b'{"data":[' + b",".join(bodies) + b'],"next_cursor":'
    return Response(
        content + json.dumps(next_cursor).encode() + b"}", media_type="application/json"
    )


async def rendered_body(
    ctx: GatewayContext, request: Request, doc: Document, durations: TypicalDurations
) -> bytes:
    """The analysis exactly as `GET /api/v1/analyses/{id}` serves it (owner checked by the
    caller): this process's kept rendering of a finished one when it is current."""
    if not AnalysisStatus(doc["status"]).is_terminal:
        return (
            (await render_live(ctx, request, doc, durations))
            .model_dump_json(by_alias=True)
            .encode()
        )
    kept = rendered_analyses(request).get(doc["_id"])
    if kept is not None and kept.pdf_url in (None, pdf_link(ctx, request, doc["_id"])):
        return kept.rendered.body
    return _render_finished(ctx, request, doc).body


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
    operation_id="getAnalysis",
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
    if key.widget is not None:
        return None  # the operation reads it and checks the widget token's pair
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
    analysis = present(doc, pdf_url=pdf_url, report_url=report_url_for(ctx, request, doc))
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
    operation_id="streamAnalysisEvents",
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
    raw = presented_key(request.headers, V1_HEADER) or ""

    async def widget_still_valid(token: str) -> bool:
        return await authenticate_widget(ctx, token) is not None

    key_still_valid = KeyCheck(
        ctx.partners,
        raw,
        ctx.settings.events_key_check_seconds,
        check=widget_still_valid if is_widget_token(raw) else None,
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


@router.delete(
    "/{analysis_id}",
    response_model=Analysis,
    summary="Cancel an analysis",
    operation_id="cancelAnalysis",
)
async def cancel_analysis(
    analysis_id: AnalysisId, key: AnalysesWrite, ctx: Ctx, request: Request
) -> Analysis:
    existing = await ctx.read_model.get_for_partner(analysis_id, key.partner.id)
    if existing is None or existing.get("environment") != key.environment.value:
        raise not_found()
    return render(ctx, request, await ctx.analyses.cancel(existing, actor=key.key_id))
