"""Docs for people and agents: `/llms.txt`, `/llms-full.txt`, `/docs/{page}.md`, `/asyncapi.json`.

The OpenAPI document itself is FastAPI's `/openapi.json`, enriched by `openapi.py`;
Swagger UI stays at `/docs`.
"""

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response

from dossier.gateway.dependencies import Ctx
from dossier.gateway.docs.pages import (
    ASYNCAPI_FILE,
    find_page,
    render_llms_full_txt,
    render_llms_txt,
    render_page,
)
from dossier.gateway.problems import ProblemError

router = APIRouter(tags=["documentation"])

MARKDOWN = "text/markdown; charset=utf-8"
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


@router.get(
    "/asyncapi.json",
    response_class=Response,
    responses={200: {"content": {"application/json": {"schema": {"type": "object"}}}}},
    summary="AsyncAPI 3.0 document of the event bus (Kafka topics and payloads)",
    operation_id="getAsyncApi",
)
async def asyncapi() -> Response:
    return Response(ASYNCAPI_FILE.read_bytes(), media_type="application/json")
