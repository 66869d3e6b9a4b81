"""How a delivery is signed: two schemes over the same bytes, with every current secret.

`X-Dossier-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>` (Stripe
style; the key is the whole secret string, `whsec_` included), as partners have
verified it since webhooks began.

The Standard Webhooks headers (https://www.standardwebhooks.com): `webhook-id`
(the event id: the same for every retry and redelivery), `webhook-timestamp` and
`webhook-signature: v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<body>")>`,
where the key is the base64 decoding of the secret after its `whsec_` prefix —
exactly what the `standardwebhooks` libraries derive from the secret. Secrets
issued today are `whsec_<base64 of 32 random bytes>`; older ones are
`whsec_<64 hex digits>`, and hex digits are base64 characters too, so an old
secret keys the same way (its 64 characters decode to 48 bytes) and the libraries
verify with any secret a partner holds.

The timestamp is signed with the body so a captured delivery cannot be replayed
later: receivers check the signature, then that the timestamp is recent (five
minutes is usual). During a secret rotation each header carries one signature per
secret (`v1=…,v1=…`; `v1,… v1,…`); a receiver accepts if any matches.
"""

import base64
import binascii
import hashlib
import hmac
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

SIGNATURE_HEADER = "X-Dossier-Signature"
STANDARD_ID_HEADER = "webhook-id"
STANDARD_TIMESTAMP_HEADER = "webhook-timestamp"
STANDARD_SIGNATURE_HEADER = "webhook-signature"
SECRET_PREFIX = "whsec_"  # noqa: S105 (a prefix, not a secret)
DEFAULT_TOLERANCE_SECONDS = 300


def compute_signature(secret: str, timestamp: int, body: bytes) -> str:
    """The hex HMAC-SHA256 of `"<timestamp>.<body>"` keyed with the webhook's secret."""
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(secret: str | Sequence[str], timestamp: int, body: bytes) -> str:
    """`t=<timestamp>,v1=<sig>` with one `v1=` per secret (the newest first)."""
    keys = [secret] if isinstance(secret, str) else list(secret)
    return ",".join(
        [f"t={timestamp}", *(f"v1={compute_signature(k, timestamp, body)}" for k in keys)]
    )


def signing_secrets(webhook: Mapping[str, Any], now: datetime) -> list[str]:
    """The secrets a delivery is signed with: the current one, and the previous one until
    its 24 hours after a rotation are over."""
    current = [str(webhook["secret"])]
    previous, until = webhook.get("previous_secret"), webhook.get("previous_secret_expires_at")
    if previous and until is not None and now < until:
        return [*current, str(previous)]
    return current


def standard_key(secret: str) -> bytes:
    """The HMAC key of the Standard Webhooks signature: the base64 decoding of the text
    after `whsec_`, decoded the way the `standardwebhooks` libraries do (lenient about
    missing padding)."""
    text = secret.removeprefix(SECRET_PREFIX)
    try:
        return base64.b64decode(text + "==")
    except binascii.Error as exc:  # no secret we issue gets here
        msg = "webhook secret is not base64 after its whsec_ prefix"
        raise ValueError(msg) from exc


def standard_signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """`v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<body>")>`."""
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(standard_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signature_headers(
    secrets: Sequence[str], message_id: str, timestamp: int, body: bytes
) -> dict[str, str]:
    """Every signing header of one attempt: both schemes, one signature per secret."""
    return {
        SIGNATURE_HEADER: signature_header(secrets, timestamp, body),
        STANDARD_ID_HEADER: message_id,
        STANDARD_TIMESTAMP_HEADER: str(timestamp),
        STANDARD_SIGNATURE_HEADER: " ".join(
            standard_signature(s, message_id, timestamp, body) for s in secrets
        ),
    }


def parse_signature_header(header: str) -> tuple[int, list[str]] | None:
    """`(t, [v1 signatures])`, or None if the header is malformed."""
    timestamp: int | None = None
    signatures: list[str] = []
    for part in header.split(","):
        name, _, value = part.strip().partition("=")
        if name == "t" and value.isascii() and value.isdigit():
            timestamp = int(value)
        elif name == "v1" and value:
            signatures.append(value)
    if timestamp is None or not signatures:
        return None
    return timestamp, signatures


def verify_signature(
    secret: str,
    header: str,
    body: bytes,
    *,
    now: float,
    tolerance: float = DEFAULT_TOLERANCE_SECONDS,
) -> bool:
    """What a receiver does: the signature matches (constant time) and `t` is recent."""
    parsed = parse_signature_header(header)
    if parsed is None:
        return False
    timestamp, signatures = parsed
    if abs(now - timestamp) > tolerance:
        return False
    expected = compute_signature(secret, timestamp, body)
    return any(hmac.compare_digest(expected, s) for s in signatures)
