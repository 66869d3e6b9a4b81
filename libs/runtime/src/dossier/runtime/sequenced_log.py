"""Per-owner append-only logs addressed by key: `<owner>:<seq>`, never by query.

A log that must be listed or chained (a partner's audit trail, API keys,
analyses, credit journal) is a sequence of documents whose `_id` is the owner
and a zero-padded position, numbered from 1 without gaps. Appending is a unique
insert at the next position, so replicas appending at once never take the same
one (the loser steps onto the winner's entry and tries the next). The last
position is found without a query: this process remembers the last entry it
saw per owner, and otherwise a galloping search over keyed reads finds it
(`dense.last_present`: a round of concurrent reads from a good hint, a few
rounds from nothing). A stale memory costs one failed insert per entry it is
behind; it can never lose or fork an entry.
"""

import asyncio
import random
from collections.abc import AsyncIterator, Callable

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from dossier.runtime.dense import CHUNK, fetch_many, last_present
from dossier.runtime.mongo import Document

_MAX_APPEND_ATTEMPTS = 200

Build = Callable[[int, Document | None], Document]


def entry_id(owner: str, seq: int) -> str:
    return f"{owner}:{seq:012d}"


class SequencedLog:
    def __init__(self, entries: AsyncCollection[Document]) -> None:
        self.entries = entries
        self._last: dict[str, Document] = {}
        self._hints: dict[str, int] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def append(self, owner: str, build: Build, *, after: Document | None = None) -> Document:
        """Insert `build(seq, previous entry)` at the next free position; returns it.

        `after`: the caller just read the last entry (skips finding it again)."""
        # Appends for one owner in this process queue up instead of colliding.
        async with self._locks.setdefault(owner, asyncio.Lock()):
            previous = after or self._last.get(owner)
            if previous is None:
                _, previous = await self.last(owner)
            for _ in range(_MAX_APPEND_ATTEMPTS):
                seq = int(previous["seq"]) + 1 if previous else 1
                entry = {**build(seq, previous), "_id": entry_id(owner, seq), "seq": seq}
                try:
                    await self.entries.insert_one(entry)
                except DuplicateKeyError:
                    # Another writer took this position: step onto its entry and retry.
                    taken = await self.entries.find_one({"_id": entry_id(owner, seq)})
                    if taken is not None:
                        previous = taken
                    else:
                        await asyncio.sleep(random.uniform(0, 0.005))  # noqa: S311 - jitter
                    continue
                self._remember(owner, entry)
                return entry
        msg = f"log {owner!r} kept moving; giving up"
        raise RuntimeError(msg)

    def _remember(self, owner: str, entry: Document) -> None:
        self._last[owner] = entry
        self._hints[owner] = int(entry["seq"])

    async def last(self, owner: str) -> tuple[int, Document | None]:
        """The last position and its entry ((0, None) for an empty log): keyed reads only."""

        async def fetch(seq: int) -> Document | None:
            return await self.entries.find_one({"_id": entry_id(owner, seq)})

        seq, entry = await last_present(fetch, self._hints.get(owner, 1), first=1)
        if entry is not None:
            self._remember(owner, entry)
        return seq, entry

    async def read(self, owner: str, *, start: int = 1) -> AsyncIterator[Document]:
        """Every entry from `start` on, in order, by key in concurrent batches."""
        last, _ = await self.last(owner)
        for first in range(start, last + 1, CHUNK):
            ids = [entry_id(owner, seq) for seq in range(first, min(first + CHUNK, last + 1))]
            for doc in await fetch_many(self.entries, ids):
                if doc is not None:  # a deleted row: readers that care see the gap in `seq`
                    yield doc
