"""What makes two POSTs "the same request", and which keys are acceptable (pure)."""

import hashlib

from dossier.contracts.enums import Environment

MAX_KEY_LENGTH = 255
#: Top-level response fields holding a secret shown once (`POST /api/v1/keys`, `/webhooks`).
SECRET_FIELDS = ("key", "secret")
#: Response headers a replay repeats besides the body and status.
REPLAYED_HEADERS = ("location", "retry-after")


def valid_idempotency_key(value: str) -> bool:
    """1–255 printable ASCII characters (a UUID is the usual choice)."""
    return 1 <= len(value) <= MAX_KEY_LENGTH and all(" " <= ch <= "~" for ch in value)


def fingerprint(method: str, path: str, body: bytes) -> str:
    """SHA-256 of method, path and the raw body: a different body or route is another request."""
    digest = hashlib.sha256()
    for part in (method.upper().encode(), path.encode(), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def record_id(partner_id: str, environment: Environment, key: str) -> str:
    """Keys are the partner's (any of its keys may retry), per environment: a test replay
    never answers a live request."""
    return f"{partner_id}:{environment.value}:{key}"


def holds_secret(body: object) -> bool:
    return isinstance(body, dict) and any(body.get(f) is not None for f in SECRET_FIELDS)
