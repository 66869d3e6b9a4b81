"""The developer portal without servers: code samples for every operation of the live
document, guides rendered safely, and the reference from the gateway's own files."""

import base64
from typing import Any

import pytest

from dossier.gateway.app import create_app
from dossier.gateway.docs.code_samples import SDK_CALLS
from dossier.gateway.docs.endpoints import presented_operator_token
from dossier.gateway.docs.pages import all_pages
from dossier.gateway.docs.portal import (
    asset,
    bus_page,
    markdown_to_html,
    render_guide,
    render_reference,
    slug,
)
from dossier.gateway.settings import GatewaySettings

METHODS = ("get", "put", "post", "delete", "patch")
LANGUAGES = {"curl", "Python", "TypeScript"}


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return create_app(GatewaySettings(deployment="development")).openapi()


def operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, op)
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if method in METHODS
    ]


def test_every_operation_has_curl_python_and_typescript_samples(spec: dict[str, Any]) -> None:
    missing = {
        op["operationId"]: sorted(LANGUAGES - {s["label"] for s in op.get("x-codeSamples", [])})
        for _, _, op in operations(spec)
        if not op.get("deprecated")
    }

    assert {name: langs for name, langs in missing.items() if langs} == {}


def test_deprecated_legacy_operations_have_curl_with_the_partner_key(spec: dict[str, Any]) -> None:
    legacy = [op for _, path, op in operations(spec) if path.startswith("/api/partner/")]

    assert legacy
    for op in legacy:
        (curl,) = op["x-codeSamples"]
        assert "X-Partner-Key" in curl["source"]


def test_sdk_samples_use_the_sdk_surface(spec: dict[str, Any]) -> None:
    create = spec["paths"]["/api/v1/analyses"]["post"]["x-codeSamples"]
    by_label = {s["label"]: s["source"] for s in create}

    assert "from dossier_client import Dossier" in by_label["Python"]
    assert "client.analyses.create(" in by_label["Python"]
    assert 'import { Dossier } from "@dossier/client"' in by_label["TypeScript"]
    assert "await dossier.analyses.create({" in by_label["TypeScript"]
    assert "Idempotency-Key" in by_label["curl"]


def test_every_sdk_sample_names_an_operation_of_the_surface(spec: dict[str, Any]) -> None:
    served = {op["operationId"] for _, _, op in operations(spec)}
    # createWidgetSession is being added by the widget work; every other call is served now.
    assert set(SDK_CALLS) - served <= {"createWidgetSession"}


def test_secured_curl_samples_send_the_key_as_bearer(spec: dict[str, Any]) -> None:
    for _, _, op in operations(spec):
        if op.get("security") and not op.get("deprecated"):
            curl = next(s["source"] for s in op["x-codeSamples"] if s["label"] == "curl")
            assert "Authorization: Bearer $DOSSIER_API_KEY" in curl, op["operationId"]


def test_raw_html_in_a_guide_is_escaped() -> None:
    html = markdown_to_html('# Hi\n\n<script>alert("x")</script>\n\n[x](javascript:alert(1))\n')

    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert 'href="javascript' not in html


def test_links_to_guides_point_to_their_html_pages() -> None:
    html = markdown_to_html("[a](webhooks.md) [b](/docs/analyses.md#cv-files) [c](/openapi.json)")

    assert 'href="/docs/webhooks"' in html
    assert 'href="/docs/analyses#cv-files"' in html
    assert 'href="/openapi.json"' in html


def test_heading_anchors_are_githubs() -> None:
    assert slug("Feedback — POST /api/v1/analyses/{id}/feedback") == (
        "feedback--post-apiv1analysesidfeedback"
    )
    assert '<h2 id="cv-files">' in markdown_to_html("## CV files")


def test_every_guide_renders_with_a_nav_to_every_other(spec: dict[str, Any]) -> None:
    pages = all_pages()
    for page in pages:
        html = render_guide(page, spec)
        assert '<html lang="en">' in html
        assert f'href="/docs/{page.name}" aria-current="page"' in html
        assert all(f'href="/docs/{other.name}"' in html for other in pages)


def test_the_reference_loads_only_the_gateways_own_files() -> None:
    html = render_reference()

    assert 'src="/docs/assets/redoc.standalone.js"' in html
    assert "http://" not in html
    assert "https://" not in html


def test_the_pinned_redoc_bundle_is_shipped() -> None:
    bundle = asset("redoc.standalone.js")

    assert bundle is not None
    assert len(bundle.content) > 500_000
    assert asset("../pages/quickstart.md") is None


def test_the_bus_page_lists_every_topic() -> None:
    html = bus_page()

    assert "analysis.requested" in html
    assert "AnalysisRequested" in html


@pytest.mark.parametrize(
    ("header", "token"),
    [
        ("Bearer s3cret", "s3cret"),
        ("Basic " + base64.b64encode(b"operator:s3cret").decode(), "s3cret"),
        ("Basic !!!", ""),
        ("ats_live_abc", ""),
        (None, ""),
    ],
)
def test_operator_token_from_bearer_or_basic(header: str | None, token: str) -> None:
    assert presented_operator_token(header) == token
