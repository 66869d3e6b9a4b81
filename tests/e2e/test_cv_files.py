"""`candidate.cv_file`: a CV sent as a PDF, DOCX, ODT or TXT file is read into text and
then treated exactly as a CV sent as text — its facts reach the report, the file and its
text never reach MongoDB, a log or Kafka in clear, and its data key is shredded. Files
that are not what they claim, damaged or hostile are a 422 naming the field, and change
nothing; the larger body this needs is allowed on the create routes only."""

import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from bson import json_util

from dossier.contracts.api import CV_FILE_MAX_BYTES
from dossier.contracts.enums import Language
from dossier.contracts.topics import ANALYSIS_REQUESTED
from dossier.devstack.stack import LocalStack
from dossier.identity.domain.messages import message
from tests.e2e.conftest import create_partner
from tests.e2e.helpers import SAMPLE_CV, analysis_body, records_on, wait_terminal
from tests.fixtures.cv_files import (
    b64,
    docx,
    docx_zip_bomb,
    odt,
    pdf_with_only_an_image,
    pdf_with_text,
    windows_executable,
)

MAKERS: dict[str, Callable[[str], bytes]] = {
    "pdf": pdf_with_text,
    "docx": docx,
    "odt": odt,
    "txt": str.encode,
}

#: Collections a refused request may still touch: its rate-limit slot and the key's
#: last use. Nothing else may hold the partner's id afterwards that did not before.
TOUCHED_BY_ANY_REQUEST = {"rate_limit_slots", "api_key_usage"}


def file_body(filename: str, data: bytes, **candidate: Any) -> dict[str, Any]:
    return analysis_body(
        cv=None, cv_file={"filename": filename, "content_base64": b64(data)}, **candidate
    )


def cv_checked(analysis: dict[str, Any]) -> list[dict[str, Any]]:
    """Identity's check of the request against the CV's current employer: made only when
    there are CV claims to check (sources' own `employment.current` signals are not it)."""
    return [
        s
        for s in analysis["signals"]
        if s.get("claim") == "employment.current" and s["sourceType"] in {"request", "cv"}
    ]


def cv_with(canary: str) -> str:
    return SAMPLE_CV + f"\nHobbies\nSailing, chess, and the secret word {canary}.\n"


async def assert_nowhere_at_rest(db: Any, stack: LocalStack, analysis_id: str, canary: str) -> None:
    for name in await db.list_collection_names():
        async for doc in db[name].find({}):
            assert canary not in json_util.dumps(doc), f"canary found in MongoDB collection {name}"
    for log in Path(stack.config.logs).glob("*.log"):
        assert canary not in log.read_text(errors="replace"), f"canary found in {log.name}"
    requested = await records_on(stack, ANALYSIS_REQUESTED, analysis_id)
    assert requested, "the test read the analysis.requested record"
    assert all(canary.encode() not in (r.value or b"") for r in requested)
    assert await db.cv_keys.find_one({"_id": analysis_id}) is None, "data key shredded"


@pytest.mark.parametrize("kind", list(MAKERS))
async def test_a_cv_file_is_read_like_cv_text_and_never_kept(
    api: httpx.AsyncClient, db: Any, stack: LocalStack, kind: str
) -> None:
    canary = f"CANARY{secrets.token_hex(8)}"
    data = MAKERS[kind](cv_with(canary))

    created = await api.post("/api/v1/analyses", json=file_body(f"john-doe-cv.{kind}", data))
    assert created.status_code == 202, created.text
    final = await wait_terminal(api, created.json()["id"])

    assert final["status"] == "completed", final.get("error")
    # A fact only the CV gives: its current employer, checked against the request's.
    from_cv = cv_checked(final)
    assert from_cv, [s["statement"] for s in final["signals"]]
    assert "Example Company" in from_cv[0]["statement"]
    await assert_nowhere_at_rest(db, stack, final["id"], canary)


async def test_the_same_cv_as_text_and_as_a_file_gives_the_same_cv_findings(
    api: httpx.AsyncClient,
) -> None:
    as_text = (await api.post("/api/v1/analyses", json=analysis_body(cv=SAMPLE_CV))).json()
    as_file = (
        await api.post("/api/v1/analyses", json=file_body("cv.pdf", pdf_with_text(SAMPLE_CV)))
    ).json()

    text_done = await wait_terminal(api, as_text["id"])
    file_done = await wait_terminal(api, as_file["id"])

    def cv_findings(analysis: dict[str, Any]) -> list[str]:
        return sorted(s["id"] for s in analysis["signals"] if s.get("claim"))

    assert cv_findings(text_done)
    assert cv_findings(file_done) == cv_findings(text_done)


async def test_a_pdf_without_a_text_layer_completes_and_the_report_says_so(
    api: httpx.AsyncClient,
) -> None:
    body = file_body("scan.pdf", pdf_with_only_an_image())
    body["language"] = "fr"

    created = await api.post("/api/v1/analyses", json=body)
    assert created.status_code == 202, created.text
    final = await wait_terminal(api, created.json()["id"])

    assert final["status"] == "completed", final.get("error")
    statements = [s["statement"] for s in final["signals"]]
    assert message("cv.without_text", Language.FR) in statements
    assert not cv_checked(final)
    assert final["report"] is not None


async def test_the_legacy_route_takes_a_cv_file_too(
    gateway_url: str, partner: dict[str, str], db: Any, stack: LocalStack
) -> None:
    canary = f"CANARY{secrets.token_hex(8)}"
    body = {
        "partner_platform_id": partner["platform_id"],
        "partner_company_id": f"client_{secrets.token_hex(4)}",
        "partner_candidate_id": f"cand_{secrets.token_hex(4)}",
        "candidate": {
            "full_name": "John Doe",
            "current_company": "Example Company",
            "cv_file": {"filename": "cv.docx", "content_base64": b64(docx(cv_with(canary)))},
        },
    }
    async with httpx.AsyncClient(
        base_url=gateway_url, headers={"X-Partner-Key": partner["partner_key"]}, timeout=60
    ) as legacy:
        response = await legacy.post("/api/partner/v1/background-check", json=body)
        assert response.status_code == 200, response.text
        report_id = response.json()["report_id"]
    async with httpx.AsyncClient(
        base_url=gateway_url, headers={"X-API-Key": partner["api_key"]}, timeout=30
    ) as api:
        final = await wait_terminal(api, report_id)

    assert final["status"] == "completed", final.get("error")
    assert cv_checked(final)
    await assert_nowhere_at_rest(db, stack, report_id, canary)


async def test_a_file_of_exactly_8_mib_is_accepted(api: httpx.AsyncClient) -> None:
    data = SAMPLE_CV.encode()
    data += b" " * (CV_FILE_MAX_BYTES - len(data))

    response = await api.post("/api/v1/analyses", json=file_body("cv.txt", data))

    assert response.status_code == 202, response.text[:500]
    assert (await wait_terminal(api, response.json()["id"]))["status"] == "completed"


async def partner_footprint(db: Any, partner_id: str) -> dict[str, int]:
    """Documents mentioning the partner, per collection (a test-only scan)."""
    counts: dict[str, int] = {}
    for name in await db.list_collection_names():
        if name in TOUCHED_BY_ANY_REQUEST:
            continue
        counts[name] = 0
        async for doc in db[name].find({}):
            if partner_id in json_util.dumps(doc):
                counts[name] += 1
    return counts


BAD_FILES = [
    pytest.param(
        "cv.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 64, "content_base64", id="corrupt-pdf"
    ),
    pytest.param("cv.pdf", pdf_with_text(SAMPLE_CV)[:500], "content_base64", id="truncated-pdf"),
    pytest.param("cv.pdf", docx(SAMPLE_CV), "content_base64", id="wrong-magic-docx-as-pdf"),
    pytest.param("cv.pdf", windows_executable(), "content_base64", id="exe-renamed-pdf"),
    pytest.param("cv.odt", docx(SAMPLE_CV), "content_base64", id="docx-renamed-odt"),
    pytest.param("cv.txt", "é".encode("latin-1") * 10, "content_base64", id="txt-not-utf8"),
    pytest.param("cv.docx", docx_zip_bomb(64 * 1024 * 1024), "content_base64", id="zip-bomb"),
    pytest.param("cv.exe", windows_executable(), "filename", id="exe"),
    pytest.param("cv.doc", b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "filename", id="old-word-doc"),
]


@pytest.mark.parametrize(("filename", "data", "field"), BAD_FILES)
async def test_a_bad_cv_file_is_422_naming_the_field_and_changes_nothing(
    gateway_url: str, stack: LocalStack, db: Any, filename: str, data: bytes, field: str
) -> None:
    partner = create_partner(stack, "CV files")
    before = await partner_footprint(db, partner["partner_id"])
    async with httpx.AsyncClient(
        base_url=gateway_url, headers={"X-API-Key": partner["api_key"]}, timeout=60
    ) as api:
        response = await api.post("/api/v1/analyses", json=file_body(filename, data))

    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert [e["field"] for e in problem["errors"]] == [f"candidate.cv_file.{field}"]
    assert filename not in response.text  # a file's name often is the candidate's
    assert await partner_footprint(db, partner["partner_id"]) == before


@pytest.mark.parametrize(
    ("cv_file", "field"),
    [
        pytest.param(
            {"filename": "cv.pdf", "content_base64": "not base64!"},
            "content_base64",
            id="bad-base64",
        ),
        pytest.param({"filename": "cv.pdf", "content_base64": ""}, "content_base64", id="empty"),
        pytest.param(
            {"filename": "cv.txt", "content_base64": b64(b"x" * (CV_FILE_MAX_BYTES + 1))},
            "content_base64",
            id="8MiB-plus-one",
        ),
        pytest.param({"filename": "", "content_base64": b64(b"John")}, "filename", id="no-name"),
        pytest.param({"content_base64": b64(b"John")}, "filename", id="missing-name"),
    ],
)
async def test_bad_base64_or_size_is_422_naming_the_field(
    api: httpx.AsyncClient, db: Any, cv_file: dict[str, str], field: str
) -> None:
    before = await db.analyses.count_documents({})

    response = await api.post("/api/v1/analyses", json=analysis_body(cv=None, cv_file=cv_file))

    assert response.status_code == 422, response.text[:500]
    assert f"candidate.cv_file.{field}" in [e["field"] for e in response.json()["errors"]]
    assert await db.analyses.count_documents({}) == before


async def test_cv_and_cv_file_together_are_422(api: httpx.AsyncClient, db: Any) -> None:
    before = await db.analyses.count_documents({})
    body = analysis_body(cv=SAMPLE_CV, cv_file={"filename": "cv.txt", "content_base64": b64(b"x")})

    response = await api.post("/api/v1/analyses", json=body)

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["candidate"]
    assert await db.analyses.count_documents({}) == before


async def test_a_body_over_12_mib_is_413_on_the_create_route(api: httpx.AsyncClient) -> None:
    data = b"x" * (9 * 1024 * 1024)  # 12 MB of base64: over the route's limit

    response = await api.post("/api/v1/analyses", json=file_body("cv.txt", data))

    assert response.status_code == 413
    assert response.json()["detail"] == "Request bodies are limited to 12582912 bytes."


async def test_other_routes_keep_the_1_mib_limit(api: httpx.AsyncClient) -> None:
    two_mb = {
        "url": "https://example.com/hook",
        "events": ["analysis.completed"],
        "pad": "x" * 2_000_000,
    }

    webhooks = await api.post("/api/v1/webhooks", json=two_mb)
    create = await api.post(
        "/api/v1/analyses", json=file_body("cv.txt", SAMPLE_CV.encode() + b" " * 1_500_000)
    )

    assert webhooks.status_code == 413
    assert webhooks.json()["detail"] == "Request bodies are limited to 1048576 bytes."
    assert create.status_code == 202, create.text  # the same size is fine where CV files come
