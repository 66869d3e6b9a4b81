"""Report links that last: the PDF with the API key (no expiry), and `metadata.report_url`,
a signed, expiring link to the report as one printable HTML page that runs and loads nothing."""

import re
import secrets
from collections.abc import AsyncIterator
from html.parser import HTMLParser
from typing import Any

import httpx
import pytest
import pytest_asyncio

from dossier.contracts.enums import Language
from dossier.devstack.stack import LocalStack
from dossier.gateway.settings import GatewaySettings
from dossier.reporter.domain.catalogue import phrasebook
from dossier.runtime.pdf_links import signed_pdf_url, signed_report_url
from tests.e2e.conftest import Providers, create_partner
from tests.e2e.helpers import analysis_body, gateway_environment, wait_terminal

HOSTILE_NAME = '<script>alert("x")</script>\'"'


def signing_key(stack: LocalStack) -> bytes:
    """The running gateway's URL-signing key (its settings, from its environment)."""
    with gateway_environment(stack):
        return GatewaySettings().url_signing_key.get_secret_value().encode()


async def completed(api: httpx.AsyncClient, **body: Any) -> dict[str, Any]:
    created = await api.post("/api/v1/analyses", json=analysis_body(cv=None, **body))
    assert created.status_code == 202, created.text
    done = await wait_terminal(api, created.json()["id"])
    assert done["status"] == "completed", done.get("error")
    return done


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def report(gateway_url: str, partner: dict[str, str]) -> AsyncIterator[dict[str, Any]]:
    """One completed English analysis for the checks that only read it."""
    async with httpx.AsyncClient(
        base_url=gateway_url, headers={"X-API-Key": partner["api_key"]}, timeout=30
    ) as api:
        yield await completed(api)


class Page(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.chunks: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.chunks).split())


def plain(value: str) -> str:
    return " ".join(value.split())


# --- the PDF with the API key ----------------------------------------------------------------


async def test_report_pdf_with_the_key_works_after_the_signed_link_expired(
    api: httpx.AsyncClient, stack: LocalStack, report: dict[str, Any]
) -> None:
    analysis_id = report["id"]
    expired = signed_pdf_url(
        stack.config.gateway_url, signing_key(stack), analysis_id, ttl_seconds=-60
    )
    fresh = httpx.get(report["metadata"]["pdf_download_url"], timeout=10)

    assert httpx.get(expired, timeout=10).status_code == 403
    response = await api.get(f"/api/v1/analyses/{analysis_id}/report.pdf")

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == (
        f'attachment; filename="dossier-{analysis_id}.pdf"'
    )
    assert response.content.startswith(b"%PDF-")
    assert response.content == fresh.content
    assert re.fullmatch(r'"[0-9a-f]{32}"', response.headers["etag"])


async def test_report_pdf_answers_304_to_its_etag(
    api: httpx.AsyncClient, report: dict[str, Any]
) -> None:
    path = f"/api/v1/analyses/{report['id']}/report.pdf"
    first = await api.get(path)

    again = await api.get(path, headers={"If-None-Match": first.headers["etag"]})
    other = await api.get(path, headers={"If-None-Match": '"0000"'})

    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == first.headers["etag"]
    assert other.status_code == 200
    assert other.content == first.content


async def test_report_pdf_is_404_for_another_partner_the_sandbox_and_unknown_ids(
    stack: LocalStack, gateway_url: str, partner: dict[str, str], report: dict[str, Any]
) -> None:
    other = create_partner(stack, f"Report links other {secrets.token_hex(3)}")
    path = f"/api/v1/analyses/{report['id']}/report.pdf"
    for key in (other["api_key"], partner["test_api_key"]):
        response = httpx.get(gateway_url + path, headers={"X-API-Key": key}, timeout=10)
        assert response.status_code == 404, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert report["id"] not in response.text.replace(path, "")
    unknown = httpx.get(
        f"{gateway_url}/api/v1/analyses/an_{secrets.token_hex(8)}/report.pdf",
        headers={"X-API-Key": partner["api_key"]},
        timeout=10,
    )
    assert unknown.status_code == 404
    anonymous = httpx.get(gateway_url + path, timeout=10)
    assert anonymous.status_code == 401


async def test_report_pdf_of_a_running_analysis_is_409_not_ready(
    api: httpx.AsyncClient, providers: Providers
) -> None:
    providers.control(delay=2.0)
    try:
        created = await api.post("/api/v1/analyses", json=analysis_body(cv=None))
        analysis_id = created.json()["id"]
        early = await api.get(f"/api/v1/analyses/{analysis_id}/report.pdf")
    finally:
        providers.control(delay=0)

    assert early.status_code == 409, early.text
    assert early.headers["content-type"].startswith("application/problem+json")
    assert early.json()["type"].endswith("/report-not-ready")
    assert early.headers["retry-after"] == "10"
    assert (await wait_terminal(api, analysis_id))["status"] == "completed"
    later = await api.get(f"/api/v1/analyses/{analysis_id}/report.pdf")
    assert later.status_code == 200
    assert later.content.startswith(b"%PDF-")


async def test_report_pdf_of_a_canceled_analysis_is_404_no_report(
    api: httpx.AsyncClient, providers: Providers
) -> None:
    providers.control(delay=2.0)
    try:
        created = await api.post("/api/v1/analyses", json=analysis_body(cv=None))
        analysis_id = created.json()["id"]
        canceled = await api.delete(f"/api/v1/analyses/{analysis_id}")
    finally:
        providers.control(delay=0)
    assert canceled.json()["status"] == "canceled"

    response = await api.get(f"/api/v1/analyses/{analysis_id}/report.pdf")

    assert response.status_code == 404
    assert response.json()["type"].endswith("/no-report")


# --- the HTML page behind report_url ----------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "fr"])
async def test_report_url_opens_the_report_as_a_safe_printable_page_in_its_language(
    api: httpx.AsyncClient, language: str
) -> None:
    done = await completed(api, language=language, first_name=HOSTILE_NAME)
    url = done["metadata"]["report_url"]
    assert url.startswith("http")
    assert "/html?" in url

    response = httpx.get(url, timeout=10)

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    csp = response.headers["content-security-policy"]
    assert "default-src 'none'" in csp
    assert re.search(r"style-src 'sha256-[A-Za-z0-9+/=]+'", csp)
    assert "script-src" not in csp  # falls back to default-src 'none'
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    html = response.text
    page = Page(html)
    assert next(a for tag, a in page.elements if tag == "html")["lang"] == language
    assert "<script" not in html.lower()
    assert not {"script", "link", "img", "iframe", "base", "form"} & {t for t, _ in page.elements}
    assert not [a for _, attrs in page.elements for a in attrs if a in {"src", "srcset"}]
    assert "@import" not in html
    assert "url(" not in html
    assert all(
        re.match(r"https?://", attrs["href"] or "") for tag, attrs in page.elements if tag == "a"
    )
    assert "@media print" in html
    # The candidate's name (partner input) is text, not markup.
    assert f"{HOSTILE_NAME} Doe" in page.text
    # The same content and language as the PDF: both are made from this report.
    book = phrasebook(Language(language))
    assert book.pdf_title in page.text
    pdf = httpx.get(done["metadata"]["pdf_download_url"], timeout=10).content
    assert f"{book.pdf_title} — ".encode() in pdf  # the PDF's title, in the same language
    found = done["report"]
    for name in ("summary", "what_to_validate", "strengths", "interview_questions"):
        assert book.pdf_labels[name] in page.text
    for text in [
        found["summary"],
        *found["strengths"],
        *found["risks"],
        *found["whatToValidate"],
        *found["interviewQuestions"],
        *(s["statement"] for s in done["signals"]),
    ]:
        assert plain(text) in page.text, text
    assert book.decision_labels[found["recommendation"]["decision"]] in page.text


async def test_report_url_refuses_tampered_expired_and_pdf_signatures(
    stack: LocalStack, report: dict[str, Any]
) -> None:
    page = httpx.URL(report["metadata"]["report_url"])
    pdf = httpx.URL(report["metadata"]["pdf_download_url"])
    key = signing_key(stack)
    expired = signed_report_url(stack.config.gateway_url, key, report["id"], ttl_seconds=-60)
    sig = page.params["sig"]
    tampered = page.copy_set_param("sig", ("A" if sig[0] != "A" else "B") + sig[1:])
    later = page.copy_set_param("expires", str(int(page.params["expires"]) + 60))
    pdf_sig_on_page = pdf.copy_with(path=page.path)
    page_sig_on_pdf = page.copy_with(path=pdf.path)

    assert httpx.get(page, timeout=10).status_code == 200
    for refused in (expired, tampered, later, pdf_sig_on_page, page_sig_on_pdf):
        response = httpx.get(refused, timeout=10)
        assert response.status_code == 403, refused
        assert response.json()["type"].endswith("/invalid-signature")


async def test_the_analysis_etag_ignores_the_freshly_signed_report_url(
    api: httpx.AsyncClient, report: dict[str, Any]
) -> None:
    first = await api.get(f"/api/v1/analyses/{report['id']}")

    again = await api.get(
        f"/api/v1/analyses/{report['id']}", headers={"If-None-Match": first.headers["etag"]}
    )

    assert first.json()["metadata"]["report_url"]
    assert again.status_code == 304
