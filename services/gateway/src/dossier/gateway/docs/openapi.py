"""The OpenAPI 3.1 document at `/openapi.json`, generated from the app and enriched.

FastAPI emits the paths, bodies and security requirements (each v1 operation's
`Security(..., scopes=[...])` becomes `security: [{"ApiKey": [scope]}]`). This
module walks that generated document and adds what a partner (or an agent)
needs to integrate from the spec alone: servers, contact and licence, tag
descriptions, the required scope as `x-required-scopes`, request and response
examples taken from the seed contract, the `application/problem+json` answers
each operation can give, and the rate-limit and request-id headers. Nothing is
listed by hand per operation, so operations added by any feature are covered.
"""

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel

from dossier.contracts.api import (
    Analysis,
    AnalysisAccepted,
    AnalysisCreate,
    Problem,
    ReusedAnalysis,
)
from dossier.contracts.legacy import LegacyRequest, LegacyResponse
from dossier.contracts.me import Me
from dossier.gateway.docs.code_samples import code_samples

JsonObject = dict[str, Any]

EXAMPLES_DIR = Path(__file__).parent / "examples"
PROBLEM_BASE = "https://dossier.dev/problems/"
PROBLEM_JSON = "application/problem+json"
HTTP_METHODS = ("get", "put", "post", "delete", "patch")

TAG_DESCRIPTIONS: dict[str, str] = {
    "analyses": "Create (or reuse) an analysis of a candidate, poll it, follow it live, cancel it.",
    "legacy": "The earlier partner background-check API (`X-Partner-Key`), kept for partners "
    "who integrated it. Same pipeline, reuse and billing.",
    "reports": "The report as PDF with your API key (never expires), and the PDF and the "
    "printable HTML page behind the signed, expiring `metadata.pdf_download_url` and "
    "`metadata.report_url`.",
    "account": "Who the calling key is: partner, environment, plan, scopes, rate limits and "
    "this month's credits.",
    "keys": "Mint, list and revoke API keys with scopes; rotate without downtime.",
    "webhooks": "Register HTTPS endpoints for signed `analysis.*` events (Standard Webhooks); "
    "change, re-enable, test them, rotate their secret; list and redeliver delivery attempts.",
    "widget": "Short-lived widget tokens for the embeddable report button "
    "(`<dossier-report-button>`): one client and candidate, 15 minutes, from your backend.",
    "usage": "Reports generated and reused, credits per client company, for re-billing.",
    "audit": "The append-only, hash-chained audit trail, exported as CSV.",
    "privacy": "Erase one candidate everywhere; export everything stored for your account.",
    "documentation": "This reference as Markdown for people and agents, and the event bus "
    "(AsyncAPI).",
    "operations": "Liveness and readiness probes.",
}

RATE_LIMIT_HEADERS: JsonObject = {
    "X-RateLimit-Limit": {
        "description": "Requests allowed in the current window for your plan.",
        "schema": {"type": "integer"},
    },
    "X-RateLimit-Remaining": {
        "description": "Requests left in the current window.",
        "schema": {"type": "integer"},
    },
    "X-RateLimit-Reset": {
        "description": "Seconds until the current window resets.",
        "schema": {"type": "integer"},
    },
}
REQUEST_ID_HEADER: JsonObject = {
    "X-Request-ID": {
        "description": "The request id, also in the problem body and in our logs. Send your own "
        "(1–64 of `A-Za-z0-9._-`) to correlate.",
        "schema": {"type": "string"},
    }
}
RETRY_AFTER_HEADER: JsonObject = {
    "Retry-After": {
        "description": "Seconds to wait before the next request.",
        "schema": {"type": "integer"},
    }
}

DEPRECATION_HEADERS: JsonObject = {
    "Deprecation": {
        "description": "RFC 9745: this API is deprecated since `@<unix seconds>`.",
        "schema": {"type": "string", "example": "@1796601600"},
    },
    "Sunset": {
        "description": "RFC 8594: the HTTP-date after which this API stops answering.",
        "schema": {"type": "string", "example": "Wed, 30 Jun 2027 00:00:00 GMT"},
    },
    "Link": {
        "description": 'The migration guide, as `rel="deprecation"` and `rel="sunset"`.',
        "schema": {"type": "string"},
    },
}

#: What each problem status means, with the `type` slug most operations answer with.
PROBLEMS: dict[int, tuple[str, str, str]] = {
    400: ("malformed-json", "Malformed JSON", "The request body is not valid JSON."),
    401: (
        "unauthorized",
        "Unauthorized",
        "Send a valid, active API key in the X-API-Key header or as `Authorization: Bearer <key>`.",
    ),
    402: (
        "credit-limit-reached",
        "Monthly credit limit reached",
        "Your plan's monthly credits are used up; no work was started.",
    ),
    403: (
        "insufficient-scope",
        "Insufficient scope",
        "This key lacks the scope(s) analyses:write this operation needs.",
    ),
    404: ("not-found", "Not found", "No analysis with this id for your key."),
    409: (
        "idempotency-key-reused",
        "Idempotency key reused",
        "This Idempotency-Key was used with a different request body.",
    ),
    413: (
        "payload-too-large",
        "Payload too large",
        "Request bodies are limited to 1048576 bytes.",
    ),
    422: ("validation-error", "Invalid request", "Invalid fields: candidate.id."),
    429: ("rate-limited", "Too many requests", "Rate limit of 60 requests per minute exceeded."),
}
PROBLEM_WHEN: dict[int, str] = {
    400: "The body is not JSON, or the request carries two different keys "
    "(`conflicting-credentials`: one in the key header, another as Bearer).",
    401: "Missing, malformed, unknown or revoked key.",
    402: "The monthly credit limit of your plan is reached (checked before any work starts).",
    403: "The key lacks the operation's scope, or the request is not allowed for it.",
    404: "No such resource for your key (another partner's id is also 404).",
    409: "The Idempotency-Key was already used with a different body, or the request conflicts "
    "with the resource's state.",
    413: "The body is over 1 MiB.",
    422: "A field or parameter is missing or invalid; `errors` names each one.",
    429: "Past your plan's rate limit; retry after `Retry-After` seconds.",
}

#: Seed examples (seeds 000 and 001) by operation: request body, then responses by status.
SEED_EXAMPLES: dict[tuple[str, str], JsonObject] = {
    ("post", "/api/v1/analyses"): {
        "request": {
            "create": ("v1_create_request.json", AnalysisCreate),
            "refresh": ("v1_create_request.json", AnalysisCreate, (("refresh", True),)),
            "at_most_30_days_old": (
                "v1_create_request.json",
                AnalysisCreate,
                (("max_age_days", 30),),
            ),
        },
        "202": {
            "queued": ("v1_accepted.json", AnalysisAccepted, (("reused", False),)),
            "already_running": ("v1_accepted.json", AnalysisAccepted, (("reused", True),)),
        },
        "200": {"reused": ("v1_completed.json", ReusedAnalysis, (("reused", True),))},
    },
    ("get", "/api/v1/analyses/{analysis_id}"): {
        "200": {
            "processing": ("v1_processing.json", Analysis),
            "completed": ("v1_completed.json", Analysis),
        },
    },
    ("delete", "/api/v1/analyses/{analysis_id}"): {
        "200": {"canceled": ("v1_canceled.json", Analysis)},
    },
    ("get", "/api/v1/me"): {
        "200": {"live_key": ("v1_me.json", Me), "test_key": ("v1_me_test.json", Me)},
    },
    ("post", "/api/partner/v1/background-check"): {
        "request": {"background_check": ("legacy_request.json", LegacyRequest)},
        "200": {"generated": ("legacy_response.json", LegacyResponse)},
    },
    ("get", "/api/partner/v1/background-check/{report_id}"): {
        "200": {"generated": ("legacy_response.json", LegacyResponse)},
    },
}


@cache
def seed_example(
    filename: str, model: type[BaseModel], extra: tuple[tuple[str, Any], ...] = ()
) -> JsonObject:
    """A seed example, as the API would serialise it (validated by the contract model),
    with `extra` fields beyond the seed (e.g. `reused` on the answers of a create)."""
    raw = json.loads((EXAMPLES_DIR / filename).read_text(encoding="utf-8"))
    dumped: JsonObject = model.model_validate({**raw, **dict(extra)}).model_dump(
        mode="json", by_alias=True, exclude_unset=True
    )
    return dumped


def install_openapi(app: FastAPI) -> None:
    """Replace `app.openapi` by the enriched document (built once, on first request)."""

    def openapi() -> JsonObject:
        if app.openapi_schema is None:
            base = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            app.openapi_schema = enrich(base)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def enrich(schema: JsonObject) -> JsonObject:
    """Everything FastAPI does not know about, added to its generated document."""
    doc = copy.deepcopy(schema)
    doc["info"].update(
        {
            "contact": {"name": "Dossier partner support", "email": "partners@dossier.dev"},
            "license": {"name": "Proprietary", "identifier": "LicenseRef-Proprietary"},
            "x-llms-txt": "/llms.txt",
        }
    )
    doc["servers"] = [{"url": "/", "description": "This deployment"}]
    doc["externalDocs"] = {
        "description": "Guides in Markdown (agents: start here)",
        "url": "/llms.txt",
    }
    components = doc.setdefault("components", {})
    _add_problem_schema(components)
    components.setdefault("headers", {}).update(
        {**RATE_LIMIT_HEADERS, **REQUEST_ID_HEADER, **RETRY_AFTER_HEADER, **DEPRECATION_HEADERS}
    )
    used_tags: list[str] = []
    for path, item in doc.get("paths", {}).items():
        for method in HTTP_METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            _enrich_operation(method, path, operation)
            used_tags += [t for t in operation.get("tags", []) if t not in used_tags]
    known = [t for t in TAG_DESCRIPTIONS if t in used_tags]
    doc["tags"] = [
        {"name": tag, "description": TAG_DESCRIPTIONS.get(tag, f"The {tag} operations.")}
        for tag in known + [t for t in used_tags if t not in known]
    ]
    _drop_unreferenced(doc, ("HTTPValidationError", "ValidationError"))
    return doc


def _add_problem_schema(components: JsonObject) -> None:
    problem = Problem.model_json_schema(
        ref_template="#/components/schemas/{model}", mode="serialization"
    )
    schemas = components.setdefault("schemas", {})
    schemas.update(problem.pop("$defs", {}))
    problem["description"] = (
        "RFC 9457 problem details. `type` is a stable URI (" + PROBLEM_BASE + "<slug>) to "
        "switch on; `request_id` is also in the X-Request-ID header and our logs; `errors` "
        "lists the fields at fault on 422."
    )
    schemas["Problem"] = problem


def required_scopes(operation: JsonObject) -> list[str]:
    """The scopes the operation's security requirement names (empty: any valid key, or none)."""
    scopes: list[str] = []
    for requirement in operation.get("security", []):
        for names in requirement.values():
            scopes += [s for s in names if s not in scopes]
    return scopes


def possible_problems(method: str, path: str, operation: JsonObject) -> list[int]:
    """The problem statuses this operation can answer with, from what it declares."""
    secured = bool(operation.get("security"))
    has_body = "requestBody" in operation
    params = operation.get("parameters", [])
    has_path_params = any(p.get("in") == "path" for p in params)
    statuses: set[int] = set()
    if has_body:
        statuses |= {400, 413, 422}
    if params:
        statuses.add(422)
    if secured:
        statuses |= {400, 401, 403, 429}  # 400: two different keys (header and Bearer)
    if has_path_params:
        statuses.add(404)
    if any(p.get("in") == "header" for p in params):
        statuses.add(400)  # a malformed header (e.g. Last-Event-ID)
    if secured and method == "post":
        statuses |= {400, 409}  # a malformed Idempotency-Key; one reused with another body
    if secured and method == "post" and path.endswith(("/analyses", "/background-check")):
        statuses.add(402)  # the monthly credit limit is checked before any work starts
    if path.startswith("/api/v1/reports/"):
        statuses.add(403)  # tampered or expired signed link
    return sorted(statuses)


def _problem_response(status: int, description: str | None = None) -> JsonObject:
    slug, title, detail = PROBLEMS.get(status, ("http-error", "Error", "The request failed."))
    example = {
        "type": PROBLEM_BASE + slug,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": "/api/v1/analyses",
        "request_id": "req_8b7d5a50ee78ef76",
    }
    if status == 422:
        example["errors"] = [
            {"field": "candidate.id", "message": "Field required", "type": "missing"}
        ]
    headers: JsonObject = {"X-Request-ID": {"$ref": "#/components/headers/X-Request-ID"}}
    if status == 429:
        headers["Retry-After"] = {
            "$ref": "#/components/headers/Retry-After",
        }
    return {
        "description": description or PROBLEM_WHEN.get(status, "An error, as problem details."),
        "headers": headers,
        "content": {
            PROBLEM_JSON: {
                "schema": {"$ref": "#/components/schemas/Problem"},
                "example": example,
            }
        },
    }


def _enrich_operation(method: str, path: str, operation: JsonObject) -> None:
    scopes = required_scopes(operation)
    operation["x-required-scopes"] = scopes
    if scopes:
        note = "Required scope: " + ", ".join(f"`{s}`" for s in scopes) + "."
        description = operation.get("description", "")
        if note not in description:
            operation["description"] = f"{description}\n\n{note}".strip()
    responses: JsonObject = operation.setdefault("responses", {})
    for status in possible_problems(method, path, operation):
        declared = responses.get(str(status), {}).get("description")
        responses[str(status)] = _problem_response(status, None if status == 422 else declared)
    for code, response in responses.items():
        declared_only = "content" not in response
        if (
            code.isdigit()
            and int(code) >= 400
            and (code not in map(str, PROBLEMS) or declared_only)
        ):
            responses[code] = _problem_response(int(code), response.get("description"))
    api = path.startswith("/api/")
    for code, response in responses.items():
        headers = response.setdefault("headers", {})
        headers.setdefault("X-Request-ID", {"$ref": "#/components/headers/X-Request-ID"})
        if api and operation.get("security"):
            for name in RATE_LIMIT_HEADERS:
                headers.setdefault(name, {"$ref": f"#/components/headers/{name}"})
        if code == "429":
            headers["Retry-After"] = {"$ref": "#/components/headers/Retry-After"}
        if operation.get("deprecated"):
            for name in DEPRECATION_HEADERS:
                headers.setdefault(name, {"$ref": f"#/components/headers/{name}"})
    _add_examples(method, path, operation)
    operation["x-codeSamples"] = code_samples(method, path, operation)


def _add_examples(method: str, path: str, operation: JsonObject) -> None:
    table = SEED_EXAMPLES.get((method, path))
    if table is None:
        return
    for part, examples in table.items():
        rendered = {
            name: {
                "summary": f"{name.replace('_', ' ').capitalize()} (partner contract example)",
                "value": seed_example(*source),
            }
            for name, source in examples.items()
        }
        if part == "request":
            media = operation["requestBody"]["content"]["application/json"]
        else:
            media = (
                operation["responses"][part]
                .setdefault("content", {})
                .setdefault("application/json", {})
            )
        media["examples"] = rendered


def _drop_unreferenced(doc: JsonObject, names: tuple[str, ...]) -> None:
    """FastAPI's own 422 schemas, once every 422 answers with a Problem instead."""
    schemas = doc.get("components", {}).get("schemas", {})
    for name in names:
        rest = {
            **doc,
            "components": {
                **doc["components"],
                "schemas": {k: v for k, v in schemas.items() if k != name},
            },
        }
        if f'"#/components/schemas/{name}"' not in json.dumps(rest):
            schemas.pop(name, None)
