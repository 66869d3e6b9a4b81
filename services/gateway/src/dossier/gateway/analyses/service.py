"""Creating, reusing and canceling analyses — the gateway's decisions.

Reuse rules (seed 001), keyed by partner + client company + candidate:
completed → the existing analysis, free; in progress → the same analysis, no
second run; failed or canceled → a new analysis. A request may refuse the
completed one (`refresh`, or `max_age_days` older than the report: see
`freshness.py`); a new analysis then takes the next generation, billed.

A 202 is a promise. The read-model document is written (with `published:
false`) before the `analysis.requested` event is published, and flagged once
Kafka has acknowledged it. If the process dies in between, the outbox sweeper
publishes it later — without the CV, which only ever lived in this process's
memory; the analysis then runs on the request fields and says so.
"""

import asyncio
import logging
import secrets
from dataclasses import dataclass
from enum import StrEnum

from faststream.kafka import KafkaBroker

from dossier.contracts.api import AnalysisCreate, ClientRef
from dossier.contracts.enums import AnalysisStatus, Channel, Environment, Language
from dossier.contracts.events import (
    AnalysisContext,
    AnalysisRequested,
    CandidateProfile,
)
from dossier.contracts.timestamps import utcnow
from dossier.contracts.topics import ANALYSIS_REQUESTED
from dossier.gateway.analyses.freshness import Freshness
from dossier.gateway.analyses.partner_log import PartnerAnalyses
from dossier.gateway.analyses.reuse import ReuseIndex, Slot, reuse_key
from dossier.gateway.audit.trail import AuditTrail, subject_of
from dossier.gateway.usage.repository import UsageRepository
from dossier.gateway.usage.service import CreditGuard, UsageService
from dossier.runtime import metrics
from dossier.runtime.bus import publish_event
from dossier.runtime.cv_vault import CvVault
from dossier.runtime.faults import OUTCOME_INSERTED, fault_point
from dossier.runtime.mongo import Document
from dossier.runtime.read_model import AnalysisReadModel, analysis_document, assemble
from dossier.runtime.terminal import Finaliser

log = logging.getLogger(__name__)

_MAX_CLAIM_ROUNDS = 8


class Outcome(StrEnum):
    CREATED = "created"
    IN_PROGRESS = "in_progress"
    REUSED = "reused"


@dataclass(frozen=True)
class CreateResult:
    outcome: Outcome
    document: Document


def new_analysis_id() -> str:
    return f"an_{secrets.token_hex(12)}"


def build_context(
    body: AnalysisCreate,
    *,
    analysis_id: str,
    partner_id: str,
    environment: Environment,
    channel: Channel,
    cv_without_text: bool = False,
) -> AnalysisContext:
    c = body.candidate
    return AnalysisContext(
        analysis_id=analysis_id,
        partner_id=partner_id,
        environment=environment,
        channel=channel,
        client=ClientRef.model_validate(body.client.model_dump()),
        candidate=CandidateProfile(
            id=c.id,
            first_name=c.first_name,
            last_name=c.last_name,
            company=c.company,
            location=c.location,
            role=c.role,
            linkedin_url=str(c.linkedin_url) if c.linkedin_url else None,
        ),
        language=body.language,
        requested_at=utcnow(),
        cv_provided=bool(c.cv and c.cv.strip()),
        cv_without_text=cv_without_text,
    )


def new_document(context: AnalysisContext, key: str) -> Document:
    return {**analysis_document(context), "reuse_key": key}


class AnalysisService:
    def __init__(
        self,
        read_model: AnalysisReadModel,
        reuse: ReuseIndex,
        vault: CvVault,
        broker: KafkaBroker,
        audit: AuditTrail,
    ) -> None:
        self._read_model, self._reuse, self._vault, self._broker = read_model, reuse, vault, broker
        self._audit = audit
        self._partner_log = PartnerAnalyses(read_model.collection.database)
        self._usage = UsageRepository(read_model.collection.database)
        self._credits = CreditGuard(UsageService(self._usage))

    async def create(
        self,
        body: AnalysisCreate,
        *,
        partner_id: str,
        environment: Environment,
        actor: str,
        channel: Channel = Channel.V1,
        cv_without_text: bool = False,
    ) -> CreateResult:
        """`cv_without_text`: the partner's CV file held no text (`candidate.cv_file`)."""
        key = reuse_key(partner_id, environment, body.client.id, body.candidate.id)
        freshness = Freshness(max_age_days=body.max_age_days, refresh=body.refresh)
        slot = await self._reuse.current(key)
        for _ in range(_MAX_CLAIM_ROUNDS):
            current, newer = await self._current_and_next(key, slot)
            if newer is not None:
                # The head is a step behind (a refresh claimed past a completed generation
                # and its head write is late or lost): follow the chain to the newest.
                slot = newer
                continue
            completed = current is not None and current["status"] == AnalysisStatus.COMPLETED.value
            if current is not None and completed and freshness.accepts(current, now=utcnow()):
                metrics.REUSE_HITS.labels("completed").inc()
                await self._usage.record_reuse(
                    partner_id=partner_id,
                    environment=environment,
                    channel=channel,
                    client_id=body.client.id,
                    analysis_id=current["_id"],
                )
                return CreateResult(Outcome.REUSED, current)
            if current is not None and not AnalysisStatus(current["status"]).is_terminal:
                metrics.REUSE_HITS.labels("in_progress").inc()
                return CreateResult(Outcome.IN_PROGRESS, current)

            generation = slot.generation + 1 if slot else 1
            replaces = current["_id"] if current is not None and completed else None
            await self._credits.check(partner_id, environment)  # 402 before any work starts
            context = build_context(
                body,
                analysis_id=new_analysis_id(),
                partner_id=partner_id,
                environment=environment,
                channel=channel,
                cv_without_text=cv_without_text,
            )
            document = new_document(context, key)
            # The document exists before it owns the reuse slot, so whoever reads
            # the slot always finds a document; losers delete theirs.
            await self._read_model.accept(document)
            won = await self._reuse.claim(
                key,
                generation,
                context.analysis_id,
                partner_id=partner_id,
                client_id=body.client.id,
                candidate_id=body.candidate.id,
            )
            if not won:
                await self._read_model.discard(context.analysis_id)
                # Someone claimed this generation first (or our head was stale): follow it.
                slot = await self._reuse.slot(key, generation)
                continue
            await self._credits.accepted(context)  # holds a credit until billed or ended
            await self._partner_log.record(context)
            await self._publish_requested(context, cv=body.candidate.cv)
            await self._audit.record(
                partner_id,
                "analysis.created",
                actor=actor,
                target=context.analysis_id,
                details={
                    "environment": environment.value,
                    "channel": channel.value,
                    "subject": subject_of(partner_id, body.client.id, body.candidate.id),
                    **({"replaces": replaces} if replaces else {}),
                },
            )
            return CreateResult(Outcome.CREATED, assemble(document, {}, None))
        msg = "reuse slot kept changing under concurrent requests"
        raise RuntimeError(msg)

    async def _current_and_next(
        self, key: str, slot: Slot | None
    ) -> tuple[Document | None, Slot | None]:
        """The analysis of `slot` and the generation after it, if one exists (two keyed
        reads at once). A generation n+1 exists once n failed, was canceled, or was
        replaced by a refresh; the head may not say so yet."""
        if slot is None:
            return None, None
        current, newer = await asyncio.gather(
            self._read_model.get(slot.analysis_id), self._reuse.slot(key, slot.generation + 1)
        )
        return current, newer

    @property
    def partner_log(self) -> PartnerAnalyses:
        """Each partner's analyses in acceptance order (listing walks it by key)."""
        return self._partner_log

    @property
    def reuse_index(self) -> ReuseIndex:
        """Partner + environment + client + candidate → its analyses, by generation."""
        return self._reuse

    async def _publish_requested(self, context: AnalysisContext, *, cv: str | None) -> None:
        sealed = None
        if context.cv_provided and cv:
            sealed = await self._vault.seal_new(context.analysis_id, cv)
        await publish_event(
            self._broker,
            ANALYSIS_REQUESTED,
            AnalysisRequested(context=context, sealed_cv=sealed),
            key=context.analysis_id,
        )
        await self._read_model.mark_published(context.analysis_id)

    async def republish(self, document: Document) -> None:
        """Outbox: publish an accepted analysis whose first publish never happened."""
        if not await self._reuse.holds(document["reuse_key"], document["_id"]):
            # It lost the reuse race and its owner died before deleting it.
            await self._read_model.discard(document["_id"])
            return
        context = AnalysisContext.model_validate(document["context"])
        log.warning("republishing an accepted analysis (the CV is not recoverable)")
        await self._publish_requested(context, cv=None)

    async def cancel(self, current: Document, *, actor: str) -> Document:
        """DELETE: cancel if active (emitting `analysis.canceled`), else return it unchanged.

        `current` is the analysis as its owner just read it (ownership checked)."""
        if AnalysisStatus(current["status"]).is_terminal or current.get("rewriting"):
            return current  # completed, its report being rewritten after feedback: not undone
        analysis_id, partner_id = current["_id"], current["partner_id"]
        document, canceled = await self._read_model.cancel(analysis_id, partner_id=partner_id)
        if canceled:
            fault_point(OUTCOME_INSERTED)
            # Shred, announce, then audit: a crash before the end leaves the finalisation
            # to-do, which the sweeper finishes (dossier.runtime.terminal).
            await Finaliser(self._read_model, self._vault, self._broker).finish(
                analysis_id,
                outcome={"_id": analysis_id, "status": AnalysisStatus.CANCELED.value},
                partner_id=partner_id,
            )
            await self._audit.record(
                partner_id, "analysis.canceled", actor=actor, target=analysis_id
            )
        return document or current


def language_of(document: Document) -> Language:
    return Language(document["context"]["language"])
