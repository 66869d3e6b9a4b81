"""The reuse index: partner + environment + client company + candidate → current analysis.

Each reuse key has numbered generations, one document each, `_id` =
`<key>#<generation>`. Claiming generation 1 (the first analysis) or n+1
(replacing a failed or canceled one) is an insert, and MongoDB's unique `_id`
lets exactly one of any number of concurrent claims succeed: fifty identical
POSTs at once create one analysis. Inserts are the primitive because they are
atomic on FerretDB too, where a conditional update is not.
"""

import hashlib
import json
from dataclasses import dataclass

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from dossier.contracts.enums import Environment
from dossier.contracts.timestamps import utcnow
from dossier.runtime.collections import REUSE
from dossier.runtime.mongo import Document


def reuse_key(partner_id: str, environment: Environment, client_id: str, candidate_id: str) -> str:
    """Stable and unambiguous whatever characters the partner's ids contain."""
    raw = json.dumps([partner_id, environment.value, client_id, candidate_id])
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True)
class Slot:
    generation: int
    analysis_id: str


class ReuseIndex:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._index = db[REUSE]

    async def ensure_indexes(self) -> None:
        await self._index.create_index([("key", 1), ("generation", -1)])
        await self._index.create_index([("partner_id", 1), ("candidate_id", 1)])

    async def current(self, key: str) -> Slot | None:
        cursor = self._index.find({"key": key}).sort("generation", -1).limit(1)
        async for doc in cursor:
            return Slot(doc["generation"], doc["analysis_id"])
        return None

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
                    "_id": f"{key}#{generation}",
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
        return True

    async def holds(self, key: str, analysis_id: str) -> bool:
        slot = await self.current(key)
        return slot is not None and slot.analysis_id == analysis_id
