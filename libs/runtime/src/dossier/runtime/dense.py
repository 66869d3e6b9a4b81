"""Dense sequences: documents numbered n = first, first+1, … with no gaps, read by key only.

A writer appends at `last + 1` by unique insert, so any number of writers can
share a sequence (the loser of a position re-reads and tries the next), and a
number n exists only if every number before it does. Finding the last document
is then a search on a monotone predicate — present up to the end, absent after —
which costs one round of four concurrent `{_id}` reads from a good hint, and a
few rounds from nothing (`last_present`).
"""

import asyncio
from collections.abc import Awaitable, Callable, Sequence

from pymongo.asynchronous.collection import AsyncCollection

from dossier.runtime.mongo import Document

#: Concurrent keyed reads per round.
CHUNK = 64
#: A gallop reads h, h+1, h+2, h+4, … h+2^(width-1) at once (h: the last number believed
#: present): a narrow first round (a good hint is usually right or one behind), then wide ones.
_FIRST_WIDTH, _WIDTH = 3, 12
#: A bisection round probes this many interior positions at once.
_SPLIT = 16

Fetch = Callable[[int], Awaitable[Document | None]]


async def fetch_many(
    collection: AsyncCollection[Document], ids: Sequence[str], *, chunk: int = CHUNK
) -> list[Document | None]:
    """`find_one({_id})` for every id, `chunk` at a time (FerretDB serves `$in` by a scan)."""
    found: list[Document | None] = []
    for at in range(0, len(ids), chunk):
        found += await asyncio.gather(
            *(collection.find_one({"_id": doc_id}) for doc_id in ids[at : at + chunk])
        )
    return found


async def last_present(fetch: Fetch, start: int, *, first: int) -> tuple[int, Document | None]:
    """The last number present and its document; `(first - 1, None)` if there is none.

    `start` is a hint, e.g. the last number seen before: the search reads `start - 1`
    (to return it if nothing follows) and gallops on from there. A hint past the end
    of the sequence (it was dropped and rebuilt) restarts the search from `first`.
    """
    base, width = max(start, first) - 1, _FIRST_WIDTH
    while True:
        positions = [base, *(base + 2**i for i in range(width))]
        docs = await asyncio.gather(*(_fetch_from(fetch, p, first) for p in positions))
        if base >= first and docs[0] is None:  # stale hint
            base = first - 1
            continue
        absent_at = next((i for i, d in enumerate(docs) if i and d is None), None)
        if absent_at is None:  # all present: gallop on from the farthest
            base, width = positions[-1], _WIDTH
            continue
        return await _bisect(
            fetch, positions[absent_at - 1], docs[absent_at - 1], positions[absent_at]
        )


async def _fetch_from(fetch: Fetch, position: int, first: int) -> Document | None:
    return await fetch(position) if position >= first else None


async def _bisect(
    fetch: Fetch, low: int, low_doc: Document | None, high: int
) -> tuple[int, Document | None]:
    """`low` is present and `high` absent: narrow to adjacent positions."""
    while high - low > 1:
        gap = high - low
        probes = sorted({low + max(1, gap * k // (_SPLIT + 1)) for k in range(1, _SPLIT + 1)})
        probes = [p for p in probes if low < p < high]
        docs = await asyncio.gather(*(fetch(p) for p in probes))
        for position, doc in zip(probes, docs, strict=True):
            if doc is None:
                high = position
                break
            low, low_doc = position, doc
    return low, low_doc
