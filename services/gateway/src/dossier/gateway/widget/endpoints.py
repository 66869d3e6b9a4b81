"""`POST /api/v1/widget-sessions` (a token for the report button) and the button's script.

The partner's backend calls the operation with its API key when a recruiter opens a
candidate page and gives the browser only the token. Minting writes nothing (the token
is signed, see `tokens.py`), so it leaves no audit entry: the state changes a token can
make — creating an analysis — are audited as that analysis, with the issuing key as actor.
"""

from datetime import timedelta
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Body, Response, status
from fastapi.responses import FileResponse

from dossier.contracts.timestamps import utcnow
from dossier.contracts.widget import WidgetSession, WidgetSessionCreate
from dossier.gateway.dependencies import AnalysesWrite, Ctx
from dossier.gateway.problems import not_found
from dossier.gateway.widget.access import widget_key_bytes
from dossier.gateway.widget.tokens import WidgetGrant, mint

router = APIRouter(tags=["widget"])

SCRIPT_NAME = "dossier-report-button.js"
#: The source tree's `widget/` (editable installs), then the image's (see the Dockerfile).
_SOURCE_WIDGET_DIR = Path(__file__).resolve().parents[6] / "widget"
_IMAGE_WIDGET_DIR = Path("/app/widget")

_EXAMPLE_REQUEST = {"client_id": "client_company_123", "candidate_id": "candidate_456"}
_EXAMPLE_RESPONSE = {
    "token": "wt_eyJ2IjoxLCJwIjoicHRuXzNmOWMyYTcxYjBkNDVlNmYiLCJlIjoibGl2ZSJ9.Qm9ndXMgc2lnbmF0dXJl",
    "expires_at": "2026-06-29T12:15:00.000Z",
}


@router.post(
    "/api/v1/widget-sessions",
    status_code=status.HTTP_201_CREATED,
    response_model=WidgetSession,
    summary="Get a short-lived token for the report button (one client and candidate)",
    description="Call it from your backend with your API key; give the browser only the "
    "token. The token (`Authorization: Bearer wt_…`) works for 15 minutes, in this key's "
    "environment (a test key gives a sandbox token), for this client and candidate only: "
    "create their analysis (`client.id` and `candidate.id` must match, else 403), read it, "
    "follow its events, fetch its report, find it with `GET /api/v1/analyses?client_id=…"
    "&candidate_id=…`. Every other operation answers 403, another candidate's analysis 404. "
    "Its requests count against this key's rate limits; revoking this key ends its tokens.",
    responses={
        201: {"content": {"application/json": {"example": _EXAMPLE_RESPONSE}}},
    },
    operation_id="createWidgetSession",
)
async def create_widget_session(
    body: Annotated[
        WidgetSessionCreate,
        Body(openapi_examples={"pair": {"summary": "One candidate", "value": _EXAMPLE_REQUEST}}),
    ],
    key: AnalysesWrite,
    ctx: Ctx,
) -> WidgetSession:
    expires_at = utcnow().replace(microsecond=0) + timedelta(
        seconds=ctx.settings.widget_session_ttl_seconds
    )
    grant = WidgetGrant(
        partner_id=key.partner.id,
        environment=key.environment,
        key_id=key.key_id,
        client_id=body.client_id,
        candidate_id=body.candidate_id,
        expires_at=expires_at,
    )
    return WidgetSession(token=mint(widget_key_bytes(ctx), grant), expires_at=expires_at)


def widget_dir(ctx_dir: Path | None) -> Path:
    if ctx_dir is not None:
        return ctx_dir
    return _SOURCE_WIDGET_DIR if _SOURCE_WIDGET_DIR.is_dir() else _IMAGE_WIDGET_DIR


@router.get(
    f"/widget/{SCRIPT_NAME}",
    include_in_schema=False,
    operation_id="getReportButtonScript",
    summary="The report button's script (an ES module)",
)
async def report_button_script(ctx: Ctx) -> Response:
    path = widget_dir(ctx.settings.widget_dir) / SCRIPT_NAME
    if not path.is_file():
        raise not_found("widget script")
    return FileResponse(
        path,
        media_type="text/javascript; charset=utf-8",
        # A partner page on another origin loads it as a module: that needs CORS.
        headers={"Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*"},
    )
