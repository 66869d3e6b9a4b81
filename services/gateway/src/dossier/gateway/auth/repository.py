"""Partners and their API keys in MongoDB. Only key hashes are ever stored.

A key document has one writer after it is minted: whoever revokes it. Use is recorded
elsewhere (`api_key_usage`), because FerretDB rewrites a whole document on update: a
"last used" write racing a revocation could otherwise put `revoked_at` back to null.
"""

import asyncio
import contextlib
import re
import secrets
import time
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from dossier.contracts.enums import Environment
from dossier.contracts.keys import Scope
from dossier.contracts.timestamps import utcnow
from dossier.gateway.auth.keys import ParsedKey, generate_key, hash_key, key_matches, parse_key
from dossier.runtime.collections import API_KEY_INDEX, API_KEY_USAGE, API_KEYS, PARTNERS
from dossier.runtime.mongo import Document
from dossier.runtime.sequenced_log import SequencedLog

if TYPE_CHECKING:
    from dossier.gateway.widget.tokens import WidgetGrant

LAST_USED_GRANULARITY = timedelta(minutes=1)
_CACHE_MAX_KEYS = 10_000

ALL_SCOPES = tuple(scope.value for scope in Scope)

#: The public id of a key is `key_<key id>`; the listed prefix ends with the same key id.
KEY_ID_PREFIX = "key_"
_KEY_REF = re.compile(r"^(?:key_|(?:ats|pk)_(?:live|test)_)?([0-9a-f]{12})$")


@dataclass(frozen=True)
class Partner:
    id: str
    platform_id: str
    name: str
    plan: str
    monthly_credits: int | None = None


@dataclass(frozen=True)
class AuthenticatedKey:
    partner: Partner
    key_id: str
    kind: str
    environment: Environment
    scopes: tuple[str, ...]
    last_used_at: datetime | None = None
    #: Set when the credential is a widget token issued by this key: its one pair.
    widget: "WidgetGrant | None" = None


@dataclass(frozen=True)
class KeyRecord:
    """A stored key as its partner may see it: no hash, no secret."""

    key_id: str
    partner_id: str
    prefix: str
    kind: str
    name: str
    scopes: tuple[str, ...]
    environment: Environment
    created_at: datetime
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None

    @property
    def public_id(self) -> str:
        return f"{KEY_ID_PREFIX}{self.key_id}"


def key_id_from(reference: str) -> str | None:
    """The key id in `key_<id>`, a listed prefix (`ats_live_<id>`) or a bare id; else None."""
    match = _KEY_REF.match(reference.strip())
    return match.group(1) if match else None


def _record(doc: Document, last_used_at: datetime | None = None) -> KeyRecord:
    stored_use = doc.get("last_used_at")
    uses = [when for when in (stored_use, last_used_at) if when is not None]
    return KeyRecord(
        key_id=doc["_id"],
        partner_id=doc["partner_id"],
        prefix=doc["prefix"],
        kind=doc.get("kind", "ats"),
        name=doc.get("name", ""),
        scopes=tuple(doc.get("scopes", ALL_SCOPES)),
        environment=Environment(doc["environment"]),
        created_at=doc["created_at"],
        last_used_at=max(uses) if uses else None,
        revoked_at=doc.get("revoked_at"),
    )


def _partner(doc: Document) -> Partner:
    return Partner(
        id=doc["_id"],
        platform_id=doc["platform_id"],
        name=doc["name"],
        plan=doc.get("plan", "standard"),
        monthly_credits=doc.get("monthly_credits"),
    )


@dataclass(frozen=True)
class _CachedKey:
    doc: Document
    partner: Partner
    expires: float


class PartnerRepository:
    """Partners and their keys.

    `authenticate` keeps each key (its hash, scopes, revocation) and its partner in
    memory for `auth_cache_seconds`, so a busy poller costs no store read per
    request. The raw key is still checked against the stored hash every time. A
    revocation through this replica takes effect at once; one made through another
    replica (or the operator CLI) within `auth_cache_seconds`.
    """

    def __init__(self, db: AsyncDatabase[Document], *, auth_cache_seconds: float = 0.0) -> None:
        self._partners = db[PARTNERS]
        self._keys = db[API_KEYS]
        self._usage = db[API_KEY_USAGE]
        self._cache_ttl = auth_cache_seconds
        self._cache: dict[str, _CachedKey] = {}
        self._index = SequencedLog(db[API_KEY_INDEX])
        # When this process last recorded each key's use: at most one write a minute per key
        # and replica, without reading anything back on the request path.
        self._recorded_use: dict[str, datetime] = {}

    async def create_partner(
        self, name: str, *, plan: str = "standard", monthly_credits: int | None = None
    ) -> Partner:
        doc = {
            "_id": f"ptn_{secrets.token_hex(8)}",
            "platform_id": f"plt_{secrets.token_hex(8)}",
            "name": name,
            "plan": plan,
            "monthly_credits": monthly_credits,
            "created_at": utcnow(),
        }
        await self._partners.insert_one(doc)
        return _partner(doc)

    async def get_partner(self, partner_id: str) -> Partner | None:
        doc = await self._partners.find_one({"_id": partner_id})
        return _partner(doc) if doc else None

    async def issue_key(
        self,
        partner: Partner,
        *,
        kind: str,
        environment: Environment = Environment.LIVE,
        name: str = "default",
        scopes: tuple[str, ...] = ALL_SCOPES,
    ) -> tuple[str, ParsedKey]:
        """Mint a key. The raw key is returned once and never stored."""
        raw, parsed = generate_key(kind, environment)
        # Listed first, stored second: a crash in between leaves a listed id with no key
        # (skipped when listing), never a working key that nobody can see or revoke.
        await self._index.append(
            partner.id, lambda _seq, _prev: {"key_id": parsed.key_id, "created_at": utcnow()}
        )
        await self._keys.insert_one(
            {
                "_id": parsed.key_id,
                "partner_id": partner.id,
                "prefix": parsed.prefix,
                "kind": kind,
                "environment": environment.value,
                "hash": hash_key(raw),
                "name": name,
                "scopes": list(scopes),
                "created_at": utcnow(),
                "last_used_at": None,
                "revoked_at": None,
            }
        )
        return raw, parsed

    async def authenticate(self, raw: str, *, kind: str) -> AuthenticatedKey | None:
        parsed = parse_key(raw)
        if parsed is None or parsed.kind != kind:
            return None
        found = await self._key_and_partner(parsed.key_id)
        if found is None:
            return None
        doc, partner = found
        if not key_matches(raw, doc["hash"]) or doc.get("revoked_at") is not None:
            return None
        return AuthenticatedKey(
            partner=partner,
            key_id=parsed.key_id,
            kind=kind,
            environment=Environment(doc["environment"]),
            scopes=tuple(doc.get("scopes", ALL_SCOPES)),
            last_used_at=doc.get("last_used_at"),
        )

    async def issuing_key(self, key_id: str) -> AuthenticatedKey | None:
        """A v1 key by its id, if it still works (a widget token's issuer, checked on each use
        through the same cache as `authenticate`; the token's signature stands for the secret)."""
        found = await self._key_and_partner(key_id)
        if found is None:
            return None
        doc, partner = found
        if doc.get("revoked_at") is not None or doc.get("kind", "ats") != "ats":
            return None
        return AuthenticatedKey(
            partner=partner,
            key_id=key_id,
            kind=doc.get("kind", "ats"),
            environment=Environment(doc["environment"]),
            scopes=tuple(doc.get("scopes", ALL_SCOPES)),
            last_used_at=doc.get("last_used_at"),
        )

    async def _key_and_partner(self, key_id: str) -> tuple[Document, Partner] | None:
        now = time.monotonic()
        cached = self._cache.get(key_id)
        if cached is not None and now < cached.expires:
            return cached.doc, cached.partner
        doc = await self._keys.find_one({"_id": key_id})
        partner = await self.get_partner(doc["partner_id"]) if doc is not None else None
        if doc is None or partner is None:
            self._cache.pop(key_id, None)
            return None
        if self._cache_ttl > 0:
            if len(self._cache) >= _CACHE_MAX_KEYS:
                self._cache = {k: v for k, v in self._cache.items() if now < v.expires}
            self._cache[key_id] = _CachedKey(doc, partner, now + self._cache_ttl)
        return doc, partner

    def forget(self, key_id: str) -> None:
        """Drop a key from this replica's cache (it was just revoked here)."""
        self._cache.pop(key_id, None)

    async def touch(self, key: AuthenticatedKey, when: datetime) -> None:
        """Record use, at most once a minute per key: a poller must not cost a write per GET."""
        last = self._recorded_use.get(key.key_id) or key.last_used_at
        if last is not None and when - last <= LAST_USED_GRANULARITY:
            return
        self._recorded_use[key.key_id] = when
        # Another replica may record the first use at the same moment: its write will do.
        with contextlib.suppress(DuplicateKeyError):
            await self._usage.update_one(
                {"_id": key.key_id},
                {"$set": {"partner_id": key.partner.id, "last_used_at": when}},
                upsert=True,
            )

    async def list_keys(
        self, partner_id: str, *, environment: Environment | None = None
    ) -> list[KeyRecord]:
        """A partner's keys, newest first, revoked ones included (optionally one environment)."""
        ids = [entry["key_id"] async for entry in self._index.read(partner_id)]
        ids.reverse()
        found = await asyncio.gather(*(self._keys.find_one({"_id": i}) for i in ids))
        docs = [
            d
            for d in found
            if d is not None
            and d["partner_id"] == partner_id
            and (environment is None or d["environment"] == environment.value)
        ]
        used = await asyncio.gather(*(self._usage.find_one({"_id": d["_id"]}) for d in docs))
        return [
            _record(doc, u.get("last_used_at") if u else None)
            for doc, u in zip(docs, used, strict=True)
        ]

    async def get_key(self, partner_id: str, key_id: str) -> KeyRecord | None:
        doc, usage = await asyncio.gather(
            self._keys.find_one({"_id": key_id}), self._usage.find_one({"_id": key_id})
        )
        if doc is None or doc["partner_id"] != partner_id:
            return None
        return _record(doc, usage.get("last_used_at") if usage else None)

    async def revoke_for_partner(
        self, partner_id: str, key_id: str
    ) -> tuple[KeyRecord, bool] | None:
        """Soft-revoke one of the partner's keys: (the key, whether this call revoked it).

        None when the partner has no such key. Revoking a revoked key changes nothing.
        """
        record = await self.get_key(partner_id, key_id)
        if record is None:
            return None
        if record.revoked_at is not None:
            return record, False
        when = utcnow()
        self.forget(key_id)
        # By `_id` (ownership and state checked above): revoking is the key document's
        # only update, and two revokes racing both leave it revoked.
        await self._keys.update_one({"_id": key_id}, {"$set": {"revoked_at": when}})
        return replace(record, revoked_at=when), True

    async def revoke(self, prefix_or_id: str) -> bool:
        """Soft revoke (kept for the audit trail). Accepts the listed prefix or the key id."""
        key_id = prefix_or_id.rsplit("_", 1)[-1]
        doc = await self._keys.find_one({"_id": key_id}, {"revoked_at": 1})
        if doc is None or doc.get("revoked_at") is not None:
            return False
        self.forget(key_id)
        await self._keys.update_one({"_id": key_id}, {"$set": {"revoked_at": utcnow()}})
        return True
