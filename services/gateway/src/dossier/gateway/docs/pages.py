"""The Markdown guides (`pages/*.md`, shipped in the wheel) and the `/llms.txt` index.

Each page starts with an H1 title and a one-line blockquote summary; the index
(llmstxt.org format: H1, blockquote, sections of links) is built from those, so
a page added to `pages/` is listed without touching code.
"""

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

PAGES_DIR = Path(__file__).parent / "pages"
ASYNCAPI_FILE = Path(__file__).parent / "data" / "asyncapi.json"
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
SCOPES_MARKER = "<!-- operations-by-scope -->"

#: Pages in reading order; any other page in `pages/` follows, alphabetically.
READING_ORDER = (
    "quickstart",
    "authentication-and-scopes",
    "analyses",
    "reports",
    "errors",
    "rate-limits",
    "idempotency",
    "webhooks",
    "usage-and-billing",
    "sandbox",
    "privacy-and-erasure",
    "versioning",
    "changelog",
    "events",
    "legacy",
    "migrating-from-legacy",
)
#: Pages an agent integrating the v1 API may skip (llms.txt "Optional" section).
OPTIONAL = frozenset({"events", "legacy", "migrating-from-legacy"})


@dataclass(frozen=True)
class Page:
    name: str
    title: str
    summary: str
    markdown: str


def _parse(name: str, markdown: str) -> Page:
    """Title: the H1. Summary: the first blockquote, else the first paragraph's first sentence."""
    lines = markdown.splitlines()
    title = next((ln[2:].strip() for ln in lines if ln.startswith("# ")), name)
    summary = next((ln[1:].strip() for ln in lines if ln.startswith(">")), "")
    if not summary:
        paragraph = " ".join(markdown.split("\n\n", 2)[1].split()) if "\n\n" in markdown else ""
        summary = paragraph.split(". ")[0].rstrip(".") + "." if paragraph else ""
    return Page(name=name, title=title, summary=summary, markdown=markdown)


@cache
def all_pages() -> tuple[Page, ...]:
    """Every page, in reading order."""
    found = {p.stem: p for p in PAGES_DIR.glob("*.md") if _NAME.match(p.stem)}
    order = [n for n in READING_ORDER if n in found] + sorted(set(found) - set(READING_ORDER))
    return tuple(_parse(n, found[n].read_text(encoding="utf-8")) for n in order)


def find_page(name: str) -> Page | None:
    return next((p for p in all_pages() if p.name == name), None)


def operations_by_scope(openapi: dict[str, Any]) -> str:
    """A Markdown table of every operation and the scope it needs, from the OpenAPI document."""
    rows = []
    for path, item in openapi.get("paths", {}).items():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            security = operation.get("security") or []
            schemes = sorted({name for requirement in security for name in requirement})
            scopes = operation.get("x-required-scopes") or []
            if scopes:
                needs = ", ".join(f"`{s}`" for s in scopes)
            elif schemes:
                needs = "any valid key (" + ", ".join(schemes) + ")"
            else:
                needs = "no key"
            rows.append(f"| `{method.upper()} {path}` | {needs} |")
    return "\n".join(["| operation | needs |", "| --- | --- |", *rows])


def render_page(page: Page, openapi: dict[str, Any]) -> str:
    """The page, with generated parts filled in from this deployment's OpenAPI document."""
    if SCOPES_MARKER not in page.markdown:
        return page.markdown
    return page.markdown.replace(SCOPES_MARKER, operations_by_scope(openapi))


def render_llms_txt(base_url: str) -> str:
    """The llmstxt.org index: what Dossier is, how to behave, and where every page is."""
    base = base_url.rstrip("/")
    lines = [
        "# Dossier — Candidate Intelligence API",
        "",
        "> Send a candidate (name, company, role, location, optional CV, LinkedIn URL) with your "
        "own client-company id and candidate id; Dossier resolves who they are, gathers evidence "
        "beyond the CV and writes a decision-support report with cited evidence, in the "
        "recruiter's language, with a PDF. Reports are reused for free when the same client asks "
        "again and billed once per new report.",
        "",
        "Instructions for agents integrating this API:",
        "",
        "- Authenticate every call with `X-API-Key: ats_live_…` or `Authorization: Bearer "
        "ats_live_…` (or `ats_test_…` for the sandbox: deterministic results, never billed). "
        "Each operation needs one scope; the OpenAPI document lists it in `security` and "
        "`x-required-scopes`. `GET /api/v1/me` tells you the key's partner, environment, "
        "scopes, rate limits and credits.",
        "- Create with `POST /api/v1/analyses` (send an `Idempotency-Key`), then follow "
        "`GET /api/v1/analyses/{id}` honouring `Retry-After` (send `If-None-Match` with the last "
        "`ETag`), or stream `GET /api/v1/analyses/{id}/events`, or register a webhook. Stop at "
        "`completed`, `failed` or `canceled`.",
        "- Send the CV as text in `candidate.cv`, or as the uploaded file in `candidate.cv_file` "
        "(`filename` + `content_base64`; PDF, DOCX, ODT or TXT, at most 8 MiB): see "
        f"[CV files]({base}/docs/analyses.md#cv-files).",
        "- Verify webhook deliveries with any Standard Webhooks library and the endpoint's "
        "`whsec_…` secret (`webhook-id`, `webhook-timestamp`, `webhook-signature`); deduplicate "
        "on `webhook-id`. `POST /api/v1/webhooks/{id}/test` sends a signed `webhook.test` event.",
        "- To know whether a report exists for your own ids without a billed POST, call "
        "`GET /api/v1/analyses?client_id=…&candidate_id=…` (newest first; follow `next_cursor` "
        'until null). For a new report despite reuse, POST with `"refresh": true` or '
        '`"max_age_days": N`; `reused` in the answer says whether it is a new (billed) run.',
        "- Every error is `application/problem+json`; switch on `type`, never on `title` or "
        "`detail`. Retry 429 and 5xx after `Retry-After`; never retry other 4xx unchanged.",
        "- Field names are exact: snake_case at the top level of the analysis, camelCase inside "
        "`quick_signal`, `signals` and `report`.",
        "- Generate clients from the OpenAPI document: `operationId`s are stable within v1 and "
        "changes are additive only; ignore fields you do not know. Do not build on the "
        "deprecated legacy API (`Deprecation`/`Sunset` headers).",
        "- A reviewer's verdict on a signal of a completed analysis: "
        "`POST /api/v1/analyses/{id}/feedback` (`not_this_person`, `incorrect`, `confirmed`); a "
        "dismissal rewrites the report for free and ends with an `analysis.updated` event "
        f"({base}/docs/analyses.md#feedback--post-apiv1analysesidfeedback).",
        "",
        "## Guides",
        "",
    ]
    pages = all_pages()
    lines += [
        f"- [{p.title}]({base}/docs/{p.name}.md): {p.summary}"
        for p in pages
        if p.name not in OPTIONAL
    ]
    lines += [
        "",
        "## Reference",
        "",
        f"- [OpenAPI 3.1]({base}/openapi.json): every operation, its scope, examples and "
        "problem responses",
        f"- [All guides in one file]({base}/llms-full.txt): the guides above, concatenated",
        f"- [AsyncAPI 3.0 of the event bus]({base}/asyncapi.json): internal Kafka topics and "
        "payloads",
        "",
        "## Optional",
        "",
    ]
    lines += [
        f"- [{p.title}]({base}/docs/{p.name}.md): {p.summary}" for p in pages if p.name in OPTIONAL
    ]
    return "\n".join(lines) + "\n"


def render_llms_full_txt(base_url: str, openapi: dict[str, Any]) -> str:
    """Every guide in one document, after the index."""
    parts = [render_llms_txt(base_url)] + [render_page(p, openapi) for p in all_pages()]
    return "\n\n---\n\n".join(part.strip() for part in parts) + "\n"
