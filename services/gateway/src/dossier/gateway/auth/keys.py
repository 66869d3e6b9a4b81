"""API keys: random, shown once, stored only as a hash, compared in constant time.

Shape: `<kind>_<environment>_<key id>_<secret>`, e.g. `ats_live_3f9c2a71b0d4_…`.
`ats` keys call the v1 API, `pk` keys the legacy partner API. The key id is
public (it is the listed prefix); the secret is 256 random bits. A key this
random needs no slow password hash: SHA-256 of the whole key is stored and
compared with `hmac.compare_digest`.
"""

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from dossier.contracts.enums import Environment

V1_KIND = "ats"
LEGACY_KIND = "pk"

_KEY_PATTERN = re.compile(r"^(ats|pk)_(live|test)_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$")


@dataclass(frozen=True)
class ParsedKey:
    kind: str
    environment: Environment
    key_id: str

    @property
    def prefix(self) -> str:
        return f"{self.kind}_{self.environment.value}_{self.key_id}"


def generate_key(kind: str, environment: Environment) -> tuple[str, ParsedKey]:
    key_id = secrets.token_hex(6)
    raw = f"{kind}_{environment.value}_{key_id}_{secrets.token_urlsafe(32)}"
    return raw, ParsedKey(kind, environment, key_id)


def parse_key(raw: str) -> ParsedKey | None:
    match = _KEY_PATTERN.match(raw.strip())
    if match is None:
        return None
    kind, env, key_id, _ = match.groups()
    return ParsedKey(kind, Environment(env), key_id)


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.strip().encode()).hexdigest()


def key_matches(raw: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_key(raw), stored_hash)
