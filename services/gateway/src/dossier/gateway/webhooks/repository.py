"""Webhook endpoints and their delivery attempts in MongoDB (queries only).

- `webhooks` `wh_…`: the registration document (URL, events, signing secret),
  written by the gateway alone: inserted at registration, stamped `deleted_at`
  when deleted (kept for the export and the audit trail).
- `webhook_registry`: which endpoints a partner has per environment and whether
  they are enabled — versioned, shared with the webhooks service, which writes a
  version when it disables a failing endpoint (`dossier.runtime.webhook_registry`).
  Ownership is the registry's key: the caller's partner and environment.
"""

from datetime import datetime

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.database import AsyncDatabase

from dossier.runtime.collections import WEBHOOK_ATTEMPTS, WEBHOOKS
from dossier.runtime.mongo import Document
from dossier.runtime.webhook_registry import WebhookRegistry


class WebhookRepository:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._webhooks = db[WEBHOOKS]
        self._attempts = db[WEBHOOK_ATTEMPTS]
        self.registry = WebhookRegistry(db)

    async def ensure_indexes(self) -> None:
        await self._attempts.create_index([("webhook_id", ASCENDING), ("at", DESCENDING)])

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
        cursor = self._attempts.find({"webhook_id": webhook_id}).sort("at", DESCENDING).limit(limit)
        return [doc async for doc in cursor]
