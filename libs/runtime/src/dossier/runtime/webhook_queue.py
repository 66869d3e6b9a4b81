"""Queueing a webhook delivery, by key: shared by the webhooks service (an event fanned out
to its endpoints) and the gateway (a test event, a redelivery a partner asks for).

- `webhook_deliveries` `<event id>:<webhook id>`: one per event and endpoint,
  inserted once (a unique insert absorbs a redelivered bus message);
- `webhook_pending`, same `_id`: the delivery's next attempt and when it is due.
  The delivery loop (`dossier.webhooks.dispatcher`) takes it from there and
  removes it once the delivery is delivered, failed or abandoned.

A redelivery queues a finished delivery once more: a new pending entry that
continues its attempt numbering, so the next attempt is a new one (its own lease
and record) of the same event, with the same event id.
"""

import contextlib
from datetime import datetime

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from dossier.runtime.collections import WEBHOOK_DELIVERIES, WEBHOOK_PENDING
from dossier.runtime.mongo import Document

PENDING = "pending"
#: What a delivery carries from the fan-out to every attempt (its pending entry copies it).
DELIVERY_FIELDS = (
    "event_id",
    "event_type",
    "analysis_id",
    "webhook_id",
    "partner_id",
    "environment",
    "occurred_at",
)


def delivery_id(event: str, webhook_id: str) -> str:
    """One delivery per event and endpoint: the unique `_id` absorbs redelivered messages."""
    return f"{event}:{webhook_id}"


def pending_entry(delivery: Document, *, attempts: int, due: datetime) -> Document:
    entry = {name: delivery.get(name) for name in DELIVERY_FIELDS}
    entry.update(_id=delivery["_id"], attempts=attempts, next_attempt_at=due, queued_at=due)
    return entry


class DeliveryQueue:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.deliveries = db[WEBHOOK_DELIVERIES]
        self.pending = db[WEBHOOK_PENDING]

    async def enqueue(self, delivery: Document) -> bool:
        """Record the delivery and queue it. False if it existed (a redelivered message).

        The queue entry is inserted after the delivery: if a previous run stopped in
        between, the redelivered message finds the delivery still pending and queues it
        now (a queue entry that was already there, or already done, is left alone)."""
        try:
            await self.deliveries.insert_one(delivery)
        except DuplicateKeyError:
            existing = await self.deliveries.find_one({"_id": delivery["_id"]}, {"status": 1})
            if existing is not None and existing.get("status") == PENDING:
                await self._queue(delivery, attempts=0, due=delivery["created_at"])
            return False
        await self._queue(delivery, attempts=0, due=delivery["created_at"])
        return True

    async def delivery(self, delivery_key: str) -> Document | None:
        return await self.deliveries.find_one({"_id": delivery_key})

    async def redeliver(self, delivery: Document, now: datetime) -> None:
        """Attempt the delivery once more, now. Finished: queued again after its last
        attempt. Still queued (waiting for a retry): its next attempt is moved to now."""
        entry = pending_entry(delivery, attempts=int(delivery.get("attempts", 0)), due=now)
        try:
            await self.pending.insert_one(entry)
        except DuplicateKeyError:
            await self.pending.update_one(
                {"_id": delivery["_id"]}, {"$set": {"next_attempt_at": now}}
            )

    async def _queue(self, delivery: Document, *, attempts: int, due: datetime) -> None:
        with contextlib.suppress(DuplicateKeyError):
            await self.pending.insert_one(pending_entry(delivery, attempts=attempts, due=due))
