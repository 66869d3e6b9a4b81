"""Webhook endpoints and their delivery attempts in MongoDB (queries only, all by `_id`).

- `webhooks` `wh_…`: the registration document (URL, events, signing secret),
  written by the gateway alone: inserted at registration, stamped `deleted_at`
  when deleted (kept for the export and the audit trail).
- `webhook_registry`: which endpoints a partner has per environment and whether
  they are enabled — versioned, shared with the webhooks service, which writes a
  version when it disables a failing endpoint (`dossier.runtime.webhook_registry`).
  Ownership is the registry's key: the caller's partner and environment.
- `webhook_attempt_log` `<webhook>:<seq>`: every attempt to one endpoint, in
  order, written by the webhooks service, each entry pointing at the attempt's
  record in `webhook_attempts` (which names the analysis, so erasure removes
  it). Listed newest first by key.
"""

import asyncio
from collections.abc import Sequence
from datetime import datetime

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from dossier.runtime.collections import (
    WEBHOOK_ATTEMPT_LOG,
    WEBHOOK_ATTEMPT_LOG_HEADS,
    WEBHOOK_ATTEMPTS,
    WEBHOOKS,
)
from dossier.runtime.mongo import Document
from dossier.runtime.sequenced_log import SequencedLog, entry_id
from dossier.runtime.webhook_registry import WebhookRegistry

#: Keyed reads sent at once when listing.
_READ_BATCH = 50


class WebhookRepository:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._webhooks = db[WEBHOOKS]
        self._log_entries = db[WEBHOOK_ATTEMPT_LOG]
        self._attempt_log = SequencedLog(self._log_entries, db[WEBHOOK_ATTEMPT_LOG_HEADS])
        self._attempts = db[WEBHOOK_ATTEMPTS]
        self.registry = WebhookRegistry(db)

    async def ensure_indexes(self) -> None:
        """Nothing to index: every read is by `_id`."""

    async def insert(self, webhook: Document) -> None:
        await self._webhooks.insert_one(webhook)

    async def discard(self, webhook_id: str) -> None:
        """Remove a registration that never made it into the registry (the list was full)."""
        await self._webhooks.delete_one({"_id": webhook_id})

    async def mark_deleted(self, webhook_id: str, when: datetime) -> None:
        """Soft delete of the registration document (its only other writer is its insert)."""
        await self._webhooks.update_one(
            {"_id": webhook_id}, {"$set": {"deleted_at": when, "enabled": False}}
        )

    async def attempts(self, webhook_id: str, limit: int) -> list[Document]:
        """The endpoint's `limit` latest attempts, newest first: its log entries by key down
        from the last position, then the records they point at (an attempt erased with its
        analysis has no record any more and is left out)."""
        last = await self._attempt_log.last_seq(webhook_id)
        positions = range(last, max(last - limit, 0), -1)
        entries = await _by_id(self._log_entries, [entry_id(webhook_id, p) for p in positions])
        return await _by_id(self._attempts, [e["attempt_id"] for e in entries])


async def _by_id(collection: AsyncCollection[Document], ids: Sequence[str]) -> list[Document]:
    """The documents with these ids, in this order, skipping missing ones: keyed reads,
    `_READ_BATCH` at a time (FerretDB serves `{_id: …}` from its index, not `$in`)."""
    found: list[Document] = []
    for start in range(0, len(ids), _READ_BATCH):
        docs = await asyncio.gather(
            *(collection.find_one({"_id": i}) for i in ids[start : start + _READ_BATCH])
        )
        found += [doc for doc in docs if doc is not None]
    return found
