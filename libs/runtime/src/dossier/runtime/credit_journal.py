"""The credit journal: per partner, an append-only chain of the events that move its credits.

The monthly credit check runs before every new live analysis and needs, by `{_id}`
reads only, (a) the credits charged this calendar month and (b) the live analyses
accepted but not settled yet. Both change when any gateway replica accepts an
analysis and when billing, on any partition, charges or releases one. A counter
document updated by all of them would lose updates on FerretDB, whose updates are
not atomic. Instead, each event is a new link `<partner>:<seq>` inserted at head + 1:
the unique `_id` lets exactly one writer take each position, the loser re-reads the
head and tries the next one (a dense sequence, `dense.py`). Every link carries the
running totals after its event, so the head alone answers the check — one round of
four keyed reads from where this process last saw the head.

Totals (`Totals`):

- `month` — the UTC month of the link; it never goes backwards along the chain;
- `credits` — credits charged in `month`, up to and including this link;
- `held` — per acceptance month, live analyses accepted and not settled yet. Only
  the link's month and the one before are kept: an analysis whose end was never
  announced (a process died between deciding `failed` and publishing it) stops
  counting after at most two months instead of forever.

Who appends: the gateway `accepted:<token>` when it accepts a live analysis of a
partner with a limit (and keeps a hold, `credit_holds` `<partner>:<token>`, saying in
which month); billing `charged:<token>` for every live charge (settling the hold if
there is one) and `released:<token>` when a held analysis fails or is canceled.

Idempotency. Billing consumes at least once. A link names its event, and a retried
event first looks for its own link from a lower bound its first attempt recorded
(the ledger entry's `chain_from`, the hold's `release_from`) — so an event is never
counted twice, and the search is short.

Nothing here names an analysis or a candidate: tokens are digests
(`usage_sheets.analysis_token`).
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from dossier.contracts.timestamps import utcnow
from dossier.runtime.collections import CREDIT_HOLDS, CREDIT_JOURNAL
from dossier.runtime.dense import CHUNK, fetch_many
from dossier.runtime.mongo import Document
from dossier.runtime.sequenced_log import SequencedLog
from dossier.runtime.usage_sheets import month_key

log = logging.getLogger(__name__)

_MAX_APPEND_ATTEMPTS = 200


def previous_month(month: str) -> str:
    year, number = int(month[:4]), int(month[5:7])
    return f"{year - 1}-12" if number == 1 else f"{year}-{number - 1:02d}"


@dataclass(frozen=True)
class Totals:
    """The running totals a link carries (see the module docstring)."""

    month: str
    credits: int = 0
    held: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, link: Document | None) -> "Totals | None":
        if link is None:
            return None
        return cls(
            link["month"], int(link["credits"]), {k: int(v) for k, v in link["held"].items()}
        )

    def position(self, now: datetime) -> tuple[int, int]:
        """(credits charged in `now`'s month, live analyses held since last month)."""
        month = month_key(now)
        used = self.credits if self.month >= month else 0
        pending = sum(n for m, n in self.held.items() if m >= previous_month(month))
        return used, pending


def advance(
    totals: Totals | None,
    month: str,
    *,
    credits: int = 0,
    accepted: bool = False,
    settles: str | None = None,
) -> Totals:
    """The totals after one event in `month`, from the previous link's (None: the first).

    `credits`: charged now; `accepted`: a live analysis was accepted now (held in the
    resulting month); `settles`: the acceptance month of a held analysis now charged or
    ended (a month no longer kept is simply not counted any more).
    """
    current = max(totals.month, month) if totals is not None else month
    kept = {previous_month(current), current}
    held = {m: n for m, n in (totals.held if totals else {}).items() if m in kept}
    if accepted:
        held[current] = held.get(current, 0) + 1
    if settles is not None and held.get(settles, 0) > 0:
        held[settles] -= 1
    carried = totals.credits if totals is not None and totals.month == current else 0
    return Totals(current, carried + credits, held)


def link_id(partner_id: str, seq: int) -> str:
    return f"{partner_id}:{seq:012d}"


def hold_id(partner_id: str, token: str) -> str:
    return f"{partner_id}:{token}"


@dataclass(frozen=True)
class Head:
    seq: int  # 0: the chain is empty
    totals: Totals | None


class CreditJournal:
    """Appends to and reads partners' chains. One instance per process: it keeps, per
    partner, where it last saw the head (a hint: a stale one costs one more round)."""

    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.links: AsyncCollection[Document] = db[CREDIT_JOURNAL]
        self.holds: AsyncCollection[Document] = db[CREDIT_HOLDS]
        self._log = SequencedLog(self.links)

    async def head(self, partner_id: str) -> Head:
        seq, link = await self._log.last(partner_id)
        return Head(seq, Totals.of(link))

    async def append(
        self,
        partner_id: str,
        event: str,
        advance: Callable[[Totals | None], Totals],
    ) -> Document:
        """Append one event after the current head; `advance` computes its totals from the
        head's. Returns the link."""

        def build(_seq: int, previous: Document | None) -> Document:
            totals = advance(Totals.of(previous))
            return {
                "partner_id": partner_id,
                "event": event,
                "at": utcnow(),
                "month": totals.month,
                "credits": totals.credits,
                "held": totals.held,
            }

        return await self._log.append(partner_id, build)

    async def find_event(self, partner_id: str, event: str, after: int) -> Document | None:
        """The link of `event` appended after position `after`, if any (a retry's check)."""
        seq = after + 1
        while True:
            links = await fetch_many(
                self.links, [link_id(partner_id, seq + i) for i in range(CHUNK)]
            )
            for link in links:
                if link is None:
                    return None
                if link["event"] == event:
                    return link
            seq += CHUNK

    # holds ------------------------------------------------------------------------------
    async def hold(self, partner_id: str, token: str, link: Document) -> None:
        """Record that the analysis `token` holds a credit since `link` (its `accepted`)."""
        await self.holds.insert_one(
            {
                "_id": hold_id(partner_id, token),
                "partner_id": partner_id,
                "month": link["month"],
                "seq": link["seq"],
                "at": link["at"],
            }
        )

    async def held(self, partner_id: str, token: str) -> Document | None:
        return await self.holds.find_one({"_id": hold_id(partner_id, token)})
