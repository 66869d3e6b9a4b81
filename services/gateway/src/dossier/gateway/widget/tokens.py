"""Widget tokens (`wt_…`): stateless, signed grants for one client company and one candidate.

`wt_<payload>.<signature>`: the payload is base64url JSON naming the partner, the
environment, the issuing key, the pair and the expiry; the signature is
HMAC-SHA256 of the payload under a key derived from `DOSSIER_URL_SIGNING_KEY`
(the same per-deployment secret that signs report links, under its own label).

Why stateless: minting one costs no store write (a widget may ask for a token on
every page view), and any replica verifies it with the secret alone. What a store
entry would give — revocation — comes from the issuing key instead: every use
looks the issuing key up (through the short auth cache), so revoking that key
ends all its tokens within `DOSSIER_AUTH_CACHE_SECONDS`. A token says nothing the
browser holding it does not already know (the pair is in the page), so the payload
is signed, not encrypted.
"""

import base64
import binascii
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from dossier.contracts.enums import Environment
from dossier.contracts.widget import WIDGET_TOKEN_PREFIX

_LABEL = b"dossier/widget-session/v1"
_VERSION = 1
#: A token longer than this is not ours (two 128-character ids fit with room to spare).
MAX_TOKEN_CHARS = 1024

#: What a widget token may call (operationIds); every other operation answers 403.
WIDGET_OPERATIONS = frozenset(
    {
        "createAnalysis",
        "getAnalysis",
        "listAnalyses",
        "streamAnalysisEvents",
        "getAnalysisReportPdf",
    }
)
#: The scopes a widget token carries (never more than its issuing key has).
WIDGET_SCOPES = ("analyses:read", "analyses:write")


@dataclass(frozen=True)
class WidgetGrant:
    """What a verified token allows: this pair, under this partner and environment."""

    partner_id: str
    environment: Environment
    key_id: str
    client_id: str
    candidate_id: str
    expires_at: datetime

    def covers(self, client_id: object, candidate_id: object) -> bool:
        return client_id == self.client_id and candidate_id == self.candidate_id


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def signing_key(url_signing_key: bytes) -> bytes:
    """The widget tokens' own key, derived from the deployment's URL-signing key."""
    return hmac.new(url_signing_key, _LABEL, hashlib.sha256).digest()


def _signature(key: bytes, payload: str) -> str:
    return _b64(hmac.new(key, payload.encode(), hashlib.sha256).digest())


def is_widget_token(raw: str) -> bool:
    return raw.startswith(WIDGET_TOKEN_PREFIX)


def mint(key: bytes, grant: WidgetGrant) -> str:
    payload = _b64(
        json.dumps(
            {
                "v": _VERSION,
                "p": grant.partner_id,
                "e": grant.environment.value,
                "k": grant.key_id,
                "c": grant.client_id,
                "d": grant.candidate_id,
                "x": int(grant.expires_at.timestamp()),
            },
            separators=(",", ":"),
        ).encode()
    )
    return f"{WIDGET_TOKEN_PREFIX}{payload}.{_signature(key, payload)}"


def verify(key: bytes, raw: str, now: datetime) -> WidgetGrant | None:
    """The grant of a genuine, unexpired token; None for anything else."""
    if not is_widget_token(raw) or len(raw) > MAX_TOKEN_CHARS:
        return None
    payload, dot, signature = raw[len(WIDGET_TOKEN_PREFIX) :].partition(".")
    if not dot or not hmac.compare_digest(signature, _signature(key, payload)):
        return None
    try:
        claims = json.loads(_unb64(payload))
        grant = WidgetGrant(
            partner_id=str(claims["p"]),
            environment=Environment(claims["e"]),
            key_id=str(claims["k"]),
            client_id=str(claims["c"]),
            candidate_id=str(claims["d"]),
            expires_at=datetime.fromtimestamp(int(claims["x"]), UTC),
        )
    except (ValueError, KeyError, TypeError, binascii.Error):
        return None
    if claims.get("v") != _VERSION or grant.expires_at <= now:
        return None
    return grant
