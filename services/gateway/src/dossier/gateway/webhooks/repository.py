"""Webhook endpoints and their delivery attempts in MongoDB (queries only, all by `_id`).

- `webhooks` `wh_…`: the registration document (URL, events, signing secret),
  written by the gateway alone: inserted at registration, stamped `deleted_at`
  when deleted (kept for the export and the audit trail).
- `webhook_registry`: which endpoints a partner has per environment and whether
  they are enabled — versioned, shared with the webhooks service, which writes a
  version when it disables a failing endpoint (`dossier.runtime.webhook_registry`).
  Ownership is the registry's key: the caller's partner and environment.
- `webhook_deliveries` / `webhook_pending`: the gateway queues a test event and a
  redelivery the partner asks for, by key (`dossier.runtime.webhook_queue`); the
  webhooks service sends them.
- `webhook_attempt_log` `<webhook>:<seq>`: every attempt to one endpoint, in
  order, written by the webhooks service, each entry pointing at the attempt's
  record in `webhook_attempts` (which names the analysis, so erasure removes
  it). Listed newest first by key.
"""

from datetime import datetime
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from dossier.runtime.collections import (
    WEBHOOK_ATTEMPT_LOG,
    WEBHOOK_ATTEMPTS,
    WEBHOOKS,
)
from dossier.runtime.dense import fetch_many
from dossier.runtime.mongo import Document
from dossier.runtime.sequenced_log import SequencedLog, entry_id
from dossier.runtime.webhook_queue import DeliveryQueue
from dossier.runtime.webhook_registry import WebhookRegistry


class WebhookRepository:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._webhooks = db[WEBHOOKS]
        self._log_entries = db[WEBHOOK_ATTEMPT_LOG]
        self._attempt_log = SequencedLog(self._log_entries)
        self._attempts = db[WEBHOOK_ATTEMPTS]
        self.registry = WebhookRegistry(db)
        self.queue = DeliveryQueue(db)

    async def insert(self, webhook: Document) -> None:
        await self._webhooks.insert_one(webhook)

    async def get(self, webhook_id: str) -> Document | None:
        return await self._webhooks.find_one({"_id": webhook_id})

    async def change(self, webhook_id: str, fields: dict[str, Any]) -> None:
        """Update the registration document (the gateway is its only writer)."""
        await self._webhooks.update_one({"_id": webhook_id}, {"$set": fields})

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
        last, _ = await self._attempt_log.last(webhook_id)
        positions = range(last, max(last - limit, 0), -1)
        entries = await fetch_many(self._log_entries, [entry_id(webhook_id, p) for p in positions])
        records = await fetch_many(self._attempts, [e["attempt_id"] for e in entries if e])
        return [r for r in records if r is not None]
