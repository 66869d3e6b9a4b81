"""Signed, expiring report links: anyone holding the URL may fetch that one report until it
expires — the PDF (`pdf_download_url`) or its HTML rendering (`report_url`).

Both use the same key and scheme, but sign different messages: a PDF link signs
`<report_id>.<expires>` (as it always has, so links already handed out stay valid) and an
HTML link signs `html:<report_id>.<expires>`. Report ids never contain `:`, so a PDF
signature never opens the HTML page and an HTML signature never opens the PDF.
"""

import base64
import hashlib
import hmac
import time
from enum import Enum

from dossier.contracts.api import report_html_path, report_pdf_path


class LinkKind(Enum):
    """What a signed link opens; each kind signs its own message."""

    PDF = ""
    HTML = "html:"


def _signature(key: bytes, report_id: str, expires: int, kind: LinkKind = LinkKind.PDF) -> str:
    message = f"{kind.value}{report_id}.{expires}".encode()
    mac = hmac.new(key, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


def _expiry(ttl_seconds: int, step_seconds: int) -> int:
    step = max(step_seconds, 1)
    return -(-(int(time.time()) + ttl_seconds) // step) * step


def signed_pdf_url(
    base_url: str, key: bytes, report_id: str, ttl_seconds: int, *, step_seconds: int = 1
) -> str:
    """A link valid for at least `ttl_seconds`; the expiry is rounded up to `step_seconds`,
    so the same link is handed out for that long (a rendered response can be reused)."""
    expires = _expiry(ttl_seconds, step_seconds)
    sig = _signature(key, report_id, expires)
    return f"{base_url.rstrip('/')}{report_pdf_path(report_id)}?expires={expires}&sig={sig}"


def signed_report_url(
    base_url: str, key: bytes, report_id: str, ttl_seconds: int, *, step_seconds: int = 1
) -> str:
    """The HTML rendering's link, with the same expiry rule as `signed_pdf_url`."""
    expires = _expiry(ttl_seconds, step_seconds)
    sig = _signature(key, report_id, expires, LinkKind.HTML)
    return f"{base_url.rstrip('/')}{report_html_path(report_id)}?expires={expires}&sig={sig}"


def signature_is_valid(
    key: bytes, report_id: str, expires: int, sig: str, kind: LinkKind = LinkKind.PDF
) -> bool:
    """Constant-time check of the signature (for that kind of link), then of the expiry."""
    expected = _signature(key, report_id, expires, kind)
    # Bytes, not str: compare_digest refuses non-ASCII text, and `sig` comes from the URL.
    return hmac.compare_digest(expected.encode(), sig.encode()) and expires >= int(time.time())
