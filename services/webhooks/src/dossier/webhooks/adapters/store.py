"""Deliveries, the queue of pending ones, attempts and their leases, and each endpoint's
attempt log, in MongoDB — every read and write by `_id` but one (the queue, below).

Every race here is decided by a unique insert, the one write FerretDB makes
atomic, and every other document has one writer at a time:

- `webhook_deliveries` `<event id>:<webhook id>`: one per event and endpoint,
  inserted by the fan-out (a redelivered bus message inserts nothing) or by the
  gateway (a test event), given its final status by whoever finishes it — again
  after a redelivery the partner asked for (`dossier.runtime.webhook_queue`);
- `webhook_pending`, same `_id`: what still waits for an attempt, and when.
  Inserted with the delivery, moved on by the recorder of each attempt, removed
  when the delivery is delivered, failed or abandoned — so it holds the work in
  flight, never the history;
- `webhook_attempt_leases` `<delivery id>:<n>`: the claim of attempt n (two
  replicas never send attempt n twice);
- `webhook_attempts` `<delivery id>:<n>`: the record of attempt n, insert-only.
  Whoever inserts it — the sender, or a replica that found the sender's lease
  expired and records the attempt as lost — is the one who moves the delivery on;
- `webhook_attempt_log` `<webhook id>:<seq>`: the same attempts per endpoint, in
  order (a `SequencedLog`), each pointing at its record and carrying the
  endpoint's failure streak so far — how the gateway lists an endpoint's
  attempts and how the dispatcher knows when to disable it, without a query.
  Its entries name no analysis (the record does): erasing an analysis removes
  the records and leaves the log whole, so positions never go missing and the
  streak stays exact;
- the endpoints themselves come from the webhook registry (`webhook_registry`)
  and their registration documents (`webhooks`, for the URL and secret).
"""

import asyncio
from collections.abc import Callable, Collection
from datetime import datetime, timedelta
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from dossier.contracts.timestamps import utcnow
from dossier.runtime.collections import (
    WEBHOOK_ATTEMPT_LOG,
    WEBHOOK_ATTEMPTS,
    WEBHOOK_DELIVERIES,
    WEBHOOK_LEASES,
    WEBHOOK_PENDING,
    WEBHOOKS,
)
from dossier.runtime.mongo import Document
from dossier.runtime.sequenced_log import SequencedLog
from dossier.runtime.webhook_queue import DeliveryQueue
from dossier.runtime.webhook_registry import WebhookRegistry

DELIVERED, FAILED, ABANDONED = "delivered", "failed", "abandoned"
#: The result of an attempt that failed with retries left.
RETRYING = "retrying"
#: The error of an attempt whose sender vanished; it does not count against the endpoint.
LOST = "lost: the delivery worker stopped during the attempt"


def attempt_id(delivery_id: str, attempt: int) -> str:
    return f"{delivery_id}:{attempt}"


def precedes(at: datetime, reset: datetime | None) -> bool:
    return reset is not None and at < reset


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
        self.pending = db[WEBHOOK_PENDING]
        self.attempts = db[WEBHOOK_ATTEMPTS]
        self.leases = db[WEBHOOK_LEASES]
        self.registry = WebhookRegistry(db)
        self.queue = DeliveryQueue(db)
        self.attempt_log = SequencedLog(db[WEBHOOK_ATTEMPT_LOG])

    # fan-out ------------------------------------------------------------------------------
    async def endpoints(self, partner_id: str, environment: str) -> list[Document]:
        """The partner's endpoints in this environment (a few keyed reads)."""
        return await self.registry.endpoints(partner_id, environment)

    async def enqueue(self, delivery: Document) -> bool:
        """Record the delivery and queue it. False if it existed (a redelivered message)."""
        return await self.queue.enqueue(delivery)

    # the delivery loop ----------------------------------------------------------------------
    async def due(
        self,
        now: datetime,
        limit: int,
        *,
        skip_deliveries: Collection[str] = (),
        skip_partners: Collection[str] = (),
        skip_webhooks: Collection[str] = (),
    ) -> list[Document]:
        """Queued deliveries whose next attempt is due, oldest first, at most `limit`,
        leaving out those the caller cannot start now (already running here, or a partner
        or endpoint at its cap) so they never crowd others out of the `limit`.

        The one query here that is not by `_id`, run by the delivery loop (a background
        job) every poll: on FerretDB it reads the whole queue, which holds only the
        deliveries in flight — each leaves it when delivered, failed or abandoned — so
        its cost is bounded by the work waiting (events × endpoints within the retry
        schedule), never by the history of deliveries. On MongoDB an index on
        `next_attempt_at` serves it (`dossier.runtime.indexes`); the exclusions are
        checked on the due entries it finds."""
        query: dict[str, Any] = {"next_attempt_at": {"$lte": now}}
        for name, skipped in (
            ("_id", skip_deliveries),
            ("partner_id", skip_partners),
            ("webhook_id", skip_webhooks),
        ):
            if skipped:
                query[name] = {"$nin": sorted(skipped)}
        cursor = self.pending.find(query).sort("next_attempt_at", ASCENDING).limit(limit)
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

    async def endpoint(self, delivery: Document) -> tuple[Document | None, Document | None]:
        """(the registration document, the registry's entry) of the delivery's endpoint."""
        return await asyncio.gather(
            self.webhooks.find_one({"_id": delivery["webhook_id"]}),
            self.registry.endpoint(
                delivery["partner_id"], delivery["environment"], delivery["webhook_id"]
            ),
        )

    async def record_attempt(self, record: Document) -> bool:
        """Insert-only. False if attempt n was already recorded (by its sender, or by a
        lost-lease recovery)."""
        try:
            await self.attempts.insert_one(record)
        except DuplicateKeyError:
            return False
        return True

    async def recorded_attempt(self, delivery_id: str, attempt: int) -> Document | None:
        return await self.attempts.find_one({"_id": attempt_id(delivery_id, attempt)})

    async def log_attempt(
        self,
        record: Document,
        streak: Callable[[int], int],
        *,
        failures_reset_at: datetime | None = None,
    ) -> Document:
        """Append the attempt to its endpoint's log; `streak(previous streak)` is the
        endpoint's failure streak after it. Returns the log entry.

        Each entry is built from the one before it and inserted at the next position, so
        the streaks of appends by several dispatchers at once are exact. An entry logged
        before `failures_reset_at` (the partner turned the endpoint back on) counts as a
        streak of 0: the reset needs no write to the log, whose only writer is this loop."""

        def build(seq: int, previous: Document | None) -> Document:
            before = (
                int(previous.get("streak", 0))
                if previous and not precedes(previous["at"], failures_reset_at)
                else 0
            )
            return {
                "webhook_id": record["webhook_id"],
                "attempt_id": record["_id"],
                "attempt": record["attempt"],
                "at": record["at"],
                "result": record["result"],
                "status_code": record.get("status_code"),
                "error": record.get("error"),
                "streak": streak(before),
            }

        return await self.attempt_log.append(record["webhook_id"], build)

    async def reschedule(self, delivery_id: str, fields: dict[str, Any]) -> None:
        """Move a pending delivery on to its next attempt."""
        await self.pending.update_one({"_id": delivery_id}, {"$set": fields})

    async def finish(self, delivery_id: str, status: str, fields: dict[str, Any]) -> None:
        """Give the delivery its final status, then take it off the queue (in this order:
        a redelivered bus message that reads the status never queues it again)."""
        await self.deliveries.update_one(
            {"_id": delivery_id}, {"$set": {**fields, "status": status, "finished_at": utcnow()}}
        )
        await self.pending.delete_one({"_id": delivery_id})

    async def disable(
        self, partner_id: str, environment: str, webhook_id: str, reason: str, when: datetime
    ) -> bool:
        """Turn the endpoint off in the registry (a new version: no write to the gateway's
        registration document). False if it is deleted or off already."""
        return await self.registry.disable(partner_id, environment, webhook_id, reason, when)
