"""Billing's subscriber: `analysis.completed` → one ledger entry → `billing.charged`."""

import logging

from faststream.kafka import KafkaBroker

from dossier.billing.ledger import Ledger, is_billable
from dossier.contracts.events import AnalysisCompleted, CreditsCharged
from dossier.contracts.topics import ANALYSIS_COMPLETED, BILLING_CHARGED
from dossier.runtime import metrics
from dossier.runtime.bus import publish_event
from dossier.runtime.logging import log_context

log = logging.getLogger(__name__)


async def handle_completed(
    event: AnalysisCompleted, *, ledger: Ledger, broker: KafkaBroker, credits: int
) -> None:
    ctx = event.context
    with log_context(analysis_id=ctx.analysis_id, partner_id=ctx.partner_id):
        metrics.MESSAGES_CONSUMED.labels(ANALYSIS_COMPLETED, "billing").inc()
        if not is_billable(event):
            log.info("not billable (sandbox)")
            return
        entry = await ledger.charge_once(event, credits)
        if entry.get("announced"):
            log.info("already charged; redelivery ignored")
            return
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
        await ledger.mark_announced(ctx.analysis_id)
        metrics.CREDITS_CHARGED.inc(entry["credits"])
        log.info("charged", extra={"credits": entry["credits"]})
