"""Profiles a reviewer said are not the candidate, per partner + environment + client + candidate.

`not_this_person` feedback on a signal records the signal's id here (the gateway,
before it answers `202`, so a new analysis started right after already sees it).
Profile signals have stable ids (`profile_match`, source, folded handle), so the
identity stage of any later analysis for the same reuse key drops the hits that
would produce a dismissed id — the profile is never re-attached. One document per
reuse key (`_id` = the key), read by `_id` by identity (one keyed read per analysis).

The document names the analysis the last dismissal came from (`analysis_id`), so
erasing the candidate's analyses erases it too (erasure's catch-all).
"""

from datetime import datetime

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from dossier.contracts.enums import Environment
from dossier.runtime.collections import DISMISSED_PROFILES
from dossier.runtime.mongo import Document
from dossier.runtime.reuse_keys import reuse_key


def _field(signal_id: str) -> str:
    """A signal id as a field name (ids are hex digests with a prefix; no dots, no `$`)."""
    return "profiles." + signal_id.replace(".", "_").replace("$", "_")


class DismissedProfiles:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._docs: AsyncCollection[Document] = db[DISMISSED_PROFILES]

    async def of(
        self, partner_id: str, environment: Environment, client_id: str, candidate_id: str
    ) -> frozenset[str]:
        """The dismissed signal ids for this candidate (one keyed read)."""
        key = reuse_key(partner_id, environment, client_id, candidate_id)
        doc = await self._docs.find_one({"_id": key}, {"profiles": 1})
        if doc is None:
            return frozenset()
        return frozenset(str(p["signal_id"]) for p in doc.get("profiles", {}).values())

    async def add(
        self,
        *,
        partner_id: str,
        environment: Environment,
        client_id: str,
        candidate_id: str,
        signal_id: str,
        analysis_id: str,
        at: datetime,
    ) -> None:
        """Record one dismissal (a keyed upsert; repeating it changes nothing).

        Each dismissal sets its own field. Two dismissals of different profiles of one
        candidate at the same instant could, on FerretDB (whose updates are not atomic),
        lose one; the reviewer's verdict itself is kept in `analysis_feedback` regardless.
        """
        key = reuse_key(partner_id, environment, client_id, candidate_id)
        await self._docs.update_one(
            {"_id": key},
            {
                "$set": {
                    _field(signal_id): {"signal_id": signal_id, "at": at},
                    "partner_id": partner_id,
                    "analysis_id": analysis_id,
                    "updated_at": at,
                }
            },
            upsert=True,
        )
