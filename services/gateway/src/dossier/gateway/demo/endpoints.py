"""A demo ATS, served in development only (`DOSSIER_DEPLOYMENT=development`): `/demo/ats`.

It plays the partner: a candidate list with the report button on each row, and the
partner-side session endpoint the button calls (`POST /demo/ats/session`), which asks
`POST /api/v1/widget-sessions` over HTTP with the demo partner's **sandbox** key (free,
deterministic) — exactly what a partner's backend does. The key is read at each request
from the devstack's `demo-partner.json` (`DOSSIER_DEMO_PARTNER_FILE`), written by
`make up`/`make run` after the gateway started. Outside development the routes do not
exist (404).
"""

import json
from pathlib import Path
from typing import Any

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel

from dossier.contracts.api import ExternalId
from dossier.gateway.dependencies import Ctx
from dossier.gateway.problems import ProblemError

router = APIRouter(prefix="/demo/ats", include_in_schema=False)

PAGE = Path(__file__).with_name("ats.html")
DEMO_CLIENT = {"id": "demo-client", "first_name": "Dana", "last_name": "Recruiter",
               "company": "Demo Staffing"}  # fmt: skip
#: The sample candidates: the page lists them, the session endpoint describes them.
CANDIDATES: dict[str, dict[str, str]] = {
    "demo-cand-ada": {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "company": "Analytical Engines Ltd",
        "location": "London, UK",
        "role": "Software Engineer",
    },
    "demo-cand-grace": {
        "first_name": "Grace",
        "last_name": "Hopper",
        "company": "Compiler Systems",
        "location": "New York, US",
        "role": "Engineering Manager",
    },
    "demo-cand-alan": {
        "first_name": "Alan",
        "last_name": "Turing",
        "company": "Bletchley Computing",
        "location": "Manchester, UK",
        "role": "Data Scientist",
    },
}


class DemoSessionRequest(BaseModel):
    client_id: ExternalId
    candidate_id: ExternalId


def _unavailable(detail: str) -> ProblemError:
    return ProblemError(503, "demo-unavailable", "Demo partner unavailable", detail)


def _sandbox_key(path: Path | None) -> str:
    if path is None or not path.is_file():
        raise _unavailable("No demo partner yet: start the stack with `make up` or `make run`.")
    key = json.loads(path.read_text()).get("test_api_key")
    if not key:
        raise _unavailable(f"{path} holds no sandbox key (`test_api_key`): delete it and rerun.")
    return str(key)


def _row(candidate_id: str, c: dict[str, str]) -> str:
    return (
        f'<li><div class="who"><strong>{c["first_name"]} {c["last_name"]}</strong>'
        f"<span>{c['role']} · {c['company']} · {c['location']}</span></div>"
        f'<dossier-report-button client-id="{DEMO_CLIENT["id"]}" '
        f'candidate-id="{candidate_id}" session-url="/demo/ats/session">'
        "</dossier-report-button></li>"
    )


@router.get("", response_class=HTMLResponse, operation_id="demoAts")
async def demo_page() -> HTMLResponse:
    rows = "\n".join(_row(i, c) for i, c in CANDIDATES.items())
    return HTMLResponse(PAGE.read_text(encoding="utf-8").replace("<!--CANDIDATES-->", rows))


@router.post("/session", operation_id="demoAtsSession")
async def demo_session(body: DemoSessionRequest, ctx: Ctx, request: Request) -> Response:
    """The partner's backend: check the pair is ours, get a token with our sandbox key, and
    tell the button what to send when it creates the analysis."""
    candidate = CANDIDATES.get(body.candidate_id)
    if candidate is None or body.client_id != DEMO_CLIENT["id"]:
        raise ProblemError(404, "not-found", "Not found", "No such candidate in this demo ATS.")
    key = _sandbox_key(ctx.settings.demo_partner_file)
    async with httpx.AsyncClient(base_url=str(request.base_url), timeout=10) as http:
        answer = await http.post(
            "/api/v1/widget-sessions",
            json={"client_id": body.client_id, "candidate_id": body.candidate_id},
            headers={"Authorization": f"Bearer {key}"},
        )
    if answer.status_code != 201:
        return Response(answer.content, answer.status_code, media_type="application/problem+json")
    session: dict[str, Any] = answer.json()
    session["analysis"] = {
        "client": DEMO_CLIENT,
        "candidate": {"id": body.candidate_id, **candidate},
    }
    return JSONResponse(session, headers={"Cache-Control": "no-store"})
