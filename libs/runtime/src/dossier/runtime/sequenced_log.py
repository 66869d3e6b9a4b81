"""Per-owner append-only logs addressed by key: `<owner>:<seq>`, never by query.

A log that must be listed (a partner's audit chain, a partner's API keys) is a
sequence of documents whose `_id` is the owner and a zero-padded position.
Appending is a unique insert at the next position, so replicas appending at
once never take the same one; reading is keyed reads from 1 to the last
position. The last position is found without a query: this process remembers
the last entry it saw per owner, and a heads collection keeps a hint of it for
cold starts and other replicas. A stale hint or memory costs a failed insert
and one read per entry it is behind — it can never lose or fork an entry.
"""

import asyncio
import logging
import random
from collections.abc import AsyncIterator, Callable
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError, PyMongoError

from dossier.runtime.mongo import Document

log = logging.getLogger(__name__)

_MAX_APPEND_ATTEMPTS = 200
_READ_BATCH = 64


def entry_id(owner: str, seq: int) -> str:
    return f"{owner}:{seq:012d}"


class SequencedLog:
    """`entries` holds the log; `heads` the hints, as `<name>:<owner>` (shared by all logs)."""

    def __init__(
        self, name: str, entries: AsyncCollection[Document], heads: AsyncCollection[Document]
    ) -> None:
        self._name, self._entries, self._heads = name, entries, heads
        self._last: dict[str, Document] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._hint_writes: set[asyncio.Task[None]] = set()

    async def append(
        self, owner: str, build: Callable[[int, Document | None], Document]
    ) -> Document:
        """Insert `build(seq, previous entry)` at the next free position; returns it."""
        # Appends for one owner in this process queue up instead of colliding.
        async with self._locks.setdefault(owner, asyncio.Lock()):
            previous = self._last.get(owner)
            if previous is None:
                previous = await self.last_entry(owner)
            for _ in range(_MAX_APPEND_ATTEMPTS):
                seq = int(previous["seq"]) + 1 if previous else 1
                entry = {**build(seq, previous), "_id": entry_id(owner, seq), "seq": seq}
                try:
                    await self._entries.insert_one(entry)
                except DuplicateKeyError:
                    # Another replica took this position: step onto its entry and retry.
                    taken = await self._entries.find_one({"_id": entry_id(owner, seq)})
                    if taken is not None:
                        previous = taken
                    else:
                        await asyncio.sleep(random.uniform(0, 0.01))  # noqa: S311 - jitter
                    continue
                self._last[owner] = entry
                self._hint(owner, seq)
                return entry
        msg = f"log {owner!r} kept moving; giving up"
        raise RuntimeError(msg)

    def _hint(self, owner: str, seq: int) -> None:
        """Record the new last position for others, off the caller's path (a hint only)."""

        async def write() -> None:
            try:
                await self._heads.update_one(
                    {"_id": f"{self._name}:{owner}"}, {"$max": {"seq": seq}}, upsert=True
                )
            except DuplicateKeyError:
                pass  # two first appends creating the hint at once: either value will do
            except PyMongoError:
                log.warning("could not record a log head hint", exc_info=True)

        task = asyncio.create_task(write())
        self._hint_writes.add(task)
        task.add_done_callback(self._hint_writes.discard)

    async def last_seq(self, owner: str) -> int:
        """The last position: the hint, then forward while entries exist."""
        hint = await self._heads.find_one({"_id": f"{self._name}:{owner}"})
        seq = int(hint["seq"]) if hint else 0
        while await self._entries.find_one({"_id": entry_id(owner, seq + 1)}, {"_id": 1}):
            seq += 1
        return seq

    async def last_entry(self, owner: str) -> Document | None:
        seq = await self.last_seq(owner)
        return await self._entries.find_one({"_id": entry_id(owner, seq)}) if seq else None

    async def read(self, owner: str, **projection: Any) -> AsyncIterator[Document]:
        """Every entry in order, by key in concurrent batches up to the last position.

        A missing position (a deleted row) is skipped: readers that care (the audit
        verifier) see the gap in `seq`."""
        last = await self.last_seq(owner)
        fields = projection or None
        for first in range(1, last + 1, _READ_BATCH):
            batch = range(first, min(first + _READ_BATCH, last + 1))
            found = await asyncio.gather(
                *(self._entries.find_one({"_id": entry_id(owner, seq)}, fields) for seq in batch)
            )
            for doc in found:
                if doc is not None:
                    yield doc
