"""The Markdown guides and `/llms.txt`: complete, linked, and their code samples work."""

import ast
import hashlib
import hmac
import re
import time
from pathlib import Path
from typing import Any

import pytest

from dossier.gateway.app import create_app
from dossier.gateway.docs.pages import (
    OPTIONAL,
    all_pages,
    find_page,
    render_llms_full_txt,
    render_llms_txt,
    render_page,
)

REPO = Path(__file__).resolve().parents[3]
GATEWAY_SRC = REPO / "services" / "gateway" / "src"
#: Slugs chosen by the generic HTTP-error handler in problems.py, not by a ProblemError call.
HANDLER_SLUGS = {"method-not-allowed", "http-error"}
EXPECTED_PAGES = {
    "quickstart",
    "authentication-and-scopes",
    "analyses",
    "webhooks",
    "errors",
    "rate-limits",
    "idempotency",
    "usage-and-billing",
    "sandbox",
    "privacy-and-erasure",
    "events",
}


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return create_app().openapi()


def raised_slugs() -> set[str]:
    """Every literal slug passed to `ProblemError(status, slug, …)` in the gateway's code."""
    slugs = set()
    for path in GATEWAY_SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            if name != "ProblemError":
                continue
            arg = node.args[1] if len(node.args) > 1 else None
            arg = next((k.value for k in node.keywords if k.arg == "slug"), arg)
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                slugs.add(arg.value)
    return slugs


def test_the_guides_an_integration_needs_are_all_there() -> None:
    assert {p.name for p in all_pages()} >= EXPECTED_PAGES


def test_sandbox_guide_is_the_repository_one() -> None:
    """docs/sandbox.md is written beside the sandbox; the gateway ships a copy in its wheel."""
    page = find_page("sandbox")
    assert page is not None

    assert page.markdown == (REPO / "docs" / "sandbox.md").read_text(encoding="utf-8"), (
        "copy docs/sandbox.md to services/gateway/src/dossier/gateway/docs/pages/"
    )


def test_every_page_has_a_title_and_a_summary() -> None:
    for page in all_pages():
        assert page.markdown.startswith("# "), page.name
        assert page.summary.endswith("."), page.name


def test_the_slug_scan_finds_the_known_problems() -> None:
    assert {"unauthorized", "insufficient-scope", "validation-error", "not-found"} <= raised_slugs()


def test_every_problem_slug_raised_by_the_gateway_is_documented() -> None:
    errors = find_page("errors")
    assert errors is not None
    documented = set(re.findall(r"\| `([a-z0-9-]+)` \|", errors.markdown))

    assert (raised_slugs() | HANDLER_SLUGS) - documented == set()


def test_links_between_pages_point_at_existing_pages() -> None:
    names = {p.name for p in all_pages()}
    for page in all_pages():
        for target in re.findall(r"\]\(([a-z0-9-]+)\.md(?:#[^)]*)?\)", page.markdown):
            assert target in names, f"{page.name} links to missing {target}.md"


def test_llms_txt_follows_the_llmstxt_format() -> None:
    text = render_llms_txt("https://api.example.com/")
    lines = text.splitlines()

    assert lines[0].startswith("# ")
    assert next(ln for ln in lines[1:] if ln.strip()).startswith("> ")
    assert [ln for ln in lines if ln.startswith("## ")][-1] == "## Optional"


def test_llms_txt_links_every_page_and_the_machine_readable_documents() -> None:
    text = render_llms_txt("https://api.example.com")

    for page in all_pages():
        assert f"(https://api.example.com/docs/{page.name}.md)" in text
    for doc in ("openapi.json", "asyncapi.json", "llms-full.txt"):
        assert f"(https://api.example.com/{doc})" in text


def test_optional_pages_are_listed_only_under_optional() -> None:
    text = render_llms_txt("https://x")
    before, after = text.split("## Optional")

    for name in OPTIONAL:
        assert f"/docs/{name}.md" not in before
        assert f"/docs/{name}.md" in after


def test_scopes_table_lists_every_operation_with_its_scope(spec: dict[str, Any]) -> None:
    page = find_page("authentication-and-scopes")
    assert page is not None

    markdown = render_page(page, spec)

    assert "<!--" not in markdown
    assert "| `POST /api/v1/analyses` | `analyses:write` |" in markdown
    for path, item in spec["paths"].items():
        for method in item:
            assert f"`{method.upper()} {path}`" in markdown


def test_llms_full_txt_holds_every_page(spec: dict[str, Any]) -> None:
    text = render_llms_full_txt("https://x", spec)

    for page in all_pages():
        assert page.markdown.splitlines()[0] in text


def _python_sample(page_name: str) -> str:
    page = find_page(page_name)
    assert page is not None
    blocks = re.findall(r"```python\n(.*?)```", page.markdown, flags=re.DOTALL)
    assert blocks, f"no python sample in {page_name}"
    return "\n\n".join(blocks)  # every block: later ones may build on earlier ones


def _sign(secret: str, t: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={t},v1={digest}"


def test_webhook_verification_sample_accepts_a_genuine_signature() -> None:
    namespace: dict[str, Any] = {}
    exec(_python_sample("webhooks"), namespace)
    body = b'{"id": "evt_1", "type": "analysis.completed"}'

    assert namespace["verify"]("whsec_abc", _sign("whsec_abc", int(time.time()), body), body)


def test_webhook_verification_sample_rejects_a_tampered_body() -> None:
    namespace: dict[str, Any] = {}
    exec(_python_sample("webhooks"), namespace)
    header = _sign("whsec_abc", int(time.time()), b'{"id": "evt_1"}')

    assert not namespace["verify"]("whsec_abc", header, b'{"id": "evt_2"}')


def test_webhook_verification_sample_rejects_an_old_timestamp() -> None:
    namespace: dict[str, Any] = {}
    exec(_python_sample("webhooks"), namespace)
    body = b"{}"

    assert not namespace["verify"](
        "whsec_abc", _sign("whsec_abc", int(time.time()) - 3600, body), body
    )
