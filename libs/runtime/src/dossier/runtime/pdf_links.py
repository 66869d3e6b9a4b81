"""Signed, expiring PDF links: anyone holding the URL may fetch that one PDF until it expires."""

import base64
import hashlib
import hmac
import time

from dossier.contracts.api import report_pdf_path


def _signature(key: bytes, report_id: str, expires: int) -> str:
    mac = hmac.new(key, f"{report_id}.{expires}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


def signed_pdf_url(
    base_url: str, key: bytes, report_id: str, ttl_seconds: int, *, step_seconds: int = 1
) -> str:
    """A link valid for at least `ttl_seconds`; the expiry is rounded up to `step_seconds`,
    so the same link is handed out for that long (a rendered response can be reused)."""
    step = max(step_seconds, 1)
    expires = -(-(int(time.time()) + ttl_seconds) // step) * step
    sig = _signature(key, report_id, expires)
    return f"{base_url.rstrip('/')}{report_pdf_path(report_id)}?expires={expires}&sig={sig}"


def signature_is_valid(key: bytes, report_id: str, expires: int, sig: str) -> bool:
    """Constant-time check of the signature, then of the expiry."""
    expected = _signature(key, report_id, expires)
    # Bytes, not str: compare_digest refuses non-ASCII text, and `sig` comes from the URL.
    return hmac.compare_digest(expected.encode(), sig.encode()) and expires >= int(time.time())
