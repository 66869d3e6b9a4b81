"""The developer portal's HTML: the API reference, the guides and the operators' bus view.

Everything a page needs is served by the gateway itself (`/docs/assets/…`), so the portal
works in a private network without the internet: Redoc's standalone bundle comes pinned
from the `fastapi-offline` wheel (MIT), the guides are rendered here from their Markdown
with markdown-it-py (raw HTML in a guide is escaped, never passed through), and the bus
view is rendered on the server from the AsyncAPI document. No page has inline script,
so the guides can be served with `Content-Security-Policy: default-src 'self'`.
"""

import itertools
import json
import re
from dataclasses import dataclass
from functools import cache
from html import escape
from importlib.resources import files
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from dossier.gateway.docs.pages import ASYNCAPI_FILE, Page, all_pages, render_page

STATIC_DIR = Path(__file__).parent / "static"
ASSETS_PATH = "/docs/assets"

#: The guides' policy: nothing but the gateway's own files, no inline script or style.
GUIDE_CSP = "default-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
#: Redoc injects its styles (styled-components) and runs its search index in a blob: worker.
REFERENCE_CSP = (
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "worker-src 'self' blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)

_GUIDE_LINK = re.compile(r"^(?:/docs/)?([a-z0-9][a-z0-9-]{0,63})\.md(#.*)?$")
_NOT_SLUG = re.compile(r"[^\w\- ]")


@dataclass(frozen=True)
class Asset:
    media_type: str
    content: bytes


def _vendor(name: str) -> bytes:
    return files("fastapi_offline").joinpath("static", name).read_bytes()


@cache
def asset(name: str) -> Asset | None:
    """One of the portal's static files, by name (a fixed list: nothing else is served)."""
    if name == "redoc.standalone.js":
        return Asset("text/javascript; charset=utf-8", _vendor(name))
    if name == "favicon.png":
        return Asset("image/png", _vendor(name))
    own = {
        "portal.css": "text/css; charset=utf-8",
        "reference.js": "text/javascript; charset=utf-8",
    }
    if name in own:
        return Asset(own[name], (STATIC_DIR / name).read_bytes())
    return None


def slug(text: str) -> str:
    """GitHub's heading anchors (`Feedback — POST /x` → `feedback--post-x`), so the links
    in llms.txt and between guides land on the same headings as on GitHub."""
    return _NOT_SLUG.sub("", text.strip().lower()).replace(" ", "-")


def _anchor_headings(state: Any) -> None:
    tokens: list[Token] = state.tokens
    seen: dict[str, int] = {}
    for opening, inline in itertools.pairwise(tokens):
        if opening.type == "heading_open" and inline.type == "inline":
            base = slug(inline.content)
            count = seen.get(base, 0)
            seen[base] = count + 1
            opening.attrSet("id", base if count == 0 else f"{base}-{count}")


def _html_guide_links(state: Any) -> None:
    """`quickstart.md` and `/docs/quickstart.md#x` point to the HTML page in the portal."""
    for block in state.tokens:
        for token in block.children or ():
            if token.type == "link_open":
                match = _GUIDE_LINK.match(str(token.attrGet("href") or ""))
                if match:
                    token.attrSet("href", f"/docs/{match.group(1)}{match.group(2) or ''}")


@cache
def _markdown() -> MarkdownIt:
    # "html": False — a guide's raw HTML is shown as text, never run.
    md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
    md.core.ruler.push("heading_anchors", _anchor_headings)
    md.core.ruler.push("html_guide_links", _html_guide_links)
    return md


def markdown_to_html(markdown: str) -> str:
    return str(_markdown().render(markdown))


def _layout(title: str, nav: str, main: str, *, body_class: str = "") -> str:
    css = f"{ASSETS_PATH}/portal.css"
    klass = f' class="{body_class}"' if body_class else ""
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)} — Dossier developer portal</title>\n"
        f'<link rel="icon" href="{ASSETS_PATH}/favicon.png">\n'
        f'<link rel="stylesheet" href="{css}">\n</head>\n'
        f"<body{klass}>\n"
        '<header class="top"><a class="brand" href="/docs">Dossier developer portal</a>'
        '<span class="links"><a href="/docs">API reference</a>'
        '<a href="/docs/quickstart">Guides</a><a href="/openapi.json">OpenAPI</a>'
        '<a href="/llms.txt">llms.txt</a></span></header>\n'
        f"{nav}{main}</body>\n</html>\n"
    )


def guide_nav(current: str | None) -> str:
    """Every guide, in reading order, and the reference."""
    items = ['<li><a href="/docs">API reference</a></li>']
    for page in all_pages():
        here = ' aria-current="page"' if page.name == current else ""
        items.append(f'<li><a href="/docs/{page.name}"{here}>{escape(page.title)}</a></li>')
    return (
        '<nav class="guides" aria-label="Guides">\n<ul>\n' + "\n".join(items) + "\n</ul>\n</nav>\n"
    )


def render_guide(page: Page, openapi: dict[str, Any]) -> str:
    """A guide as an HTML page, with the portal's navigation."""
    body = markdown_to_html(render_page(page, openapi))
    main = (
        f'<main class="guide">\n{body}'
        f'<p class="source"><a href="/docs/{page.name}.md">This page as Markdown</a></p>\n'
        "</main>\n"
    )
    return _layout(page.title, guide_nav(page.name), main, body_class="with-nav")


def render_reference() -> str:
    """Redoc over `/openapi.json` (with the operations' code samples), from our own files."""
    main = (
        '<main id="reference" data-spec-url="/openapi.json">'
        "<noscript><p>The reference needs JavaScript; the document itself is "
        '<a href="/openapi.json">/openapi.json</a>.</p></noscript></main>\n'
        f'<script src="{ASSETS_PATH}/redoc.standalone.js"></script>\n'
        f'<script src="{ASSETS_PATH}/reference.js"></script>\n'
    )
    return _layout("API reference", "", main, body_class="reference")


# ------------------------------------------------------------------ the operators' bus view


def _resolve(document: dict[str, Any], node: Any) -> Any:
    """Follow a local `$ref` (`#/components/...`) once."""
    if isinstance(node, dict) and isinstance(node.get("$ref"), str):
        target: Any = document
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target.get(part, {}) if isinstance(target, dict) else {}
        return target
    return node


def _schema_table(document: dict[str, Any], schema: dict[str, Any]) -> str:
    schema = _resolve(document, schema)
    properties = schema.get("properties") or {}
    if not properties:
        return f"<pre>{escape(json.dumps(schema, indent=2, ensure_ascii=False))}</pre>"
    required = set(schema.get("required") or [])
    rows = []
    for name, declared in properties.items():
        prop = _resolve(document, declared)
        kind = prop.get("type") or " | ".join(
            str(_resolve(document, p).get("type") or _resolve(document, p).get("title") or "?")
            for p in prop.get("anyOf", [])
        )
        rows.append(
            f"<tr><td><code>{escape(name)}</code>{' *' if name in required else ''}</td>"
            f"<td>{escape(str(kind or prop.get('title', '')))}</td>"
            f"<td>{escape(str(prop.get('description', '')))}</td></tr>"
        )
    return (
        "<table><thead><tr><th>field</th><th>type</th><th>description</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def render_bus(document: dict[str, Any]) -> str:
    """The AsyncAPI document as one page: each topic, who sends and receives it, its payload.

    FastStream describes one channel per (service, topic) subscription and one per topic's
    publisher; they are grouped here by topic address."""
    channels = document.get("channels") or {}
    by_address: dict[str, list[str]] = {}
    for key, channel in channels.items():
        by_address.setdefault(str(channel.get("address") or key), []).append(key)
    operations: dict[str, list[str]] = {}
    for name, operation in (document.get("operations") or {}).items():
        channel_key = str(operation.get("channel", {}).get("$ref", "")).rsplit("/", 1)[-1]
        operations.setdefault(channel_key, []).append(f"{operation.get('action', '?')} {name}")
    sections, toc = [], []
    for address in sorted(by_address):
        anchor = "topic-" + slug(address.replace(".", "-"))
        toc.append(f'<li><a href="#{anchor}">{escape(address)}</a></li>')
        ops: list[str] = []
        payloads: dict[str, dict[str, Any]] = {}
        description = ""
        for key in by_address[address]:
            channel = channels[key]
            description = description or str(channel.get("description") or "")
            ops += operations.get(key, [])
            for message in (channel.get("messages") or {}).values():
                payload = _resolve(document, message).get("payload") or {}
                name = str(payload.get("$ref", "")).rsplit("/", 1)[-1] or "payload"
                payloads.setdefault(name, payload)
        schemas = "".join(
            f"<h3>{escape(name)}</h3>{_schema_table(document, payload)}"
            for name, payload in payloads.items()
        )
        items = "".join(f"<li><code>{escape(o)}</code></li>" for o in sorted(ops))
        sections.append(
            f'<section id="{anchor}"><h2><code>{escape(address)}</code></h2>'
            f'<p>{escape(description)}</p><ul class="operations">{items}</ul>{schemas}</section>'
        )
    info = document.get("info") or {}
    main = (
        '<main class="guide bus">\n'
        f"<h1>{escape(str(info.get('title', 'Event bus')))}</h1>\n"
        f"<p>AsyncAPI {escape(str(document.get('asyncapi', '')))}.</p>\n"
        f"{markdown_to_html(str(info.get('description', '')))}"
        '<p class="operator-note">Operators only: internal Kafka topics, not part of the '
        'partner API. The document itself: <a href="/asyncapi.json">/asyncapi.json</a>.</p>\n'
        f'<h2>Topics ({len(toc)})</h2><ul class="toc">{"".join(toc)}</ul>\n'
        + "\n".join(sections)
        + "\n</main>\n"
    )
    return _layout("Event bus (AsyncAPI)", "", main)


@cache
def bus_page() -> str:
    """The bus view of the AsyncAPI document this gateway serves at `/asyncapi.json`."""
    return render_bus(json.loads(ASYNCAPI_FILE.read_text(encoding="utf-8")))
