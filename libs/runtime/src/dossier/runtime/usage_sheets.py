"""Usage sheets: what a partner used, per environment and UTC day, kept in documents that
each have exactly one writer, and found with `{_id}` reads only.

- A *writer* is one partition of `analysis.completed` in billing (`p3`: Kafka gives a
  partition to one consumer at a time, and a redelivered message comes back on the
  same partition) or one gateway process (`g` + random hex, chosen at start).
- A writer's *sheet* for a day is `<partner>:<env>:<YYYY-MM-DD>:<writer>`, in its own
  service's collection (`usage_charges`, `usage_reuses`). Nobody else writes it, so
  FerretDB's non-atomic updates lose nothing.
- The *registry* lists, per partner, environment and month, the writers that keep
  sheets: `<partner>:<env>:<YYYY-MM>:<n>` with n = 0, 1, … claimed by unique insert
  (a dense sequence, see `dense.py`). A writer registers before its first write of
  the month (a crash in between leaves an empty entry, never an unlisted sheet).

Reading D days spread over M months with W writers a month costs about M·(W/4 + 1)
rounds of registry reads plus D·W sheet reads, all `{_id}` and issued concurrently:
a year is a few thousand keyed reads, bounded whatever the partner's volume.

Sheets never name an analysis or a candidate: entries are keyed by `analysis_token`
(a digest of the analysis id, as the pseudonymised ledger is), so erasing a candidate
has nothing to remove here, and per-client counts survive it as billing records do.
"""

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from dossier.contracts.enums import Environment
from dossier.contracts.timestamps import utcnow
from dossier.runtime.collections import USAGE_WRITERS
from dossier.runtime.dense import fetch_many
from dossier.runtime.mongo import Document

#: Registry entries read per round.
_REGISTRY_ROUND = 4


def analysis_token(analysis_id: str) -> str:
    """A key for one analysis that does not name it (whoever holds the id can recompute it)."""
    return hashlib.sha256(analysis_id.encode()).hexdigest()[:32]


def client_token(client_id: str) -> str:
    """A field name for a partner's client company id, whatever characters the id holds."""
    return hashlib.sha256(client_id.encode()).hexdigest()[:24]


def day_key(at: datetime | date) -> str:
    return at.strftime("%Y-%m-%d")


def month_key(at: datetime | date) -> str:
    return at.strftime("%Y-%m")


def days_between(first: date, last: date) -> list[date]:
    """Every day from `first` to `last`, both included."""
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def sheet_id(partner_id: str, environment: Environment, day: date | datetime, writer: str) -> str:
    return f"{partner_id}:{environment.value}:{day_key(day)}:{writer}"


def registry_id(partner_id: str, environment: Environment, month: str, n: int) -> str:
    return f"{partner_id}:{environment.value}:{month}:{n}"


@dataclass(frozen=True)
class Writer:
    """A sheet writer: its name in sheet ids, and the collection its sheets are in."""

    name: str
    collection: str


class WriterRegistry:
    """Who keeps sheets for a partner, environment and month (insert-only, dense).

    One instance per process: it remembers what it registered, so a writer pays the
    registration once per partner, environment and month.
    """

    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._entries: AsyncCollection[Document] = db[USAGE_WRITERS]
        self._registered: set[tuple[str, str, str, str]] = set()

    async def register(
        self, partner_id: str, environment: Environment, at: datetime, writer: Writer
    ) -> None:
        """List `writer` for the month of `at` unless it is listed."""
        month = month_key(at)
        key = (partner_id, environment.value, month, writer.name)
        if key in self._registered:
            return
        n = 0
        while True:
            entries = await self._round(partner_id, environment, month, n)
            if any(e is not None and e["writer"] == writer.name for e in entries):
                break
            free = next((n + i for i, e in enumerate(entries) if e is None), None)
            if free is None:
                n += len(entries)
                continue
            try:
                await self._entries.insert_one(
                    {
                        "_id": registry_id(partner_id, environment, month, free),
                        "partner_id": partner_id,
                        "environment": environment.value,
                        "month": month,
                        "writer": writer.name,
                        "collection": writer.collection,
                        "at": utcnow(),
                    }
                )
            except DuplicateKeyError:
                n = free  # another writer took it: look again from there
                continue
            break
        self._registered.add(key)

    async def writers(self, partner_id: str, environment: Environment, month: str) -> list[Writer]:
        """The writers listed for a month (each once), read until the first free number."""
        found: dict[str, Writer] = {}
        n = 0
        while True:
            entries = await self._round(partner_id, environment, month, n)
            for entry in entries:
                if entry is None:
                    return list(found.values())
                found.setdefault(entry["writer"], Writer(entry["writer"], entry["collection"]))
            n += len(entries)

    async def _round(
        self, partner_id: str, environment: Environment, month: str, n: int
    ) -> list[Document | None]:
        ids = [registry_id(partner_id, environment, month, n + i) for i in range(_REGISTRY_ROUND)]
        return await fetch_many(self._entries, ids)
