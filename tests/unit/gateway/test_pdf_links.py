import time

import httpx

from dossier.gateway.reports.links import (
    LinkKind,
    signature_is_valid,
    signed_pdf_url,
    signed_report_url,
)

KEY = b"k" * 32


def _parts(url: str) -> tuple[str, int, str]:
    parsed = httpx.URL(url)
    return parsed.path.split("/")[-2], int(parsed.params["expires"]), parsed.params["sig"]


def test_signed_link_is_absolute_and_valid() -> None:
    url = signed_pdf_url("https://api.example.com/", KEY, "an_1", 60)

    report_id, expires, sig = _parts(url)

    assert url.startswith("https://api.example.com/api/v1/reports/an_1/pdf?")
    assert signature_is_valid(KEY, report_id, expires, sig)


def test_link_for_another_report_or_key_or_expiry_is_invalid() -> None:
    report_id, expires, sig = _parts(signed_pdf_url("http://h", KEY, "an_1", 60))

    assert not signature_is_valid(KEY, "an_2", expires, sig)
    assert not signature_is_valid(b"x" * 32, report_id, expires, sig)
    assert not signature_is_valid(KEY, report_id, expires + 1, sig)


def test_expired_link_is_invalid() -> None:
    report_id, expires, sig = _parts(signed_pdf_url("http://h", KEY, "an_1", -1))

    assert expires < time.time()
    assert not signature_is_valid(KEY, report_id, expires, sig)


def test_report_page_link_is_signed_for_the_html_path() -> None:
    url = signed_report_url("https://api.example.com/", KEY, "an_1", 60)

    report_id, expires, sig = _parts(url)

    assert url.startswith("https://api.example.com/api/v1/reports/an_1/html?")
    assert signature_is_valid(KEY, report_id, expires, sig, LinkKind.HTML)


def test_a_pdf_signature_never_opens_the_page_and_the_reverse() -> None:
    pdf = _parts(signed_pdf_url("http://h", KEY, "an_1", 60))
    page = _parts(signed_report_url("http://h", KEY, "an_1", 60))

    assert not signature_is_valid(KEY, *pdf, LinkKind.HTML)
    assert not signature_is_valid(KEY, *page, LinkKind.PDF)
    assert not signature_is_valid(KEY, *page)


def test_expired_page_link_is_invalid() -> None:
    report_id, expires, sig = _parts(signed_report_url("http://h", KEY, "an_1", -1))

    assert not signature_is_valid(KEY, report_id, expires, sig, LinkKind.HTML)
