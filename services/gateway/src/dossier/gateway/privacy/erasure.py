"""Erasure of one candidate (GDPR art. 17): every analysis of that candidate for one client
company, and everything derived from it, everywhere Dossier stores it.

What goes, for the caller's partner and environment:

- the analyses and their read model (`analyses`, `analysis_stages`,
  `analysis_outcomes`), rendered PDFs (`report_pdfs`), reuse entries
  (`reuse_index`), CV data keys (`cv_keys`, shredded: what Kafka still holds of
  the CV becomes undecryptable);
- cached source answers about the candidate (`source_cache`, found by the same
  name hash the cache keys its entries with). The cache is shared by partners:
  dropping it only costs the next lookup a provider call;
- every other document that names one of the analyses: any collection whose
  documents carry `analysis_id` (webhook deliveries and attempts, reuse events…),
  and partner-scoped documents (stored idempotent responses…) whose content
  mentions an analysis id — so a feature added later is covered without a change
  here;
- in the audit trail, the raw analysis ids are redacted (`AuditTrail.redact_targets`);
  the chain still verifies because it hashes a digest of each target.

Erasure is final. Before anything is removed, each analysis is buried: a tombstone
keyed by a digest of its id (`dossier.runtime.tombstones`). Every writer that could
re-create data about it consults the tombstone by key — billing, on a late or
redelivered `analysis.completed`, charges under the pseudonymous id only (once: the
id is the same digest the erasure gave the existing charge) and never writes the
candidate id back; the reporter drops a completion that lands after the erasure.

What stays: billing records. A charge is a financial record the partner and
Dossier must keep (accounting and tax retention laws; GDPR art. 17(3)(b) exempts
data kept to comply with a legal obligation, and art. 17(3)(e) data needed for
legal claims such as a billing dispute). Retention only needs the financial
facts, so each ledger entry is pseudonymised (art. 4(5)): it keeps partner,
client company, channel, credits and date, loses the candidate id, and its id —
the analysis id — is replaced by a digest of it. The audit trail keeps a
`candidate.erased` entry with the candidate's pseudonym and the counts, never
raw ids.

Races. Running analyses are canceled first, through the normal cancel path, so
the pipeline stops: a stage message that arrives later finds the analysis gone
and is dropped (stages only work on analyses that exist and are undecided). The
remaining window is a stage already past that check, mid-message: it can still
write a stage document, a PDF or a ledger entry a moment after the erasure.
Erasure is idempotent and keyed by the analysis ids, so it simply runs again in
the background a few seconds later (and once more later still) and removes
whatever such a write left. Follow-up sweeps live in the gateway process: a
gateway that stops within that window leaves the stray write behind, and the
erasure can be requested again (it answers 404 once nothing is left).

Not covered here: Kafka topics keep the events (with the candidate's name, never
the CV in clear) until their retention expires, and log files follow their own
rotation.
"""

import asyncio
import contextlib
import logging
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from dossier.contracts.enums import Environment
from dossier.contracts.privacy import CandidateErasure
from dossier.contracts.timestamps import utcnow
from dossier.gateway.analyses.partner_log import PartnerAnalyses
from dossier.gateway.analyses.reuse import ReuseIndex, reuse_key, slot_id
from dossier.gateway.audit.trail import AuditTrail, subject_of
from dossier.runtime.collections import (
    ANALYSES,
    ANALYSIS_OUTCOMES,
    ANALYSIS_STAGES,
    API_KEYS,
    AUDIT_TRAIL,
    CV_KEYS,
    ERASURE_TOMBSTONES,
    FINALISATIONS,
    INFLIGHT,
    LEDGER,
    PARTNERS,
    RATE_LIMITS,
    REPORT_PDFS,
    REUSE,
    REUSE_HEADS,
    SOURCE_CACHE,
    USAGE,
    WEBHOOKS,
)
from dossier.runtime.mongo import Document
from dossier.runtime.read_model import STAGE_ORDER, stage_doc_id
from dossier.runtime.store_commands import store_job
from dossier.runtime.tombstones import (
    Tombstones,
    pseudonymous_entry,
    pseudonymous_ledger_id,
)
from dossier.sources.cache import MongoSourceCache, candidate_key

log = logging.getLogger(__name__)

#: Delays (seconds) after which an erasure runs again, for stage writes in flight. (The
#: catch-all sweep over every collection runs at once, in the background, in any case.)
FOLLOW_UP_DELAYS = (5.0, 30.0)

#: Collections erased explicitly below, or holding no candidate data to look for.
_HANDLED = {
    ANALYSES,
    ANALYSIS_STAGES,
    ANALYSIS_OUTCOMES,
    REPORT_PDFS,
    CV_KEYS,
    ERASURE_TOMBSTONES,
    FINALISATIONS,
    REUSE,
    LEDGER,
    SOURCE_CACHE,
    AUDIT_TRAIL,
    PARTNERS,
    API_KEYS,
    RATE_LIMITS,
    USAGE,
    WEBHOOKS,
}

#: Cancel one active analysis through the normal path: (analysis_id, partner_id, actor) →
#: whether this call canceled it.
Cancel = Callable[[str, str, str], Awaitable[bool]]


def mentions(value: Any, needles: Sequence[str]) -> bool:
    """Whether any string (or UTF-8 bytes) inside a document contains one of `needles`."""
    if isinstance(value, str):
        return any(needle in value for needle in needles)
    if isinstance(value, bytes | bytearray):
        text = bytes(value).decode("utf-8", errors="ignore")
        return any(needle in text for needle in needles)
    if isinstance(value, Mapping):
        return any(mentions(k, needles) or mentions(v, needles) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(mentions(item, needles) for item in value)
    return False


@dataclass
class Tally:
    deleted: dict[str, int] = field(default_factory=dict)
    pseudonymised: dict[str, int] = field(default_factory=dict)

    def add(self, bucket: dict[str, int], collection: str, count: int) -> None:
        if count:
            bucket[collection] = bucket.get(collection, 0) + count


@dataclass(frozen=True)
class ErasureScope:
    """What one erasure removes: these analyses of one partner, and this candidate's cache."""

    partner_id: str
    analysis_ids: tuple[str, ...]
    name_keys: tuple[str, ...]
    reuse_key: str = ""
    generations: tuple[int, ...] = ()


class CandidateEraser:
    def __init__(
        self,
        db: AsyncDatabase[Document],
        audit: AuditTrail,
        cancel: Cancel,
        *,
        follow_up_delays: Sequence[float] = FOLLOW_UP_DELAYS,
    ) -> None:
        self._db, self._audit, self._cancel = db, audit, cancel
        self._cache = MongoSourceCache(db[SOURCE_CACHE])
        self._reuse = ReuseIndex(db)
        self.follow_up_delays = tuple(follow_up_delays)
        self._follow_ups: set[asyncio.Task[None]] = set()

    async def erase(
        self,
        *,
        partner_id: str,
        environment: Environment,
        client_id: str,
        candidate_id: str,
        actor: str,
    ) -> CandidateErasure | None:
        """Erase the candidate for this client company. None if nothing exists for them."""
        key = reuse_key(partner_id, environment, client_id, candidate_id)
        slots = await self._reuse.generations(key)
        found = await asyncio.gather(
            *(self._db[ANALYSES].find_one({"_id": s.analysis_id}) for s in slots)
        )
        documents = [d for d in found if d is not None and d.get("partner_id") == partner_id]
        ids = sorted({s.analysis_id for s in slots})
        if not ids:
            return None
        # Tombstones first: from here on, every writer that could bring personal data back
        # (a late `analysis.completed` at billing, above all) writes only its pseudonym.
        await Tombstones(self._db).bury(partner_id, ids)
        canceled = 0
        for analysis_id in ids:
            if await self._cancel(analysis_id, partner_id, actor):
                canceled += 1
        scope = ErasureScope(
            partner_id=partner_id,
            analysis_ids=tuple(ids),
            name_keys=tuple(sorted({candidate_key(full_name(d)) for d in documents})),
            reuse_key=key,
            generations=tuple(s.generation for s in slots),
        )
        # The request erases everything it can address by key; the catch-all sweep over
        # every other collection runs right after, in the background, and again later.
        tally = await self.purge_keyed(scope)
        subject = subject_of(partner_id, client_id, candidate_id)
        await self._audit.record(
            partner_id,
            "candidate.erased",
            actor=actor,
            target=subject,
            details={
                "subject": subject,
                "environment": environment.value,
                "analyses": len(ids),
                "canceled": canceled,
                "deleted": tally.deleted,
                "pseudonymised": tally.pseudonymised,
            },
        )
        self._schedule_follow_ups(scope)
        return CandidateErasure(
            subject=subject,
            analyses=len(ids),
            canceled=canceled,
            deleted=tally.deleted,
            pseudonymised=tally.pseudonymised,
            follow_up_sweeps_seconds=list(self.follow_up_delays),
        )

    async def purge(self, scope: ErasureScope) -> Tally:
        """Remove everything derived from these analyses. Idempotent: safe to run again."""
        tally = await self.purge_keyed(scope)
        await self.purge_catch_all(scope, tally)
        return tally

    async def purge_keyed(self, scope: ErasureScope) -> Tally:
        """What erasure can address by `_id`: the analyses, their stages, outcomes, PDFs,
        CV keys, reuse slots, ledger entries, the partner's log and audit targets.

        The analysis documents go first (a stage that checks in afterwards drops its
        message) and the decided outcomes last (until then, a stage mid-message still
        sees the analysis as ended and writes nothing).
        """
        ids = list(scope.analysis_ids)
        tally = Tally()

        async def delete(collection: str, doc_ids: Sequence[str]) -> None:
            results = await asyncio.gather(
                *(self._db[collection].delete_one({"_id": i}) for i in doc_ids)
            )
            tally.add(tally.deleted, collection, sum(r.deleted_count for r in results))

        await delete(ANALYSES, ids)
        await delete(INFLIGHT, ids)
        # Nothing left to announce about an erased analysis; its key goes just below.
        await delete(FINALISATIONS, ids)
        await delete(ANALYSIS_STAGES, [stage_doc_id(i, s) for i in ids for s in STAGE_ORDER])
        await delete(REPORT_PDFS, ids)
        await delete(CV_KEYS, ids)
        await delete(REUSE, [slot_id(scope.reuse_key, g) for g in scope.generations])
        await delete(REUSE_HEADS, [scope.reuse_key])
        tally.add(tally.pseudonymised, LEDGER, await self._pseudonymise_ledger(ids))
        await PartnerAnalyses(self._db).redact(
            scope.partner_id, set(ids), ledger_id=pseudonymous_ledger_id
        )
        await delete(ANALYSIS_OUTCOMES, ids)
        await self._audit.redact_targets(scope.partner_id, ids)
        return tally

    async def purge_catch_all(self, scope: ErasureScope, tally: Tally) -> None:
        """Every other collection: documents naming one of the analyses, and the cached
        source answers about the person. This scans; it runs as a background job."""
        ids = list(scope.analysis_ids)
        db = self._db
        for name_key in scope.name_keys:
            tally.add(tally.deleted, SOURCE_CACHE, await self._cache.delete_matching(name_key))
        for collection in await db.list_collection_names():
            if collection in _HANDLED or collection.startswith("system."):
                continue
            result = await db[collection].delete_many(
                {"$or": [{"analysis_id": {"$in": ids}}, {"resource_id": {"$in": ids}}]}
            )
            tally.add(tally.deleted, collection, result.deleted_count)
            tally.add(
                tally.deleted,
                collection,
                await self._delete_mentions(collection, scope.partner_id, ids),
            )

    async def _pseudonymise_ledger(self, analysis_ids: list[str]) -> int:
        """Keep each charge as a financial record without the candidate (see module doc).

        The pseudonymous copy is inserted before the original is deleted, under an id
        derived from the original: running this twice, or dying halfway, loses nothing.
        """
        count = 0
        found = await asyncio.gather(*(self._db[LEDGER].find_one({"_id": i}) for i in analysis_ids))
        for entry in (e for e in found if e is not None):
            kept = pseudonymous_entry(entry, str(entry["_id"]), at=utcnow())
            with contextlib.suppress(DuplicateKeyError):  # an earlier run copied it already
                await self._db[LEDGER].insert_one(kept)
            await self._db[LEDGER].delete_one({"_id": entry["_id"]})
            count += 1
        return count

    async def _delete_mentions(self, collection: str, partner_id: str, ids: list[str]) -> int:
        """Partner-scoped documents whose content names an analysis (e.g. a stored response).

        Partner scope is a `partner_id` field, or an `_id` that starts with the partner id
        (`<partner>:…`, the convention of keyed records such as idempotency keys).
        """
        scoped = {
            "$or": [
                {"partner_id": partner_id},
                {"_id": {"$regex": "^" + re.escape(partner_id + ":")}},
            ]
        }
        doomed = [
            doc["_id"] async for doc in self._db[collection].find(scoped) if mentions(doc, ids)
        ]
        if not doomed:
            return 0
        result = await self._db[collection].delete_many({"_id": {"$in": doomed}})
        return result.deleted_count

    def _schedule_follow_ups(self, scope: ErasureScope) -> None:
        task = asyncio.get_running_loop().create_task(self._follow_up(scope))
        self._follow_ups.add(task)
        task.add_done_callback(self._follow_ups.discard)

    @store_job("erasure-sweep")
    async def _follow_up(self, scope: ErasureScope) -> None:
        """The catch-all at once, then the whole purge again after each delay."""
        try:
            await self.purge_catch_all(scope, Tally())
        except Exception:
            log.exception("erasure sweep failed")
        waited = 0.0
        for delay in self.follow_up_delays:
            await asyncio.sleep(max(0.0, delay - waited))
            waited = delay
            try:
                tally = await self.purge(scope)
            except Exception:
                log.exception("follow-up erasure sweep failed")
                continue
            if tally.deleted or tally.pseudonymised:
                log.warning(
                    "follow-up erasure sweep removed late writes",
                    extra={"deleted": tally.deleted, "pseudonymised": tally.pseudonymised},
                )

    async def drain(self) -> None:
        """Wait for scheduled follow-up sweeps (tests; a graceful shutdown)."""
        await asyncio.gather(*list(self._follow_ups), return_exceptions=True)


def full_name(document: Document) -> str:
    candidate: Mapping[str, Any] = document.get("context", {}).get("candidate", {})
    return f"{candidate.get('first_name', '')} {candidate.get('last_name', '')}".strip()
