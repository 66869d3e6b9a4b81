"""Which webhook endpoints a partner has, per environment: a short versioned list, by key.

A partner has at most `MAX_ENDPOINTS` endpoints per environment. Their list is
kept as numbered versions, `_id` = `<partner>:<environment>:<n>` (zero-padded,
`sequenced_log.entry_id`): each version is the whole list after one change —
an endpoint registered, changed (URL, events, on/off) or deleted (by the gateway) or disabled after repeated
failures (by the webhooks service). A change reads the latest version n and
inserts version n+1 built from it. The unique `_id` lets exactly one of any
number of concurrent writers take n+1; the others read the winner's version and
rebuild on it. So no change is lost — FerretDB's conditional updates are not
atomic, inserts are — and the cap holds however many registrations race.
Versions are never updated or deleted.

Reading is keyed too: a head hint (`<partner>:<environment>` → a recent n,
written after each change, possibly late or a step behind when writers race),
then versions n and n+1 at once, stepping forward while a newer one exists. A
stale hint costs one read per version it is behind and can never hide one.
Listing endpoints and fanning an event out are these few reads, whatever the
size of the collection; nothing queries by field.

The registration document in `webhooks` (`wh_…`, with the signing secret) is
written by the gateway alone; the registry is the truth for which endpoints
exist and whether they are enabled.
"""

import asyncio
import contextlib
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from dossier.contracts.timestamps import utcnow
from dossier.runtime.collections import WEBHOOK_REGISTRY, WEBHOOK_REGISTRY_HEADS
from dossier.runtime.dense import fetch_many
from dossier.runtime.mongo import Document
from dossier.runtime.sequenced_log import entry_id

#: Endpoints per partner and environment (live and test count separately).
MAX_ENDPOINTS = 10
#: Fields of an endpoint kept in the registry (never the secret).
ENDPOINT_FIELDS = (
    "id",
    "url",
    "events",
    "created_at",
    "enabled",
    "disabled_at",
    "disabled_reason",
    "failures_reset_at",
)
#: Why an endpoint is off when its owner turned it off (`PATCH {"enabled": false}`).
DISABLED_BY_PARTNER = "disabled by you (PATCH enabled: false)"

_MAX_CHANGE_ATTEMPTS = 50


class EndpointLimitReachedError(Exception):
    """The partner already has `MAX_ENDPOINTS` endpoints in this environment."""


def registry_owner(partner_id: str, environment: str) -> str:
    return f"{partner_id}:{environment}"


def endpoint_entry(webhook: Document) -> Document:
    """The registry's copy of a registration document (`_id` becomes `id`; no secret)."""
    source = {**webhook, "id": webhook["_id"]}
    return {name: source.get(name) for name in ENDPOINT_FIELDS}


# pure changes: the list after one change, or None when there is nothing to change ------------
def with_endpoint(
    endpoints: Sequence[Document], entry: Document, limit: int = MAX_ENDPOINTS
) -> list[Document] | None:
    """Add `entry` (None if it is there already); refuse past `limit` endpoints."""
    if any(e["id"] == entry["id"] for e in endpoints):
        return None
    if len(endpoints) >= limit:
        raise EndpointLimitReachedError
    return [*endpoints, entry]


def without_endpoint(endpoints: Sequence[Document], webhook_id: str) -> list[Document] | None:
    """Drop the endpoint (None if it is not there: deleted already)."""
    kept = [e for e in endpoints if e["id"] != webhook_id]
    return kept if len(kept) < len(endpoints) else None


def with_endpoint_disabled(
    endpoints: Sequence[Document], webhook_id: str, reason: str, when: datetime
) -> list[Document] | None:
    """Turn the endpoint off, once (None if it is gone or off already)."""
    if not any(e["id"] == webhook_id and e.get("enabled") for e in endpoints):
        return None
    return [
        {**e, "enabled": False, "disabled_at": when, "disabled_reason": reason}
        if e["id"] == webhook_id
        else dict(e)
        for e in endpoints
    ]


def with_endpoint_changed(
    endpoints: Sequence[Document], webhook_id: str, changes: Document, when: datetime
) -> list[Document] | None:
    """Apply a partner's change (`url`, `events`, `enabled`; None if the endpoint is gone).

    `enabled: true` turns the endpoint on and restarts its count of consecutive failures
    (`failures_reset_at`: attempts logged before it no longer count), even if it was on;
    `enabled: false` turns it off as the partner's own doing."""
    if not any(e["id"] == webhook_id for e in endpoints):
        return None
    changed: list[Document] = []
    for endpoint in endpoints:
        entry = dict(endpoint)
        if entry["id"] == webhook_id:
            entry.update({k: v for k, v in changes.items() if k in ("url", "events")})
            if changes.get("enabled") is True:
                entry.update(
                    enabled=True, disabled_at=None, disabled_reason=None, failures_reset_at=when
                )
            elif changes.get("enabled") is False and entry.get("enabled"):
                entry.update(enabled=False, disabled_at=when, disabled_reason=DISABLED_BY_PARTNER)
        changed.append(entry)
    return changed


class WebhookRegistry:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._versions: AsyncCollection[Document] = db[WEBHOOK_REGISTRY]
        self._heads: AsyncCollection[Document] = db[WEBHOOK_REGISTRY_HEADS]

    # reading ----------------------------------------------------------------------------
    async def endpoints(self, partner_id: str, environment: str) -> list[Document]:
        """The partner's endpoints in this environment, in registration order."""
        latest = await self._latest(registry_owner(partner_id, environment))
        return list(latest["endpoints"]) if latest else []

    async def endpoint(self, partner_id: str, environment: str, webhook_id: str) -> Document | None:
        """One endpoint, if it belongs to this partner and environment and is not deleted."""
        return next(
            (e for e in await self.endpoints(partner_id, environment) if e["id"] == webhook_id),
            None,
        )

    async def ever_listed(self, partner_id: str, environment: str) -> list[Document]:
        """Every endpoint any version listed, in registration order, as last listed; one
        deleted since is turned off (`enabled: false`, as its document says). For the
        partner's export: reads every version by key, so it costs one read per change."""
        owner = registry_owner(partner_id, environment)
        latest = await self._latest(owner)
        last = int(latest["seq"]) if latest else 0
        versions = await fetch_many(self._versions, [entry_id(owner, n) for n in range(1, last)])
        seen: dict[str, Document] = {}
        for version in [*versions, latest]:
            for endpoint in version["endpoints"] if version else []:
                seen[endpoint["id"]] = {**endpoint, "enabled": False}
        current = {e["id"]: e for e in latest["endpoints"]} if latest else {}
        return [current.get(webhook_id, endpoint) for webhook_id, endpoint in seen.items()]

    async def _latest(self, owner: str) -> Document | None:
        hint = await self._heads.find_one({"_id": owner})
        seq = int(hint["seq"]) if hint else 0
        current, newer = await asyncio.gather(
            self._version(owner, seq), self._version(owner, seq + 1)
        )
        while newer is not None:
            current, seq = newer, seq + 1
            newer = await self._version(owner, seq + 1)
        return current

    async def _version(self, owner: str, seq: int) -> Document | None:
        return await self._versions.find_one({"_id": entry_id(owner, seq)}) if seq else None

    # changing (gateway: register, remove; webhooks service: disable) ----------------------
    async def register(
        self, partner_id: str, environment: str, entry: Document, *, limit: int = MAX_ENDPOINTS
    ) -> None:
        """Add an endpoint. Raises `EndpointLimitReachedError` when the list is full."""
        await self._change(
            partner_id,
            environment,
            lambda endpoints: with_endpoint(endpoints, entry, limit),
            change="registered",
            webhook_id=entry["id"],
        )

    async def remove(self, partner_id: str, environment: str, webhook_id: str) -> bool:
        """Delete an endpoint. False if it was not there (another request deleted it)."""
        return await self._change(
            partner_id,
            environment,
            lambda endpoints: without_endpoint(endpoints, webhook_id),
            change="deleted",
            webhook_id=webhook_id,
        )

    async def update(
        self, partner_id: str, environment: str, webhook_id: str, changes: Document, when: datetime
    ) -> bool:
        """The partner's change to one endpoint (`with_endpoint_changed`). False if it is
        not there (deleted meanwhile)."""
        return await self._change(
            partner_id,
            environment,
            lambda endpoints: with_endpoint_changed(endpoints, webhook_id, changes, when),
            change="updated",
            webhook_id=webhook_id,
            fields=sorted(changes),
        )

    async def disable(
        self, partner_id: str, environment: str, webhook_id: str, reason: str, when: datetime
    ) -> bool:
        """Turn an endpoint off, saying why (e.g. it answered `410 Gone`, or kept failing).
        The entry carries `disabled_at` and `disabled_reason`, and so does the version that
        made the change. False if it is deleted or off already."""
        return await self._change(
            partner_id,
            environment,
            lambda endpoints: with_endpoint_disabled(endpoints, webhook_id, reason, when),
            change="disabled",
            webhook_id=webhook_id,
            reason=reason,
        )

    async def _change(
        self,
        partner_id: str,
        environment: str,
        apply: Callable[[list[Document]], list[Document] | None],
        **what: Any,
    ) -> bool:
        """Insert the next version built from the latest one. Each try decides on the
        version it just read, never on a remembered one; losing the insert means someone
        else changed the list first, so read again and rebuild."""
        owner = registry_owner(partner_id, environment)
        for _ in range(_MAX_CHANGE_ATTEMPTS):
            latest = await self._latest(owner)
            endpoints = apply(list(latest["endpoints"]) if latest else [])
            if endpoints is None:
                return False
            seq = int(latest["seq"]) + 1 if latest else 1
            try:
                await self._versions.insert_one(
                    {
                        "_id": entry_id(owner, seq),
                        "seq": seq,
                        "partner_id": partner_id,
                        "environment": environment,
                        "endpoints": endpoints,
                        "at": utcnow(),
                        **what,
                    }
                )
            except DuplicateKeyError:
                continue
            # Two first versions creating the hint at once: either value will do.
            with contextlib.suppress(DuplicateKeyError):
                await self._heads.update_one({"_id": owner}, {"$max": {"seq": seq}}, upsert=True)
            return True
        msg = f"webhook registry {owner!r} kept changing; giving up"
        raise RuntimeError(msg)
