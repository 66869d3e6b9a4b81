"""Rate-limit slots in MongoDB: one document per admitted request and window.

A replica takes block `b` of a window's slots by inserting `_id=<bucket>:<window>:<b>`;
the unique `_id` decides races between replicas (an insert is atomic on FerretDB,
where `$inc` is not), and the block's slots are then handed out from memory. Each
replica remembers the next block it expects per window, so the usual cost is one
insert per block; after a collision with another replica it finds the next free
block by `_id` lookups (`first_free_slot`). Once a window is known full, refusals
cost nothing.

Old windows expire by their stored `expires_at`: a TTL index where the server has
them (`dossier.runtime.indexes`), and a sweep at most once a minute per replica everywhere.
"""

import asyncio
import contextlib
import math
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from dossier.gateway.ratelimit.limiter import (
    Window,
    block_size,
    expiry_of,
    first_free_slot,
    slot_id,
)
from dossier.runtime.collections import RATE_LIMITS
from dossier.runtime.mongo import Document
from dossier.runtime.store_commands import store_job

SWEEP_EVERY_SECONDS = 60.0


@dataclass
class _Lease:
    """Slots [next, end) of one window, owned by this replica."""

    next: int
    end: int


class RateLimitRepository:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._slots = db[RATE_LIMITS]
        self._next: dict[str, tuple[int, float]] = {}  # window id → (next block, window end)
        self._leases: dict[str, _Lease] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._last_sweep = 0.0
        self._sweeps: set[asyncio.Task[None]] = set()

    async def take(self, window: Window, bucket: str) -> int | None:
        """Take a free slot of `window` for `bucket`: its number, or `None` if the window is full.

        Slots are claimed a block at a time (`block_size`): one insert admits a block's worth
        of requests on this replica, so a poller costs a write per block, not per request.
        The limit still holds across replicas (blocks are unique and end at `limit`); a
        replica's unused slots are simply not given out — at the limit, other replicas may
        refuse up to (block − 1) requests per replica early.
        """
        window_id = window.id(bucket)
        self._maybe_sweep()
        n = self._from_lease(window_id)
        if n is not None:
            return n
        # One claim at a time per window on this replica: requests arriving meanwhile share
        # the new block instead of each claiming (and mostly wasting) one.
        async with self._locks.setdefault(window_id, asyncio.Lock()):
            n = self._from_lease(window_id)
            if n is not None:
                return n
            size = block_size(window.limit)
            block = await self._take_block(window_id, window, math.ceil(window.limit / size))
            if block is None:
                return None
            start = block * size
            self._leases[window_id] = _Lease(next=start + 1, end=min(start + size, window.limit))
            return start

    def _from_lease(self, window_id: str) -> int | None:
        lease = self._leases.get(window_id)
        if lease is None or lease.next >= lease.end:
            return None
        lease.next += 1
        return lease.next - 1

    async def _take_block(self, window_id: str, window: Window, blocks: int) -> int | None:
        """Insert the next free block document of the window (`None`: all taken)."""
        n = self._reserve(window_id, window, blocks)
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
                n = await first_free_slot(n + 1, blocks, lambda i: self._taken(window_id, i))
                if n is None:
                    self._advance(window_id, window, blocks)
                    return None
                self._advance(window_id, window, n + 1)
                continue
            return n
        return None

    def _reserve(self, window_id: str, window: Window, blocks: int) -> int | None:
        """This replica's next block guess, claimed at once so concurrent requests differ."""
        n, _ = self._next.get(window_id, (0, 0.0))
        if n >= blocks:
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
        self._leases = {k: v for k, v in self._leases.items() if k in self._next}
        self._locks = {k: v for k, v in self._locks.items() if k in self._next or v.locked()}
        task = asyncio.create_task(self._sweep())
        self._sweeps.add(task)
        task.add_done_callback(self._sweeps.discard)

    @store_job("rate-limit-expiry")
    async def _sweep(self) -> None:
        with contextlib.suppress(Exception):  # best effort: the next sweep tries again
            await self._slots.delete_many({"expires_at": {"$lt": datetime.now(UTC)}})
