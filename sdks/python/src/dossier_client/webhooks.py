"""Checking that a webhook delivery comes from Dossier: `verify(payload, headers, secret)`.

Dossier signs every delivery twice over the same bytes:

- `X-Dossier-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>` — the key is
  the whole secret string, `whsec_` included;
- Standard Webhooks: `webhook-id`, `webhook-timestamp` and
  `webhook-signature: v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<body>")>` — the key is
  the base64 decoding of the secret after `whsec_`.

During a secret rotation a header carries one signature per secret; any match is enough.
The Standard Webhooks headers are checked when present (Dossier always sends them), else
`X-Dossier-Signature`; the signature must match and its timestamp be within `tolerance`
seconds of now (replay protection).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from typing import Any

from dossier_client.errors import WebhookVerificationError

DEFAULT_TOLERANCE_SECONDS = 300
SECRET_PREFIX = "whsec_"  # noqa: S105 (a prefix, not a secret)


def _header(headers: Mapping[str, str], name: str) -> str | None:
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            return value
    return None


def _fresh(timestamp: int, now: float, tolerance: float) -> None:
    if abs(now - timestamp) > tolerance:
        msg = f"webhook timestamp {timestamp} is outside the {tolerance:g}s tolerance"
        raise WebhookVerificationError(msg)


def _verify_dossier(header: str, payload: bytes, secret: str, now: float, tolerance: float) -> None:
    timestamp: int | None = None
    signatures: list[str] = []
    for part in header.split(","):
        name, _, value = part.strip().partition("=")
        if name == "t" and value.isascii() and value.isdigit():
            timestamp = int(value)
        elif name == "v1" and value:
            signatures.append(value)
    if timestamp is None or not signatures:
        msg = "malformed X-Dossier-Signature header"
        raise WebhookVerificationError(msg)
    expected = hmac.new(
        secret.encode(), str(timestamp).encode() + b"." + payload, hashlib.sha256
    ).hexdigest()
    if not any(hmac.compare_digest(expected, s) for s in signatures):
        msg = "X-Dossier-Signature does not match the payload"
        raise WebhookVerificationError(msg)
    _fresh(timestamp, now, tolerance)


def _standard_key(secret: str) -> bytes:
    try:
        return base64.b64decode(secret.removeprefix(SECRET_PREFIX) + "==")
    except binascii.Error as exc:
        msg = "the webhook secret is not base64 after its whsec_ prefix"
        raise WebhookVerificationError(msg) from exc


def _verify_standard(
    *,
    message_id: str,
    timestamp_text: str,
    header: str,
    payload: bytes,
    secret: str,
    now: float,
    tolerance: float,
) -> None:
    if not (timestamp_text.isascii() and timestamp_text.isdigit()):
        msg = "malformed webhook-timestamp header"
        raise WebhookVerificationError(msg)
    timestamp = int(timestamp_text)
    signed = f"{message_id}.{timestamp}.".encode() + payload
    expected = base64.b64encode(
        hmac.new(_standard_key(secret), signed, hashlib.sha256).digest()
    ).decode()
    candidates = [
        value for version, _, value in (s.partition(",") for s in header.split()) if version == "v1"
    ]
    if not any(hmac.compare_digest(expected, c) for c in candidates):
        msg = "webhook-signature does not match the payload"
        raise WebhookVerificationError(msg)
    _fresh(timestamp, now, tolerance)


def verify(
    payload: bytes,
    headers: Mapping[str, str],
    secret: str,
    *,
    tolerance: float = DEFAULT_TOLERANCE_SECONDS,
    now: float | None = None,
) -> dict[str, Any]:
    """The delivered event (parsed JSON) if `payload` was signed with `secret` recently.

    `payload` must be the raw request body, byte for byte. Raises
    `WebhookVerificationError` on a missing, wrong or stale signature.
    """
    moment = time.time() if now is None else now
    message_id = _header(headers, "webhook-id")
    timestamp = _header(headers, "webhook-timestamp")
    standard = _header(headers, "webhook-signature")
    legacy = _header(headers, "x-dossier-signature")
    if message_id and timestamp and standard:
        _verify_standard(
            message_id=message_id,
            timestamp_text=timestamp,
            header=standard,
            payload=payload,
            secret=secret,
            now=moment,
            tolerance=tolerance,
        )
    elif legacy:
        _verify_dossier(legacy, payload, secret, moment, tolerance)
    else:
        msg = "no Dossier signature headers (webhook-signature or X-Dossier-Signature)"
        raise WebhookVerificationError(msg)
    try:
        event: Any = json.loads(payload)
    except ValueError as exc:
        msg = "the signed payload is not JSON"
        raise WebhookVerificationError(msg) from exc
    if not isinstance(event, dict):
        msg = "the signed payload is not a JSON object"
        raise WebhookVerificationError(msg)
    return event
