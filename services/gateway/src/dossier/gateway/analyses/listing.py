"""`GET /api/v1/analyses`: a partner's analyses, newest first, from keyed lookups only.

Two walks, both backward over a dense, numbered sequence, so a page is a run of
`{_id}` reads and a cursor is just the position to go on from:

- all of the partner's analyses: its log (`partner_log.py`, `<partner>:<seq>`), from
  the last position down; entries of the other environment are skipped;
- one client company's candidate: the reuse key's generations (`reuse.py`,
  `<key>#<n>`), which are exactly that pair's analyses, from the newest down. The key
  already holds the partner and the environment.

Each analysis is then read by `_id` (concurrently, bounded) and checked in Python:
its partner, its environment, and the `status` filter. A page examines at most
`MAX_EXAMINED` entries, so with a filter it may hold fewer than `limit` analyses —
even none — and still carry a `next_cursor`. Nothing is written.
"""

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from dossier.contracts.enums import Environment
from dossier.gateway.analyses.cursor import ListQuery
from dossier.gateway.analyses.partner_log import PartnerAnalyses
from dossier.gateway.analyses.reuse import ReuseIndex, reuse_key
from dossier.runtime.mongo import Document
from dossier.runtime.read_model import AnalysisReadModel

#: Entries one page looks at, at most (each one a keyed read, plus its analysis's).
MAX_EXAMINED = 200
#: Entries read per round while a page fills; a round never reads past what the page
#: still needs by more than this.
MIN_ROUND = 10
#: Analyses read at once.
READ_CONCURRENCY = 16

#: The analysis ids at these positions of the walk (None: nothing to show there).
IdsAt = Callable[[Sequence[int]], Awaitable[list[str | None]]]


@dataclass(frozen=True)
class Page:
    analyses: list[Document]
    next_position: int | None  # where the next page starts; None: the walk is done


@dataclass(frozen=True)
class Walk:
    """Where a listing reads: the newest position and the ids at any positions."""

    newest: Callable[[], Awaitable[int]]
    ids_at: IdsAt


class AnalysisListing:
    def __init__(
        self, read_model: AnalysisReadModel, partner_log: PartnerAnalyses, reuse: ReuseIndex
    ) -> None:
        self._read_model, self._partner_log, self._reuse = read_model, partner_log, reuse

    def walk(self, partner_id: str, environment: Environment, query: ListQuery) -> Walk:
        """The partner's log, or the reuse generations when client and candidate are given."""
        if query.client_id is not None and query.candidate_id is not None:
            key = reuse_key(partner_id, environment, query.client_id, query.candidate_id)
            return Walk(
                newest=lambda: self._reuse.newest(key),
                ids_at=lambda positions: self._reuse.analysis_ids(key, positions),
            )
        return Walk(
            newest=lambda: self._partner_log.last_position(partner_id),
            ids_at=lambda positions: self._partner_log.analysis_ids(
                partner_id, positions, environment
            ),
        )

    async def page(
        self,
        *,
        partner_id: str,
        environment: Environment,
        query: ListQuery,
        limit: int,
        start: int | None,
    ) -> Page:
        """Up to `limit` analyses at or below position `start` (None: from the newest)."""
        walk = self.walk(partner_id, environment, query)

        def keep(doc: Document) -> bool:
            return (
                doc.get("partner_id") == partner_id
                and doc.get("environment") == environment.value
                and (query.status is None or doc.get("status") == query.status)
            )

        return await collect(
            walk.ids_at,
            self._read_one,
            keep,
            start=await walk.newest() if start is None else start,
            limit=limit,
        )

    async def _read_one(self, analysis_id: str) -> Document | None:
        return await self._read_model.get(analysis_id)


async def collect(
    ids_at: IdsAt,
    read: Callable[[str], Awaitable[Document | None]],
    keep: Callable[[Document], bool],
    *,
    start: int,
    limit: int,
) -> Page:
    """Walk positions `start`, `start - 1`, … 1 in rounds; keep up to `limit` analyses."""
    found: list[Document] = []
    position, examined = start, 0
    gate = asyncio.Semaphore(READ_CONCURRENCY)

    async def bounded(analysis_id: str | None) -> Document | None:
        if analysis_id is None:
            return None
        async with gate:
            return await read(analysis_id)

    while position >= 1 and len(found) < limit and examined < MAX_EXAMINED:
        size = min(position, MAX_EXAMINED - examined, max(limit - len(found), MIN_ROUND))
        positions = list(range(position, position - size, -1))
        ids = await ids_at(positions)
        docs = await asyncio.gather(*(bounded(i) for i in ids))
        for at, doc in zip(positions, docs, strict=True):
            position, examined = at - 1, examined + 1
            if doc is not None and keep(doc):
                found.append(doc)
                if len(found) == limit:
                    break
    return Page(found, position if position >= 1 else None)
