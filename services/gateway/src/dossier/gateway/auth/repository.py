"""Partners and their API keys in MongoDB. Only key hashes are ever stored."""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from pymongo.asynchronous.database import AsyncDatabase

from dossier.contracts.enums import Environment
from dossier.contracts.timestamps import utcnow
from dossier.gateway.auth.keys import ParsedKey, generate_key, hash_key, key_matches, parse_key
from dossier.runtime.collections import API_KEYS, PARTNERS
from dossier.runtime.mongo import Document

LAST_USED_GRANULARITY = timedelta(minutes=1)

ALL_SCOPES = (
    "analyses:read",
    "analyses:write",
    "webhooks:manage",
    "usage:read",
    "keys:manage",
)


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


def _partner(doc: Document) -> Partner:
    return Partner(
        id=doc["_id"],
        platform_id=doc["platform_id"],
        name=doc["name"],
        plan=doc.get("plan", "standard"),
        monthly_credits=doc.get("monthly_credits"),
    )


class PartnerRepository:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._partners = db[PARTNERS]
        self._keys = db[API_KEYS]

    async def ensure_indexes(self) -> None:
        await self._keys.create_index([("partner_id", 1)])
        await self._partners.create_index([("platform_id", 1)], unique=True)

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
        doc = await self._keys.find_one({"_id": parsed.key_id})
        if doc is None or not key_matches(raw, doc["hash"]) or doc.get("revoked_at") is not None:
            return None
        partner = await self.get_partner(doc["partner_id"])
        if partner is None:
            return None
        return AuthenticatedKey(
            partner=partner,
            key_id=parsed.key_id,
            kind=kind,
            environment=Environment(doc["environment"]),
            scopes=tuple(doc.get("scopes", ALL_SCOPES)),
            last_used_at=doc.get("last_used_at"),
        )

    async def touch(self, key: AuthenticatedKey, when: datetime) -> None:
        """Record use, at most once a minute per key: a poller must not cost a write per GET."""
        if key.last_used_at is None or when - key.last_used_at > LAST_USED_GRANULARITY:
            await self._keys.update_one({"_id": key.key_id}, {"$set": {"last_used_at": when}})

    async def revoke(self, prefix_or_id: str) -> bool:
        """Soft revoke (kept for the audit trail). Accepts the listed prefix or the key id."""
        key_id = prefix_or_id.rsplit("_", 1)[-1]
        result = await self._keys.update_one(
            {"_id": key_id, "revoked_at": None}, {"$set": {"revoked_at": utcnow()}}
        )
        return result.modified_count == 1
