"""Webhook endpoints and their delivery attempts in MongoDB (queries only).

The gateway writes an endpoint when it is registered and when it is deleted;
the webhooks service writes only `enabled`/`disabled_at`/`disabled_reason`
when it disables a failing endpoint. Deleting sets `deleted_at` and
`enabled: false`, both idempotent: deleting twice, or deleting an endpoint the
service is disabling, leaves it deleted and sending nothing either way.
"""

from datetime import datetime

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.database import AsyncDatabase

from dossier.runtime.collections import WEBHOOK_ATTEMPTS, WEBHOOKS
from dossier.runtime.mongo import Document

_DELETE_WRITE_CHECKS = 3


class WebhookRepository:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._webhooks = db[WEBHOOKS]
        self._attempts = db[WEBHOOK_ATTEMPTS]

    async def ensure_indexes(self) -> None:
        await self._webhooks.create_index([("partner_id", ASCENDING), ("environment", ASCENDING)])
        await self._attempts.create_index([("webhook_id", ASCENDING), ("at", DESCENDING)])

    async def insert(self, webhook: Document) -> None:
        await self._webhooks.insert_one(webhook)

    async def get(self, webhook_id: str, partner_id: str, environment: str) -> Document | None:
        """Another partner's (or environment's) endpoint, or a deleted one, is not found."""
        doc = await self._webhooks.find_one(
            {"_id": webhook_id, "partner_id": partner_id, "environment": environment}
        )
        return None if doc is None or doc.get("deleted_at") is not None else doc

    async def for_partner(self, partner_id: str, environment: str) -> list[Document]:
        cursor = self._webhooks.find({"partner_id": partner_id, "environment": environment}).sort(
            "created_at", ASCENDING
        )
        return [doc async for doc in cursor if doc.get("deleted_at") is None]

    async def mark_deleted(self, webhook_id: str, when: datetime) -> None:
        """Soft delete (attempts stay listable for the audit trail). On FerretDB an update
        rewrites the whole document, so a concurrent disable by the webhooks service could
        drop `deleted_at`; write until it reads back."""
        for _ in range(_DELETE_WRITE_CHECKS):
            await self._webhooks.update_one(
                {"_id": webhook_id},
                {"$set": {"deleted_at": when, "enabled": False}},
            )
            doc = await self._webhooks.find_one({"_id": webhook_id}, {"deleted_at": 1})
            if doc is None or doc.get("deleted_at") is not None:
                return

    async def attempts(self, webhook_id: str, limit: int) -> list[Document]:
        cursor = self._attempts.find({"webhook_id": webhook_id}).sort("at", DESCENDING).limit(limit)
        return [doc async for doc in cursor]
