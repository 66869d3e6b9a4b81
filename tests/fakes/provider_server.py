"""A local stand-in for the third-party providers, speaking their HTTP protocols.

GitHub REST (user search, user, repos), SearXNG JSON search, OpenSanctions yente
`/match`, UK Companies House officer search, ORCID expanded search, and an
OpenAI-compatible chat-completions endpoint (`/llm` answers unusably, to exercise the
fallback; `/llm-model` answers like a rule-following model, see `chat_model`). Responses come from recorded
JSON (`recorded/`). `POST /_control` changes behaviour while tests run:
`{"delay": seconds}` slows every provider call (to catch a stage mid-flight);
`{"delays": {"github": s, "searxng": s, ...}}` slows one provider (staggered answers).
`{"realistic": {"min_seconds": 1, "max_seconds": 3, "errors": 0.05, "rate_limited": 0.02,
"retry_after": 1}}` (or `--realistic` on the command line) makes every provider (not the
LLM) answer like real ones: each request waits a uniform 1-3 s, 5 % answer 503, 2 % answer
429 with `Retry-After` (`{"realistic": null}` switches it off); see `Realism`.
`GET /_requests?contains=text&since=n` lists the provider requests received that mention
`text` (each numbered by `seq`, from 1; `since` keeps those after request n).
"""

import argparse
import asyncio
import json
import random
from collections import deque
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tests.fakes import chat_model

RECORDED = Path(__file__).parent / "recorded"
GITHUB = json.loads((RECORDED / "github.json").read_text())
STATE: dict[str, Any] = {"delay": 0.0, "delays": {}, "calls": 0}


async def _pace(provider: str = "") -> None:
    STATE["calls"] += 1
    delay = float((STATE.get("delays") or {}).get(provider, STATE["delay"]))
    if delay:
        await asyncio.sleep(delay)


def _github_user_summary(user: dict[str, Any]) -> dict[str, Any]:
    return {k: user[k] for k in ("login", "id", "html_url", "type")} | {"score": 1.0}


async def github_search_users(request: Request) -> JSONResponse:
    await _pace("github")
    query = request.query_params.get("q", "").lower()
    name = query.split(" in:")[0].strip().strip('"')
    items = [
        _github_user_summary(u)
        for u in GITHUB["users"].values()
        if u["name"] and u["name"].lower() == name
    ]
    return JSONResponse(
        {"total_count": len(items), "incomplete_results": False, "items": items},
        headers={"X-RateLimit-Limit": "30", "X-RateLimit-Remaining": "29"},
    )


async def github_user(request: Request) -> JSONResponse:
    await _pace("github")
    user = GITHUB["users"].get(request.path_params["login"])
    if user is None:
        return JSONResponse({"message": "Not Found"}, status_code=404)
    return JSONResponse(user)


async def github_repos(request: Request) -> JSONResponse:
    await _pace("github")
    return JSONResponse(GITHUB["repos"].get(request.path_params["login"], []))


async def searxng_search(request: Request) -> JSONResponse:
    await _pace("searxng")
    return JSONResponse({"query": request.query_params.get("q", ""), "results": []})


async def yente_match(request: Request) -> JSONResponse:
    await _pace("yente")
    body = await request.json()
    responses = {
        key: {"status": 200, "results": [], "total": {"value": 0, "relation": "eq"}, "query": query}
        for key, query in body.get("queries", {}).items()
    }
    return JSONResponse({"responses": responses, "limit": 5})


async def companies_house_officers(request: Request) -> JSONResponse:
    await _pace("companies-house")
    return JSONResponse(
        {"items": [], "total_results": 0, "items_per_page": 20, "kind": "search#officers"}
    )


async def orcid_search(request: Request) -> JSONResponse:
    await _pace("orcid")
    return JSONResponse({"expanded-result": None, "num-found": 0})


async def chat_completions(request: Request) -> JSONResponse:
    """An OpenAI-compatible endpoint that answers slowly (under `delay`) and unusably,
    so the reporter falls back to its deterministic writer — the point is the wait."""
    await _pace()
    await request.json()
    return JSONResponse(
        {
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": "not json"},
                    "finish_reason": "stop",
                }
            ],
        }
    )


async def model_completions(request: Request) -> JSONResponse:
    """A working model: valid structured output built from the request's data block."""
    await _pace()
    try:
        return JSONResponse(chat_model.completion(await request.json()))
    except chat_model.BadRequestError as exc:
        return JSONResponse(
            {"error": {"message": str(exc), "type": "invalid_request_error"}}, status_code=400
        )


async def control(request: Request) -> JSONResponse:
    STATE.update(await request.json())
    return JSONResponse(STATE)


async def health(_: Request) -> JSONResponse:
    return JSONResponse(STATE)


#: Every provider request received (method, path, decoded query, body), oldest first.
REQUESTS: deque[dict[str, str]] = deque(maxlen=5000)


class RequestLog:
    """Remembers each provider request so a test can tell whether a candidate reached one."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/_"):
            await self.app(scope, receive, send)
            return
        STATE["requests"] = int(STATE.get("requests", 0)) + 1
        entry = {
            "seq": str(STATE["requests"]),
            "method": scope["method"],
            "path": scope["path"],
            "query": unquote_plus(scope["query_string"].decode("latin-1")),
            "body": "",
        }
        REQUESTS.append(entry)

        async def logged_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                entry["body"] += message.get("body", b"").decode("utf-8", "replace")
            return message

        await self.app(scope, logged_receive, send)


#: `--realistic`: what real providers did to us on an ordinary day, roughly.
REALISTIC = {
    "min_seconds": 1.0,
    "max_seconds": 3.0,
    "errors": 0.05,
    "rate_limited": 0.02,
    "retry_after": 1,
}


class Realism:
    """Slow, failing, rate-limited providers (when `STATE["realistic"]` is set): a uniform
    wait per request, then a 503 or a 429 with `Retry-After` at the configured odds."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        realistic = STATE.get("realistic")
        path = scope.get("path", "")
        if scope["type"] != "http" or not realistic or path.startswith(("/_", "/llm")):
            await self.app(scope, receive, send)
            return
        low = float(realistic.get("min_seconds", 1.0))
        high = float(realistic.get("max_seconds", 3.0))
        await asyncio.sleep(random.uniform(low, high))
        draw = random.random()
        errors = float(realistic.get("errors", 0.0))
        limited = float(realistic.get("rate_limited", 0.0))
        if draw < errors:
            STATE["errors_served"] = int(STATE.get("errors_served", 0)) + 1
            response = JSONResponse({"message": "Service Unavailable"}, status_code=503)
        elif draw < errors + limited:
            STATE["rate_limits_served"] = int(STATE.get("rate_limits_served", 0)) + 1
            response = JSONResponse(
                {"message": "rate limited"},
                status_code=429,
                headers={"Retry-After": str(realistic.get("retry_after", 1))},
            )
        else:
            await self.app(scope, receive, send)
            return
        await response(scope, receive, send)


async def requests_log(request: Request) -> JSONResponse:
    """`GET /_requests?contains=text`: the logged requests mentioning `text` (all without)."""
    needle = request.query_params.get("contains", "").casefold()
    since = int(request.query_params.get("since", "0"))
    found = [
        e for e in REQUESTS if int(e["seq"]) > since and needle in " ".join(e.values()).casefold()
    ]
    return JSONResponse({"requests": found, "last_seq": int(STATE.get("requests", 0))})


app = Starlette(
    routes=[
        Route("/_health", health),
        Route("/_control", control, methods=["POST"]),
        Route("/_requests", requests_log),
        Route("/github/search/users", github_search_users),
        Route("/github/users/{login}", github_user),
        Route("/github/users/{login}/repos", github_repos),
        Route("/searxng/search", searxng_search),
        Route("/yente/match/{dataset}", yente_match, methods=["POST"]),
        Route("/companies-house/search/officers", companies_house_officers),
        Route("/orcid/v3.0/expanded-search/", orcid_search),
        Route("/llm/v1/chat/completions", chat_completions, methods=["POST"]),
        Route("/llm-model/v1/chat/completions", model_completions, methods=["POST"]),
    ]
)
app.add_middleware(Realism)
app.add_middleware(RequestLog)  # outermost: every request is logged, even a refused one

if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--realistic", action="store_true", help="slow, failing providers")
    args = parser.parse_args()
    if args.realistic:
        STATE["realistic"] = dict(REALISTIC)
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning")
