"""Rate-limit slots in MongoDB: one document per admitted request and window.

A request takes slot `n` of a window by inserting `_id=<bucket>:<window>:<n>`;
the unique `_id` decides races between replicas (an insert is atomic on FerretDB,
where `$inc` is not). Each replica remembers the next slot number it expects per
window, so the usual cost is one insert per window; after a collision with
another replica it finds the next free slot by `_id` lookups (`first_free_slot`).
Once a window is known full, refusals cost nothing.

Old windows expire by their stored `expires_at`: a TTL index where the server has
them, and a sweep at most once a minute per replica everywhere.
"""

import asyncio
import contextlib
import logging
import time
from datetime import UTC, datetime

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError, OperationFailure

from dossier.gateway.ratelimit.limiter import Window, expiry_of, first_free_slot, slot_id
from dossier.runtime.collections import RATE_LIMITS
from dossier.runtime.mongo import Document

log = logging.getLogger(__name__)

SWEEP_EVERY_SECONDS = 60.0


async def ensure_indexes(db: AsyncDatabase[Document]) -> None:
    slots = db[RATE_LIMITS]
    try:
        await slots.create_index([("expires_at", 1)], expireAfterSeconds=0)
    except OperationFailure:  # no TTL indexes on this server: the sweep does it alone
        log.info("TTL index not supported; rate-limit slots expire by sweep only")
        await slots.create_index([("expires_at", 1)])


class RateLimitRepository:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._slots = db[RATE_LIMITS]
        self._next: dict[str, tuple[int, float]] = {}  # window id → (next slot, window end)
        self._last_sweep = 0.0
        self._sweeps: set[asyncio.Task[None]] = set()

    async def take(self, window: Window, bucket: str) -> int | None:
        """Take a free slot of `window` for `bucket`: its number, or `None` if the window is full."""
        window_id = window.id(bucket)
        self._maybe_sweep()
        n = self._reserve(window_id, window)
        while n is not None:
            try:
                await self._slots.insert_one(
                    {
                        "_id": slot_id(window_id, n),
                        "window": window_id,
                        "expires_at": expiry_of(window),
                    }
                )
            except DuplicateKeyError:
                # Another replica got there first: skip past what it has taken.
                n = await first_free_slot(n + 1, window.limit, lambda i: self._taken(window_id, i))
                if n is None:
                    self._advance(window_id, window, window.limit)
                    return None
                self._advance(window_id, window, n + 1)
                continue
            return n
        return None

    def _reserve(self, window_id: str, window: Window) -> int | None:
        """This replica's next slot guess, claimed at once so concurrent requests differ."""
        n, _ = self._next.get(window_id, (0, 0.0))
        if n >= window.limit:
            return None
        self._next[window_id] = (n + 1, window.ends_at.timestamp())
        return n

    def _advance(self, window_id: str, window: Window, n: int) -> None:
        current, _ = self._next.get(window_id, (0, 0.0))
        self._next[window_id] = (max(current, n), window.ends_at.timestamp())

    async def _taken(self, window_id: str, n: int) -> bool:
        found = await self._slots.find_one({"_id": slot_id(window_id, n)}, {"_id": 1})
        return found is not None

    def _maybe_sweep(self) -> None:
        now = time.time()
        if now - self._last_sweep < SWEEP_EVERY_SECONDS:
            return
        self._last_sweep = now
        self._next = {k: v for k, v in self._next.items() if v[1] > now}
        task = asyncio.create_task(self._sweep())
        self._sweeps.add(task)
        task.add_done_callback(self._sweeps.discard)

    async def _sweep(self) -> None:
        with contextlib.suppress(Exception):  # best effort: the next sweep tries again
            await self._slots.delete_many({"expires_at": {"$lt": datetime.now(UTC)}})
