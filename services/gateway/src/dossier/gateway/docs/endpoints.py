"""Docs for people and agents: `/llms.txt`, `/llms-full.txt`, `/docs/{page}.md`, `/asyncapi.json`,
and the developer portal (`portal.py`): the API reference at `/docs`, each guide as HTML at
`/docs/{page}`, their files at `/docs/assets/{name}`, and the operators' bus view at
`/asyncapi`.

The OpenAPI document itself is FastAPI's `/openapi.json`, enriched by `openapi.py`.
FastAPI's own `/docs` and `/redoc` are off: they load their script from a public CDN.
"""

import base64
import binascii
import hmac
from typing import Annotated

from fastapi import APIRouter, Header, Path, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from dossier.gateway.dependencies import Ctx
from dossier.gateway.docs.pages import (
    ASYNCAPI_FILE,
    find_page,
    render_llms_full_txt,
    render_llms_txt,
    render_page,
)
from dossier.gateway.docs.portal import (
    GUIDE_CSP,
    REFERENCE_CSP,
    asset,
    bus_page,
    render_guide,
    render_reference,
)
from dossier.gateway.problems import ProblemError

router = APIRouter(tags=["documentation"])

MARKDOWN = "text/markdown; charset=utf-8"
HTML = "text/html; charset=utf-8"
#: Pages change with a deployment; assets are named by content only within one version.
PAGE_CACHE = "no-cache"
ASSET_CACHE = "public, max-age=3600"
PLAIN = "text/plain; charset=utf-8"
_TEXT = {"schema": {"type": "string"}}


def _base_url(ctx: Ctx, request: Request) -> str:
    return ctx.settings.public_base_url or str(request.base_url)


@router.get(
    "/llms.txt",
    response_class=Response,
    responses={200: {"content": {"text/plain": _TEXT}}},
    summary="Index of the docs for AI agents (llmstxt.org)",
    operation_id="getLlmsTxt",
)
async def llms_txt(ctx: Ctx, request: Request) -> Response:
    return Response(render_llms_txt(_base_url(ctx, request)), media_type=PLAIN)


@router.get(
    "/llms-full.txt",
    response_class=Response,
    responses={200: {"content": {"text/plain": _TEXT}}},
    summary="Every guide in one Markdown file",
    operation_id="getLlmsFullTxt",
)
async def llms_full_txt(ctx: Ctx, request: Request) -> Response:
    markdown = render_llms_full_txt(_base_url(ctx, request), request.app.openapi())
    return Response(markdown, media_type=PLAIN)


@router.get(
    "/docs/{page}.md",
    response_class=Response,
    responses={200: {"content": {"text/markdown": _TEXT}}},
    summary="A guide as Markdown (the list is in /llms.txt)",
    operation_id="getGuide",
)
async def markdown_page(page: Annotated[str, Path(max_length=64)], request: Request) -> Response:
    found = find_page(page)
    if found is None:
        raise ProblemError(
            404, "not-found", "Not found", f"No guide named {page!r}; /llms.txt lists them all."
        )
    return Response(render_page(found, request.app.openapi()), media_type=MARKDOWN)


def _html(content: str, csp: str) -> HTMLResponse:
    headers = {
        "Content-Security-Policy": csp,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": PAGE_CACHE,
    }
    return HTMLResponse(content, headers=headers)


@router.get(
    "/docs",
    response_class=HTMLResponse,
    include_in_schema=False,
    summary="The API reference (Redoc, served by the gateway)",
    operation_id="getApiReference",
)
async def reference() -> HTMLResponse:
    return _html(render_reference(), REFERENCE_CSP)


@router.get(
    "/redoc",
    include_in_schema=False,
    summary="Where FastAPI's Redoc page was: the reference is at /docs",
    operation_id="redirectRedoc",
)
async def redoc() -> RedirectResponse:
    return RedirectResponse("/docs", status_code=308)


@router.get(
    "/docs/assets/{name}",
    include_in_schema=False,
    summary="A file of the developer portal (its style, script and Redoc's bundle)",
    operation_id="getPortalAsset",
)
async def portal_asset(name: str) -> Response:
    found = asset(name)
    if found is None:
        raise ProblemError(404, "not-found", "Not found", f"No portal file named {name!r}.")
    headers = {"Cache-Control": ASSET_CACHE, "X-Content-Type-Options": "nosniff"}
    return Response(found.content, media_type=found.media_type, headers=headers)


@router.get(
    "/docs/{page}",
    response_class=HTMLResponse,
    include_in_schema=False,
    summary="A guide as an HTML page with the portal's navigation",
    operation_id="getGuidePage",
)
async def guide_page(page: str, request: Request) -> HTMLResponse:
    # Only the names of the shipped guides match: nothing from the path reaches the disk.
    found = find_page(page)
    if found is None:
        raise ProblemError(
            404, "not-found", "Not found", f"No guide named {page!r}; /docs/quickstart lists them."
        )
    return _html(render_guide(found, request.app.openapi()), GUIDE_CSP)


OPERATOR_CHALLENGE = {"WWW-Authenticate": 'Basic realm="Dossier operators", charset="UTF-8"'}


def presented_operator_token(authorization: str | None) -> str:
    """The token in `Bearer <token>`, or the password of HTTP Basic (any user name)."""
    scheme, _, value = (authorization or "").partition(" ")
    if scheme.lower() == "bearer":
        return value.strip()
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return ""
        return decoded.partition(":")[2]
    return ""


def require_operator(ctx: Ctx, authorization: str | None) -> None:
    """Operators only: the deployment's `DOSSIER_OPERATOR_TOKEN`, never a partner key.

    Unset, the operators' pages do not exist (404). The page stays off the public ingress
    too (like `/asyncapi.json`): the token is the second lock, for deployments without one."""
    expected = ctx.settings.operator_token.get_secret_value()
    if not expected:
        raise ProblemError(404, "not-found", "Not found", "No operator pages here.")
    presented = presented_operator_token(authorization)
    if not presented or not hmac.compare_digest(presented.encode(), expected.encode()):
        raise ProblemError(
            401,
            "unauthorized",
            "Unauthorized",
            "Operators only: send the deployment's operator token (Bearer, or as the "
            "password of HTTP Basic). Partner API keys are not accepted here.",
            headers=OPERATOR_CHALLENGE,
        )


@router.get(
    "/asyncapi",
    response_class=HTMLResponse,
    include_in_schema=False,
    summary="The event bus (AsyncAPI) as a page, for operators",
    operation_id="getEventBusPage",
)
async def event_bus_page(
    ctx: Ctx, authorization: Annotated[str | None, Header()] = None
) -> HTMLResponse:
    require_operator(ctx, authorization)
    response = _html(bus_page(), GUIDE_CSP)
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get(
    "/asyncapi.json",
    response_class=Response,
    responses={200: {"content": {"application/json": {"schema": {"type": "object"}}}}},
    summary="AsyncAPI 3.0 document of the event bus (Kafka topics and payloads)",
    operation_id="getAsyncApi",
)
async def asyncapi() -> Response:
    return Response(ASYNCAPI_FILE.read_bytes(), media_type="application/json")
