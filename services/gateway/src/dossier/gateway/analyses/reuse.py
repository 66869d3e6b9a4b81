"""The reuse index: partner + environment + client company + candidate → current analysis.

Each reuse key has numbered generations, one document each, `_id` =
`<key>#<generation>`. Claiming generation 1 (the first analysis) or n+1
(replacing a failed or canceled one) is an insert, and MongoDB's unique `_id`
lets exactly one of any number of concurrent claims succeed: fifty identical
POSTs at once create one analysis. Inserts are the primitive because they are
atomic on FerretDB too, where a conditional update is not.

Finding the current generation is a keyed read too: `reuse_heads` holds, per
key, the generation last claimed and its analysis. The head is only a hint —
written after the claim, possibly late or (with replicas racing) a step
behind — and that is safe: a generation n+1 exists only once generation n
failed, was canceled or was refused by a refresh (`freshness.py`), so a
reader holding a stale head sees a finished analysis; the create path reads
the generation after it along with it and follows the chain, and a claim of
n+1 that loses on the unique `_id` reads the generation that beat it
(`slot`). No query ever sorts or filters on a field.

The generations of a key are also that client's candidate's analyses, oldest
first: listing by client + candidate walks them backward from `newest`.
"""

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from dossier.contracts.timestamps import utcnow
from dossier.runtime.collections import REUSE, REUSE_HEADS
from dossier.runtime.dense import fetch_many
from dossier.runtime.mongo import Document
from dossier.runtime.reuse_keys import reuse_key

__all__ = ["ReuseIndex", "Slot", "reuse_key", "slot_id"]


def slot_id(key: str, generation: int) -> str:
    return f"{key}#{generation}"


@dataclass(frozen=True)
class Slot:
    generation: int
    analysis_id: str


class ReuseIndex:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._index = db[REUSE]
        self._heads = db[REUSE_HEADS]

    async def current(self, key: str) -> Slot | None:
        """The latest generation as far as the head knows (one keyed read)."""
        head = await self._heads.find_one({"_id": key})
        return Slot(head["generation"], head["analysis_id"]) if head else None

    async def slot(self, key: str, generation: int) -> Slot | None:
        doc = await self._index.find_one({"_id": slot_id(key, generation)})
        return Slot(doc["generation"], doc["analysis_id"]) if doc else None

    async def claim(
        self,
        key: str,
        generation: int,
        analysis_id: str,
        *,
        partner_id: str,
        client_id: str,
        candidate_id: str,
    ) -> bool:
        """Claim `generation` of this key for `analysis_id`. False if someone else did first."""
        try:
            await self._index.insert_one(
                {
                    "_id": slot_id(key, generation),
                    "key": key,
                    "generation": generation,
                    "analysis_id": analysis_id,
                    "partner_id": partner_id,
                    "client_id": client_id,
                    "candidate_id": candidate_id,
                    "created_at": utcnow(),
                }
            )
        except DuplicateKeyError:
            return False
        await self._advance_head(key, generation, analysis_id, partner_id=partner_id)
        return True

    async def _advance_head(
        self, key: str, generation: int, analysis_id: str, *, partner_id: str
    ) -> None:
        fields = {"generation": generation, "analysis_id": analysis_id, "partner_id": partner_id}
        # Two first claims of a key upserting at once: the loser's write is the same hint.
        with contextlib.suppress(DuplicateKeyError):
            await self._heads.update_one({"_id": key}, {"$set": fields}, upsert=True)

    async def newest(self, key: str) -> int:
        """The newest generation of `key` (0: none): the head, then forward while the next
        one exists (the head may be a step behind)."""
        head = await self.current(key)
        generation = head.generation if head else 0
        while await self.slot(key, generation + 1) is not None:
            generation += 1
        return generation

    async def analysis_ids(self, key: str, generations: Sequence[int]) -> list[str | None]:
        """The analysis of each generation (None where there is none), by key, at once."""
        found = await fetch_many(self._index, [slot_id(key, g) for g in generations])
        return [doc["analysis_id"] if doc else None for doc in found]

    async def generations(self, key: str) -> list[Slot]:
        """Every generation of `key`, oldest first (erasure). They are numbered without
        gaps from 1, so the walk stops at the first missing one."""
        slots: list[Slot] = []
        while (slot := await self.slot(key, len(slots) + 1)) is not None:
            slots.append(slot)
        return slots

    async def holds(self, key: str, analysis_id: str) -> bool:
        """Whether `analysis_id` owns the newest generation of `key` (outbox sweeper)."""
        slot = await self.current(key) or await self.slot(key, 1)
        while slot is not None:
            newer = await self.slot(key, slot.generation + 1)
            if newer is None:
                return slot.analysis_id == analysis_id
            slot = newer
        return False
