"""Reading the text of a CV file (PDF, DOCX, ODT, TXT) in memory — pure, no I/O.

The bytes come from a partner and are hostile until proven otherwise, so every reader is
bounded: a ZIP entry is read up to `MAX_XML_BYTES` however large it claims to be (zip
bombs), XML with a DTD is refused (entity bombs; DOCX and ODT never carry one), a PDF is
read page by page up to `MAX_PDF_PAGES` and a deadline (pypdf caps each stream's
decompressed size itself), and reading stops once `CV_MAX_CHARS` of text are in hand.

Nothing here logs or raises with the file's content: a file that cannot be read raises
`UnreadableCvFileError` with a reason written for the partner.
"""

import io
import logging
import time
import warnings
import zipfile
from collections.abc import Iterator
from enum import StrEnum
from xml.etree import ElementTree as ET

from pypdf import PdfReader, apply_configuration

from dossier.contracts.api import CV_MAX_CHARS

#: Largest decompressed XML part read from a DOCX or ODT (a CV's is a few hundred KB).
MAX_XML_BYTES = 16 * 1024 * 1024
#: Most entries a DOCX or ODT may list (a CV has a few dozen).
MAX_ZIP_ENTRIES = 2_000
#: Pages of a PDF read for text; a CV has a few, the rest is ignored.
MAX_PDF_PAGES = 50
#: pypdf's own bomb limits, tightened for a file of at most 8 MiB that is a CV: bytes one
#: stream may inflate to, and parsing work per content stream (operands and operators).
PDF_LIMITS = {
    "zlib_maximum_output_length": 16 * 1024 * 1024,
    "lzw_maximum_output_length": 16 * 1024 * 1024,
    "run_length_maximum_output_length": 16 * 1024 * 1024,
    "brotli_maximum_output_length": 16 * 1024 * 1024,
    "image_maximum_buffer_size": 16 * 1024 * 1024,
    "stream_parsing_work_maximum_count": 500_000,
    "page_tree_maximum_entries": 10_000,
}

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"

# pypdf reports odd structures through logging and warnings, quoting what it read: the
# file's content must reach no log.
logging.getLogger("pypdf").setLevel(logging.CRITICAL + 1)  # its child loggers inherit it
warnings.filterwarnings("ignore", module=r"pypdf(\..*)?")


class CvFileType(StrEnum):
    PDF = "pdf"
    DOCX = "docx"
    ODT = "odt"
    TXT = "txt"


class UnreadableCvFileError(Exception):
    """The file is not what its name says, or is damaged; the message is for the partner."""


def file_type_of(filename: str) -> CvFileType | None:
    """The type the file's extension names, if it is one we read."""
    _, dot, extension = filename.rpartition(".")
    if not dot:
        return None
    try:
        return CvFileType(extension.lower())
    except ValueError:
        return None


def check_signature(kind: CvFileType, data: bytes) -> None:
    """Refuse bytes that are not a file of `kind` (magic bytes, ZIP manifest, UTF-8)."""
    if kind is CvFileType.PDF:
        if not data[:1024].lstrip().startswith(b"%PDF-"):
            raise UnreadableCvFileError("is not a PDF file (it does not start with %PDF-)")
    elif kind is CvFileType.TXT:
        _decode_text(data)
    else:
        names = _zip_names(data, kind)
        if kind is CvFileType.DOCX and not {"[Content_Types].xml", "word/document.xml"} <= names:
            raise UnreadableCvFileError("is not a DOCX file (no word/document.xml)")
        if kind is CvFileType.ODT and "content.xml" not in names:
            raise UnreadableCvFileError("is not an ODT file (no content.xml)")


def extract_text(kind: CvFileType, data: bytes, *, deadline: float) -> str:
    """The file's text, at most `CV_MAX_CHARS` characters; empty when it holds none (a
    scanned PDF without a text layer). `deadline` is a `time.monotonic()` value: a PDF's
    pages are read until then, and what was read by then is the text."""
    check_signature(kind, data)
    try:
        if kind is CvFileType.TXT:
            text = _decode_text(data)
        elif kind is CvFileType.PDF:
            text = _pdf_text(data, deadline)
        elif kind is CvFileType.DOCX:
            text = _docx_text(_zip_part(data, "word/document.xml"))
        else:
            text = _odt_text(_zip_part(data, "content.xml"))
    except UnreadableCvFileError:
        raise
    except Exception as exc:  # any parser failure is a damaged file, never a 500
        detail = f"could not be read as a {kind.value.upper()} file (damaged or not a CV)"
        raise UnreadableCvFileError(detail) from exc
    return text[:CV_MAX_CHARS]


def _decode_text(data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableCvFileError("is not UTF-8 text") from None
    if "\x00" in text:
        raise UnreadableCvFileError("is not a text file (it holds NUL bytes)")
    return text


def _zip_names(data: bytes, kind: CvFileType) -> set[str]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ZIP_ENTRIES:
                raise UnreadableCvFileError("lists too many entries for a CV document")
            names = {info.filename for info in infos}
            if kind is CvFileType.ODT and (
                "mimetype" not in names or _read_bounded(archive, "mimetype", 200) != ODT_MIMETYPE
            ):
                raise UnreadableCvFileError("is not an ODT text document (wrong mimetype)")
            return names
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, ValueError):
        raise UnreadableCvFileError(
            f"is not a valid {kind.value.upper()} file (not a ZIP)"
        ) from None


def _read_bounded(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """One entry, refusing it past `limit` bytes however small it claims to be."""
    info = archive.getinfo(name)
    if info.file_size > limit:
        raise UnreadableCvFileError(f"has a part ({name}) too large once decompressed")
    with archive.open(info) as entry:
        content = entry.read(limit + 1)
    if len(content) > limit:
        raise UnreadableCvFileError(f"has a part ({name}) too large once decompressed")
    return content


def _zip_part(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return _read_bounded(archive, name, MAX_XML_BYTES)


def _parse_xml(content: bytes) -> ET.Element:
    if b"<!DOCTYPE" in content:
        raise UnreadableCvFileError("holds XML with a DTD, which CV files never need")
    return ET.fromstring(content)  # noqa: S314 - no DTD, so no entities to expand


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx_text(content: bytes) -> str:
    """Paragraphs of `word/document.xml`, one per line (table cells included)."""
    root = _parse_xml(content)
    lines: list[str] = []
    for paragraph in root.iter(f"{_W}p"):
        parts: list[str] = []
        for element in paragraph.iter():
            if element.tag == f"{_W}t":
                parts.append(element.text or "")
            elif element.tag == f"{_W}tab":
                parts.append("\t")
            elif element.tag in (f"{_W}br", f"{_W}cr"):
                parts.append("\n")
        lines.append("".join(parts))
    return "\n".join(lines)


_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_ODT_BLOCKS = (f"{_TEXT}p", f"{_TEXT}h")
#: `text:s c="n"` stands for n spaces; a hostile n must not allocate gigabytes.
_MAX_SPACES = 100


def _odt_text(content: bytes) -> str:
    """Paragraphs and headings of `content.xml`, one per line."""
    return "\n".join(_odt_blocks(_parse_xml(content)))


def _odt_blocks(element: ET.Element) -> Iterator[str]:
    for child in element:
        if child.tag in _ODT_BLOCKS:
            yield "".join(_odt_inline(child))
        else:
            yield from _odt_blocks(child)


def _odt_inline(element: ET.Element) -> Iterator[str]:
    yield element.text or ""
    for child in element:
        if child.tag == f"{_TEXT}s":
            count = child.get(f"{_TEXT}c", "1")
            yield " " * min(int(count) if count.isdigit() else 1, _MAX_SPACES)
        elif child.tag == f"{_TEXT}tab":
            yield "\t"
        elif child.tag == f"{_TEXT}line-break":
            yield "\n"
        else:
            yield from _odt_inline(child)
        yield child.tail or ""


def _pdf_text(data: bytes, deadline: float) -> str:
    with apply_configuration(None, **PDF_LIMITS):
        return _pdf_pages_text(data, deadline)


def _pdf_pages_text(data: bytes, deadline: float) -> str:
    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted and not reader.decrypt(""):
        raise UnreadableCvFileError("is a password-protected PDF")
    pages = reader.pages
    if len(pages) == 0:
        raise UnreadableCvFileError("is a PDF without pages (damaged?)")
    parts: list[str] = []
    read = 0
    for index in range(min(len(pages), MAX_PDF_PAGES)):
        if time.monotonic() > deadline:
            break
        page_text = pages[index].extract_text() or ""
        parts.append(page_text)
        read += len(page_text)
        if read >= CV_MAX_CHARS:
            break
    return "\n".join(parts)
