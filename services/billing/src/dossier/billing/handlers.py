"""Billing's subscribers.

`analysis.completed` → a live report: one ledger entry, its charge in the partner's
credit journal and usage sheet → `billing.charged`; a sandbox report: counted in
the usage sheet, never charged. `analysis.failed` / `analysis.canceled` → a held
credit is released. Every step is idempotent: Kafka delivers at least once.
"""

import logging

from faststream.kafka import KafkaBroker

from dossier.billing.credits import CreditBook
from dossier.billing.ledger import Ledger, is_billable
from dossier.billing.usage import GeneratedReports
from dossier.contracts.enums import Environment
from dossier.contracts.events import AnalysisCompleted, CreditsCharged
from dossier.contracts.topics import ANALYSIS_COMPLETED, BILLING_CHARGED
from dossier.runtime import metrics
from dossier.runtime.bus import publish_event
from dossier.runtime.logging import log_context

log = logging.getLogger(__name__)


async def handle_completed(
    event: AnalysisCompleted,
    *,
    partition: int,
    ledger: Ledger,
    book: CreditBook,
    reports: GeneratedReports,
    broker: KafkaBroker,
    credits: int,
) -> None:
    ctx = event.context
    with log_context(analysis_id=ctx.analysis_id, partner_id=ctx.partner_id):
        metrics.MESSAGES_CONSUMED.labels(ANALYSIS_COMPLETED, "billing").inc()
        if ctx.environment is Environment.TEST:
            # The message's own timestamp: a redelivery counts on the same day.
            await reports.record(ctx, partition=partition, at=event.occurred_at, credits=0)
            log.info("sandbox report counted; not billable")
            return
        if not is_billable(event):
            log.info("not billable")
            return
        before = await book.before_charge(ctx.partner_id, ctx.analysis_id)
        charge = await ledger.charge_once(event, credits, chain_from=before.head.seq)
        entry = charge.entry
        if entry.get("announced"):
            log.info("already charged; redelivery ignored")
            return
        seq = await book.charge(ctx.partner_id, ctx.analysis_id, charge, before)
        await reports.record(
            ctx, partition=partition, at=entry["charged_at"], credits=int(entry["credits"])
        )
        await publish_event(
            broker,
            BILLING_CHARGED,
            CreditsCharged(
                analysis_id=ctx.analysis_id,
                partner_id=ctx.partner_id,
                client_id=ctx.client.id,
                candidate_id=ctx.candidate.id,
                credits=entry["credits"],
            ),
            key=ctx.analysis_id,
        )
        await ledger.mark_announced(str(entry["_id"]), chain_seq=seq)
        metrics.CREDITS_CHARGED.inc(entry["credits"])
        log.info("charged", extra={"credits": entry["credits"]})


async def handle_ended(analysis_id: str, partner_id: str, *, topic: str, book: CreditBook) -> None:
    """A failed or canceled analysis: give back the credit it held, if it held one."""
    with log_context(analysis_id=analysis_id, partner_id=partner_id):
        metrics.MESSAGES_CONSUMED.labels(topic, "billing").inc()
        if await book.release(partner_id, analysis_id):
            log.info("held credit released")
