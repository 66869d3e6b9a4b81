"""Legacy parity: the PDF link whenever the report exists, and the deprecation headers.

Every legacy answer (success or problem) says the API is deprecated (RFC 9745
`Deprecation: @<unix seconds>`), when it ends (RFC 8594 `Sunset: <HTTP-date>`) and
where the way out is described (`Link: </docs/migrating-from-legacy.md>;
rel="deprecation"`). v1 answers carry none of them.
"""

import re
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import httpx

from tests.e2e.conftest import eventually
from tests.e2e.test_legacy import LEGACY, legacy_body

GUIDE = "/docs/migrating-from-legacy.md"


def assert_deprecated(response: httpx.Response) -> None:
    deprecation = response.headers.get("Deprecation", "")
    assert re.fullmatch(r"@\d+", deprecation), deprecation
    deprecated_at = datetime.fromtimestamp(int(deprecation[1:]), UTC)
    sunset_at = parsedate_to_datetime(response.headers["Sunset"])  # an HTTP-date, in GMT
    assert response.headers["Sunset"].endswith(" GMT")
    assert sunset_at.tzinfo is not None
    assert sunset_at - deprecated_at >= timedelta(days=180)  # six months' notice, at least
    links = response.headers["Link"]
    assert f'<{GUIDE}>; rel="deprecation"' in links
    assert f'<{GUIDE}>; rel="sunset"' in links


def legacy_client(gateway_url: str, key: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=gateway_url, headers={"X-Partner-Key": key}, timeout=60)


async def test_the_pdf_link_is_filled_once_the_report_exists_and_opens_the_pdf(
    gateway_url: str, partner: dict[str, str]
) -> None:
    body = legacy_body(partner["platform_id"])
    async with legacy_client(gateway_url, partner["partner_key"]) as legacy:
        created = await legacy.post(LEGACY, json=body)
        report_id = created.json()["report_id"]

        async def generated() -> dict[str, object] | None:
            fetched = (await legacy.get(f"{LEGACY}/{report_id}")).json()
            return fetched if fetched["status"] == "generated" else None

        fetched = await eventually(generated, timeout=90)
        reused = await legacy.post(LEGACY, json=body)
        async with httpx.AsyncClient() as browser:
            pdf = await browser.get(fetched["report"]["pdf_download_url"])  # type: ignore[index]
            page = await browser.get(fetched["report"]["report_url"])  # type: ignore[index]

    assert created.status_code == 200, created.text
    if created.json()["status"] == "generated":
        assert created.json()["report"]["pdf_download_url"]
    url = fetched["report"]["pdf_download_url"]  # type: ignore[index]
    assert f"/api/v1/reports/{report_id}/pdf?expires=" in url
    assert "&sig=" in url
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert f"/api/v1/reports/{report_id}/html?expires=" in fetched["report"]["report_url"]  # type: ignore[index]
    assert reused.json()["status"] == "existing"
    assert reused.json()["report"]["pdf_download_url"]
    assert reused.json()["report"]["report_url"]


async def test_legacy_answers_carry_deprecation_sunset_and_link_and_v1_answers_do_not(
    gateway_url: str, partner: dict[str, str], api: httpx.AsyncClient
) -> None:
    async with legacy_client(gateway_url, partner["partner_key"]) as legacy:
        created = await legacy.post(LEGACY, json=legacy_body(partner["platform_id"]))
        fetched = await legacy.get(f"{LEGACY}/{created.json()['report_id']}")
        missing = await legacy.get(f"{LEGACY}/rpt_does_not_exist")
        invalid = await legacy.post(LEGACY, json={"partner_platform_id": partner["platform_id"]})
    async with httpx.AsyncClient(base_url=gateway_url) as anonymous:
        unauthorized = await anonymous.get(f"{LEGACY}/whatever")
        guide = await anonymous.get(GUIDE)
    v1 = await api.get("/api/v1/keys")

    assert [r.status_code for r in (created, fetched, missing, invalid, unauthorized)] == [
        200,
        200,
        404,
        422,
        401,
    ]
    for response in (created, fetched, missing, invalid, unauthorized):
        assert_deprecated(response)
    assert guide.status_code == 200
    assert guide.headers["content-type"].startswith("text/markdown")
    assert v1.status_code == 200
    assert "Deprecation" not in v1.headers
    assert "Sunset" not in v1.headers


async def test_openapi_marks_the_legacy_operations_deprecated_with_their_headers(
    api: httpx.AsyncClient,
) -> None:
    spec = (await api.get("/openapi.json")).json()
    legacy_ops = [
        op
        for path, item in spec["paths"].items()
        if path.startswith("/api/partner/")
        for op in item.values()
    ]
    v1_ops = [
        op
        for path, item in spec["paths"].items()
        if path.startswith("/api/v1/")
        for op in item.values()
    ]

    assert legacy_ops
    for op in legacy_ops:
        assert op["deprecated"] is True
        assert {"Deprecation", "Sunset", "Link"} <= set(op["responses"]["200"]["headers"])
    assert not [op["operationId"] for op in v1_ops if op.get("deprecated")]
