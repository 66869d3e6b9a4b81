"""Cursors of `GET /api/v1/analyses`: an opaque, signed position in a walk (pure).

A cursor carries the position the next page starts from (the walks go backward, so
it only ever names entries that already existed: inserts land above it and a page
never repeats or skips one). It is signed with the gateway's URL signing key over
the partner, the environment and the query it was issued for, so a cursor edited,
sent by another partner's or environment's key, or reused with other filters is
refused (400) instead of being interpreted.
"""

import base64
import binascii
import hashlib
import hmac
import json
from dataclasses import dataclass

_DOMAIN = b"dossier/list-analyses-cursor/v1"
_MAC_BYTES = 16


class InvalidCursorError(ValueError):
    """The cursor was not issued for this partner, environment and query."""


@dataclass(frozen=True)
class ListQuery:
    """The filters of one listing; a cursor only continues the query it came from."""

    client_id: str | None = None
    candidate_id: str | None = None
    status: str | None = None


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class CursorCodec:
    def __init__(self, secret: bytes) -> None:
        self._key = hmac.new(secret, _DOMAIN, hashlib.sha256).digest()

    def _mac(self, payload: str, partner_id: str, environment: str, query: ListQuery) -> bytes:
        bound = json.dumps(
            [payload, partner_id, environment, query.client_id, query.candidate_id, query.status]
        )
        return hmac.new(self._key, bound.encode(), hashlib.sha256).digest()[:_MAC_BYTES]

    def encode(self, position: int, *, partner_id: str, environment: str, query: ListQuery) -> str:
        """`position` (≥ 1) as an opaque cursor for this partner, environment and query."""
        payload = _b64(json.dumps({"v": 1, "p": position}, separators=(",", ":")).encode())
        return f"{payload}.{_b64(self._mac(payload, partner_id, environment, query))}"

    def decode(self, cursor: str, *, partner_id: str, environment: str, query: ListQuery) -> int:
        """The position a cursor names; `InvalidCursorError` unless this codec issued it for
        exactly this partner, environment and query."""
        payload, _, signature = cursor.partition(".")
        try:
            mac = _unb64(signature)
            if not hmac.compare_digest(mac, self._mac(payload, partner_id, environment, query)):
                raise InvalidCursorError
            body = json.loads(_unb64(payload))
        except (binascii.Error, ValueError, UnicodeDecodeError) as error:
            raise InvalidCursorError from error
        if not isinstance(body, dict) or body.get("v") != 1:
            raise InvalidCursorError
        position = body.get("p")
        if type(position) is not int or position < 1:
            raise InvalidCursorError
        return position
