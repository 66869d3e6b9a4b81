"""Webhooks, deliveries, attempts and attempt leases in MongoDB.

Every race here is decided by a unique insert, the one write FerretDB makes
atomic: a delivery is `<event id>:<webhook id>` (a redelivered bus message
inserts nothing), an attempt is claimed by inserting the lease
`<delivery id>:<n>` (two replicas never send attempt n twice), and attempt n
is recorded by inserting `<delivery id>:<n>` into the insert-only attempts.
Whoever records attempt n is the only writer of the delivery's next state.

The endpoints come from the webhook registry (`webhook_registry`: which exist,
whether enabled — a few keyed reads) and their registration documents
(`webhooks`: URL and secret), which only the gateway writes.
"""

import asyncio
from datetime import datetime, timedelta
from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from dossier.contracts.timestamps import utcnow
from dossier.runtime.collections import (
    WEBHOOK_ATTEMPTS,
    WEBHOOK_DELIVERIES,
    WEBHOOK_LEASES,
    WEBHOOKS,
)
from dossier.runtime.mongo import Document
from dossier.runtime.webhook_registry import WebhookRegistry

PENDING, DELIVERED, FAILED, ABANDONED = "pending", "delivered", "failed", "abandoned"
#: The error of an attempt whose sender vanished; it does not count against the endpoint.
LOST = "lost: the delivery worker stopped during the attempt"


def attempt_id(delivery_id: str, attempt: int) -> str:
    return f"{delivery_id}:{attempt}"


def is_live(webhook: Document | None, endpoint: Document | None) -> bool:
    """Registered (its document, with the secret, exists), listed and enabled."""
    return (
        webhook is not None
        and webhook.get("deleted_at") is None
        and endpoint is not None
        and bool(endpoint.get("enabled"))
    )


class WebhookStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.webhooks = db[WEBHOOKS]
        self.deliveries = db[WEBHOOK_DELIVERIES]
        self.attempts = db[WEBHOOK_ATTEMPTS]
        self.leases = db[WEBHOOK_LEASES]
        self.registry = WebhookRegistry(db)

    async def ensure_indexes(self) -> None:
        await self.deliveries.create_index([("status", ASCENDING), ("next_attempt_at", ASCENDING)])
        await self.attempts.create_index([("webhook_id", ASCENDING), ("at", DESCENDING)])

    # fan-out ------------------------------------------------------------------------------
    async def endpoints(self, partner_id: str, environment: str) -> list[Document]:
        """The partner's endpoints in this environment (a few keyed reads)."""
        return await self.registry.endpoints(partner_id, environment)

    async def enqueue(self, delivery: Document) -> bool:
        """Insert the delivery unless it exists. False if it did (a redelivered message)."""
        try:
            await self.deliveries.insert_one(delivery)
        except DuplicateKeyError:
            return False
        return True

    # the delivery loop ----------------------------------------------------------------------
    async def due(self, now: datetime, limit: int) -> list[Document]:
        cursor = (
            self.deliveries.find({"status": PENDING, "next_attempt_at": {"$lte": now}})
            .sort("next_attempt_at", ASCENDING)
            .limit(limit)
        )
        return [d async for d in cursor]

    async def claim(self, delivery_id: str, attempt: int, lease: timedelta, owner: str) -> bool:
        """Take attempt `attempt` of the delivery. False if another worker already has."""
        now = utcnow()
        try:
            await self.leases.insert_one(
                {
                    "_id": attempt_id(delivery_id, attempt),
                    "owner": owner,
                    "claimed_at": now,
                    "expires_at": now + lease,
                }
            )
        except DuplicateKeyError:
            return False
        return True

    async def lease_expired(self, delivery_id: str, attempt: int, now: datetime) -> bool:
        lease = await self.leases.find_one({"_id": attempt_id(delivery_id, attempt)})
        return lease is not None and lease["expires_at"] < now

    async def record_attempt(self, record: Document) -> bool:
        """Insert-only. False if attempt n was already recorded (by a lost-lease recovery)."""
        try:
            await self.attempts.insert_one(record)
        except DuplicateKeyError:
            return False
        return True

    async def update_delivery(self, delivery_id: str, fields: dict[str, Any]) -> None:
        await self.deliveries.update_one({"_id": delivery_id}, {"$set": fields})

    async def endpoint(self, delivery: Document) -> tuple[Document | None, Document | None]:
        """(the registration document, the registry's entry) of the delivery's endpoint."""
        return await asyncio.gather(
            self.webhooks.find_one({"_id": delivery["webhook_id"]}),
            self.registry.endpoint(
                delivery["partner_id"], delivery["environment"], delivery["webhook_id"]
            ),
        )

    async def latest_results(self, webhook_id: str, count: int) -> list[bool]:
        """Whether each of the endpoint's `count` latest attempts succeeded, newest first
        (lost attempts are ours, not the endpoint's, and are skipped)."""
        cursor = (
            self.attempts.find(
                {"webhook_id": webhook_id, "error": {"$ne": LOST}}, {"result": 1, "at": 1}
            )
            .sort("at", DESCENDING)
            .limit(count)
        )
        return [doc.get("result") == DELIVERED async for doc in cursor]

    async def disable(
        self, partner_id: str, environment: str, webhook_id: str, reason: str, when: datetime
    ) -> bool:
        """Turn the endpoint off in the registry (a new version: no write to the gateway's
        registration document). False if it is deleted or off already."""
        return await self.registry.disable(partner_id, environment, webhook_id, reason, when)
