"""Idempotency records: `_id = <partner>:<environment>:<key>`, decided by unique insert.

The request whose insert wins owns the record (`pending`) and is its only writer:
it completes it with the response, or deletes it on a 5xx so the client may
retry. Everyone else reads. Records live `DOSSIER_IDEMPOTENCY_TTL_SECONDS`
(24 h) by their stored `expires_at`: a TTL index where the server has them
(`dossier.runtime.indexes`), and an expired record is replaced on the next use of its key.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from dossier.contracts.timestamps import utcnow
from dossier.runtime.collections import IDEMPOTENCY
from dossier.runtime.mongo import Document

#: A `pending` record older than this belongs to a request that died: its key is free again.
PENDING_LEASE = timedelta(seconds=60)


@dataclass(frozen=True)
class StoredResponse:
    status: int
    body: bytes | None  # None when the response held a secret (never stored)
    content_type: str | None
    headers: dict[str, str]
    resource_id: str | None = None


def is_stale(record: Document, now: datetime) -> bool:
    expired = record["expires_at"] <= now
    abandoned = record["state"] == "pending" and record["created_at"] <= now - PENDING_LEASE
    return bool(expired or abandoned)


class IdempotencyRepository:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._records = db[IDEMPOTENCY]

    async def begin(
        self, record_id: str, *, fingerprint: str, method: str, path: str, ttl: timedelta
    ) -> Document | None:
        """Claim the key (`None`: this request owns it), else the record already there."""
        now = utcnow()
        try:
            await self._records.insert_one(
                {
                    "_id": record_id,
                    "state": "pending",
                    "fingerprint": fingerprint,
                    "method": method,
                    "path": path,
                    "created_at": now,
                    "expires_at": now + ttl,
                }
            )
        except DuplicateKeyError:
            return await self._records.find_one({"_id": record_id})
        return None

    async def get(self, record_id: str) -> Document | None:
        return await self._records.find_one({"_id": record_id})

    async def complete(self, record_id: str, response: StoredResponse) -> None:
        await self._records.update_one(
            {"_id": record_id},
            {
                "$set": {
                    "state": "completed",
                    "completed_at": utcnow(),
                    "status": response.status,
                    "body": response.body,
                    "content_type": response.content_type,
                    "headers": response.headers,
                    "secret_withheld": response.body is None,
                    "resource_id": response.resource_id,
                }
            },
        )

    async def release(self, record_id: str) -> None:
        """The owner gives the key back (a 5xx, or the request died): the client may retry.

        Only the owner of a pending record calls this, and only it would complete the
        record, so deleting by `_id` cannot remove a completed response."""
        await self._records.delete_one({"_id": record_id})

    async def remove_stale(self, record: Document) -> None:
        """Free an expired or abandoned record's key (only that version of it).

        Read and delete by `_id` (the store's conditional delete is no more atomic than
        this: it also finds, then deletes by `_id`)."""
        current = await self._records.find_one({"_id": record["_id"]}, {"created_at": 1})
        if current is not None and current["created_at"] == record["created_at"]:
            await self._records.delete_one({"_id": record["_id"]})


def stored_response(record: Document) -> StoredResponse:
    body = record.get("body")
    return StoredResponse(
        status=int(record["status"]),
        body=bytes(body) if body is not None else None,
        content_type=record.get("content_type"),
        headers=dict(record.get("headers") or {}),
        resource_id=record.get("resource_id"),
    )
