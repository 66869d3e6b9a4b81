"""Reading CV files into text: real PDF, DOCX, ODT and TXT files made in the tests, and
the damaged and hostile ones a partner could send (zip bomb, PDF bomb, entity bomb, a
program renamed `.pdf`)."""

import base64
import time
import tracemalloc

import pytest
from pydantic import ValidationError

from dossier.contracts.api import CV_FILE_MAX_BYTES, CV_MAX_CHARS, CandidateInput, CvFile
from dossier.contracts.legacy import LegacyCandidate
from dossier.gateway.analyses.cv_file import decode_cv_file, read_cv_file_now
from dossier.gateway.analyses.cv_file_text import (
    CvFileType,
    UnreadableCvFileError,
    extract_text,
    file_type_of,
)
from dossier.gateway.middleware import CV_FILE_BODY_BYTES, MAX_BODY_BYTES, body_limit
from dossier.gateway.problems import ProblemError
from tests.e2e.helpers import SAMPLE_CV
from tests.fixtures.cv_files import (
    b64,
    docx,
    docx_zip_bomb,
    odt,
    pdf_bomb,
    pdf_with_only_an_image,
    pdf_with_text,
    windows_executable,
    xml_entity_bomb_docx,
)

SOON = 30.0  # a deadline no test reaches


def _read(kind: CvFileType, data: bytes) -> str:
    return extract_text(kind, data, deadline=time.monotonic() + SOON)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize(
    ("kind", "make"),
    [
        (CvFileType.PDF, pdf_with_text),
        (CvFileType.DOCX, docx),
        (CvFileType.ODT, odt),
        (CvFileType.TXT, str.encode),
    ],
)
def test_each_format_reads_back_the_cv_line_by_line(kind: CvFileType, make: object) -> None:
    data = make(SAMPLE_CV)  # type: ignore[operator]

    assert _lines(_read(kind, data)) == _lines(SAMPLE_CV)


def test_a_pdf_with_only_an_image_reads_as_no_text() -> None:
    assert _read(CvFileType.PDF, pdf_with_only_an_image()).strip() == ""


def test_a_txt_file_with_a_byte_order_mark_reads_without_it() -> None:
    assert _read(CvFileType.TXT, b"\xef\xbb\xbfJohn Doe\n") == "John Doe\n"


@pytest.mark.parametrize(
    ("kind", "data", "reason"),
    [
        pytest.param(CvFileType.PDF, windows_executable(), "not a PDF", id="exe-renamed-pdf"),
        pytest.param(CvFileType.DOCX, windows_executable(), "not a ZIP", id="exe-renamed-docx"),
        pytest.param(CvFileType.TXT, windows_executable(), "UTF-8", id="exe-renamed-txt"),
        pytest.param(CvFileType.TXT, "é".encode("latin-1"), "UTF-8", id="latin-1-txt"),
        pytest.param(CvFileType.TXT, b"John\x00Doe", "NUL", id="binary-txt"),
        pytest.param(
            CvFileType.PDF, pdf_with_text(SAMPLE_CV)[:400], "could not be read", id="truncated-pdf"
        ),
        pytest.param(
            CvFileType.PDF, b"%PDF-1.7\n" + bytes(range(256)) * 8, "could not", id="corrupt-pdf"
        ),
        pytest.param(CvFileType.DOCX, odt(SAMPLE_CV), "no word/document.xml", id="odt-as-docx"),
        pytest.param(CvFileType.ODT, docx(SAMPLE_CV), "mimetype", id="docx-as-odt"),
        pytest.param(CvFileType.PDF, docx(SAMPLE_CV), "not a PDF", id="docx-as-pdf"),
        pytest.param(CvFileType.DOCX, xml_entity_bomb_docx(), "DTD", id="entity-bomb"),
    ],
)
def test_damaged_or_disguised_files_are_refused_with_a_reason(
    kind: CvFileType, data: bytes, reason: str
) -> None:
    with pytest.raises(UnreadableCvFileError, match=reason):
        _read(kind, data)


def test_a_zip_bomb_is_refused_without_inflating_it() -> None:
    bomb = docx_zip_bomb(64 * 1024 * 1024)
    assert len(bomb) < 1024 * 1024  # 64 MB of XML in a few dozen KB

    tracemalloc.start()
    try:
        with pytest.raises(UnreadableCvFileError, match="too large once decompressed"):
            _read(CvFileType.DOCX, bomb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 24 * 1024 * 1024


def test_a_pdf_bomb_is_refused_or_read_as_empty_within_pypdf_limits() -> None:
    bomb = pdf_bomb(100 * 1024 * 1024)

    tracemalloc.start()
    try:
        try:
            text = _read(CvFileType.PDF, bomb)
        except UnreadableCvFileError:
            text = ""
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert text.strip() == ""
    assert peak < 80 * 1024 * 1024  # never the 100 MB the stream claims


def test_reading_stops_at_the_deadline_with_what_was_read() -> None:
    already_over = time.monotonic() - 1

    assert extract_text(CvFileType.PDF, pdf_with_text(SAMPLE_CV), deadline=already_over) == ""


def test_text_is_capped_at_the_cv_limit() -> None:
    assert len(_read(CvFileType.TXT, b"x" * (CV_MAX_CHARS + 10))) == CV_MAX_CHARS


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("cv.pdf", CvFileType.PDF),
        ("Jane Doe CV.PDF", CvFileType.PDF),
        ("cv.docx", CvFileType.DOCX),
        ("cv.odt", CvFileType.ODT),
        ("cv.txt", CvFileType.TXT),
        ("cv.exe", None),
        ("cv.doc", None),
        ("cv", None),
        ("cv.pdf.exe", None),
    ],
)
def test_the_type_comes_from_the_extension(name: str, kind: CvFileType | None) -> None:
    assert file_type_of(name) is kind


def _problem_field(cv_file: CvFile) -> str:
    with pytest.raises(ProblemError) as caught:
        read_cv_file_now(cv_file, budget_seconds=SOON, prefix="candidate.cv_file")
    problem = caught.value
    assert problem.status == 422
    assert problem.errors is not None
    return problem.errors[0].field


def test_an_unknown_extension_is_422_naming_the_filename() -> None:
    assert _problem_field(CvFile(filename="cv.exe", content_base64=b64(b"x"))) == (
        "candidate.cv_file.filename"
    )


@pytest.mark.parametrize(
    "content",
    [
        pytest.param("not base64!", id="bad-alphabet"),
        pytest.param("abc", id="bad-padding"),
        pytest.param("", id="empty"),
        pytest.param(b64(b"x" * (CV_FILE_MAX_BYTES + 1)), id="8MiB-plus-one"),
        pytest.param(b64(windows_executable()), id="exe-renamed-pdf"),
    ],
)
def test_bad_content_is_422_naming_content_base64(content: str) -> None:
    assert _problem_field(CvFile(filename="cv.pdf", content_base64=content)) == (
        "candidate.cv_file.content_base64"
    )


def test_exactly_8_mib_decodes_and_line_breaks_are_allowed() -> None:
    data = b"x" * CV_FILE_MAX_BYTES
    encoded = base64.encodebytes(data).decode()  # MIME style: a line break every 76

    assert decode_cv_file(CvFile(filename="cv.txt", content_base64=encoded), prefix="f") == data


def test_problems_never_quote_the_file_or_its_name() -> None:
    secret = "SECRETNAME"
    with pytest.raises(ProblemError) as caught:
        read_cv_file_now(
            CvFile(filename=f"{secret}.pdf", content_base64=b64(b"%PDF-1.4 " + secret.encode())),
            budget_seconds=SOON,
            prefix="candidate.cv_file",
        )
    assert caught.value.errors is not None
    assert secret not in repr(caught.value.errors) + str(caught.value.detail)


def test_cv_and_cv_file_together_are_refused() -> None:
    cv_file = CvFile(filename="cv.txt", content_base64=b64(b"John Doe"))
    with pytest.raises(ValidationError, match="not both"):
        CandidateInput(id="c1", first_name="J", last_name="D", cv="John Doe", cv_file=cv_file)
    with pytest.raises(ValidationError, match="not both"):
        LegacyCandidate(full_name="J D", cv_text="John Doe", cv_file=cv_file)


def test_only_the_create_routes_take_the_larger_body() -> None:
    assert body_limit("POST", "/api/v1/analyses") == CV_FILE_BODY_BYTES
    assert body_limit("POST", "/api/partner/v1/background-check") == CV_FILE_BODY_BYTES
    assert body_limit("POST", "/api/v1/webhooks") == MAX_BODY_BYTES
    assert body_limit("PUT", "/api/v1/analyses") == MAX_BODY_BYTES
    assert body_limit("POST", "/api/v1/analyses/an_1/feedback") == MAX_BODY_BYTES
    # An 8 MiB file in base64 with MIME line breaks, plus a request around it, fits.
    assert len(base64.encodebytes(b"x" * CV_FILE_MAX_BYTES)) + 10_000 < CV_FILE_BODY_BYTES
