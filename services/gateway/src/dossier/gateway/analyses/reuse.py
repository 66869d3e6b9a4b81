"""The reuse index: partner + environment + client company + candidate → current analysis.

One document per reuse key, whose `_id` is the key itself, so MongoDB's unique
`_id` makes "fifty identical POSTs at once" create exactly one analysis: one
insert wins, the others see the winner.
"""

import hashlib
import json

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


class ReuseIndex:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._index = db[REUSE]

    async def current(self, key: str) -> str | None:
        doc = await self._index.find_one({"_id": key})
        return doc["analysis_id"] if doc else None

    async def claim(
        self, key: str, analysis_id: str, *, partner_id: str, candidate_id: str
    ) -> bool:
        """Claim an empty slot. False if someone else holds it."""
        try:
            await self._index.insert_one(
                {
                    "_id": key,
                    "analysis_id": analysis_id,
                    "partner_id": partner_id,
                    "candidate_id": candidate_id,
                    "updated_at": utcnow(),
                }
            )
        except DuplicateKeyError:
            return False
        return True

    async def replace(self, key: str, *, expected: str, analysis_id: str) -> bool:
        """Compare-and-swap: move the slot from a failed/canceled analysis to a new one."""
        result = await self._index.update_one(
            {"_id": key, "analysis_id": expected},
            {"$set": {"analysis_id": analysis_id, "updated_at": utcnow()}},
        )
        return result.modified_count == 1

    async def holds(self, key: str, analysis_id: str) -> bool:
        return await self.current(key) == analysis_id
