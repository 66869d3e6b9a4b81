"""The developer portal over HTTP, from the running gateway: every page renders with its
security headers, unknown pages and path tricks are 404 problems, and the operators' bus
view takes the operator token only — never a partner key."""

import base64

import httpx
import pytest

from dossier.gateway.docs.pages import all_pages
from tests.e2e.conftest import E2E_OPERATOR_TOKEN

PROBLEM_JSON = "application/problem+json"


def get(gateway_url: str, path: str, **headers: str) -> httpx.Response:
    return httpx.get(f"{gateway_url}{path}", headers=headers, timeout=10)


@pytest.mark.parametrize("name", [p.name for p in all_pages()])
def test_every_guide_renders_as_html(gateway_url: str, name: str) -> None:
    response = get(gateway_url, f"/docs/{name}")

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["content-security-policy"].startswith("default-src 'self'")
    assert '<html lang="en">' in response.text
    assert f'href="/docs/{name}.md"' in response.text


def test_the_markdown_stays_at_dot_md(gateway_url: str) -> None:
    response = get(gateway_url, "/docs/quickstart.md")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/markdown")


def test_the_reference_and_its_files_are_served_by_the_gateway(gateway_url: str) -> None:
    page = get(gateway_url, "/docs")
    bundle = get(gateway_url, "/docs/assets/redoc.standalone.js")
    css = get(gateway_url, "/docs/assets/portal.css")

    assert page.status_code == 200
    assert page.headers["content-security-policy"].startswith("default-src 'self'")
    assert "https://" not in page.text
    assert bundle.status_code == 200
    assert bundle.headers["content-type"].startswith("text/javascript")
    assert css.status_code == 200
    assert css.headers["content-type"].startswith("text/css")


def test_the_old_redoc_address_leads_to_the_reference(gateway_url: str) -> None:
    response = get(gateway_url, "/redoc")

    assert response.status_code == 308
    assert response.headers["location"] == "/docs"


@pytest.mark.parametrize(
    "path",
    [
        "/docs/no-such-guide",
        "/docs/assets/no-such-file.js",
        "/docs/..%2F..%2Fpyproject.toml",
        "/docs/%2e%2e",
        "/docs/assets/..%2Fpages%2Fquickstart.md",
        "/docs/assets/%2e%2e%2fportal.py",
        "/docs/QUICKSTART",
    ],
)
def test_unknown_pages_and_traversal_are_404_problems(gateway_url: str, path: str) -> None:
    shipped = get(gateway_url, "/docs/quickstart")  # the same route serves the shipped pages
    response = get(gateway_url, path)

    assert shipped.status_code == 200
    assert response.status_code == 404, response.text
    assert response.headers["content-type"] == PROBLEM_JSON
    assert "[project]" not in response.text


def test_the_bus_view_opens_to_the_operator_token(gateway_url: str) -> None:
    bearer = get(gateway_url, "/asyncapi", Authorization=f"Bearer {E2E_OPERATOR_TOKEN}")
    basic = base64.b64encode(f"operator:{E2E_OPERATOR_TOKEN}".encode()).decode()
    browser = get(gateway_url, "/asyncapi", Authorization=f"Basic {basic}")

    assert bearer.status_code == 200
    assert "analysis.requested" in bearer.text
    assert bearer.headers["content-security-policy"].startswith("default-src 'self'")
    assert bearer.headers["cache-control"] == "no-store"
    assert browser.status_code == 200


def test_the_bus_view_refuses_a_partner_key(gateway_url: str, partner: dict[str, str]) -> None:
    as_header = get(gateway_url, "/asyncapi", **{"X-API-Key": partner["api_key"]})
    as_bearer = get(gateway_url, "/asyncapi", Authorization=f"Bearer {partner['api_key']}")
    anonymous = get(gateway_url, "/asyncapi")

    for response in (as_header, as_bearer, anonymous):
        assert response.status_code == 401, response.text
        assert response.headers["content-type"] == PROBLEM_JSON
        assert response.headers["www-authenticate"].startswith("Basic")
        assert "analysis.requested" not in response.text
