"""Bus → deliveries: each terminal event (and each report rewritten after feedback) becomes
one delivery per subscribed endpoint.

Nothing is sent here; the dispatcher sends. The endpoints come from the webhook
registry (a few keyed reads per event, however many partners and endpoints there
are). A redelivered bus message finds its deliveries already inserted and adds
nothing.
"""

import logging
from datetime import datetime

from dossier.contracts.timestamps import utcnow
from dossier.contracts.webhooks import WebhookEventType
from dossier.runtime import metrics
from dossier.runtime.logging import log_context
from dossier.runtime.read_model import AnalysisReadModel
from dossier.runtime.webhook_queue import PENDING, delivery_id
from dossier.webhooks.adapters.store import WebhookStore
from dossier.webhooks.domain.events import event_id, subscribers

log = logging.getLogger(__name__)


async def fan_out(
    event_type: WebhookEventType,
    *,
    analysis_id: str,
    partner_id: str,
    occurred_at: datetime,
    store: WebhookStore,
    read_model: AnalysisReadModel,
    revision: int = 0,
) -> int:
    """Insert a delivery for every endpoint subscribed to this event. Returns how many were new."""
    with log_context(analysis_id=analysis_id, partner_id=partner_id):
        metrics.MESSAGES_CONSUMED.labels(event_type.value, "webhooks").inc()
        analysis = await read_model.accepted(analysis_id)
        if analysis is None or analysis.get("partner_id") != partner_id:
            log.info("analysis not found (erased?); nothing to deliver")
            return 0
        environment = str(analysis.get("environment", "live"))
        endpoints = subscribers(
            await store.endpoints(partner_id, environment), event_type, occurred_at
        )
        event = event_id(analysis_id, event_type, revision)
        now = utcnow()
        created = 0
        for endpoint in endpoints:
            created += await store.enqueue(
                {
                    "_id": delivery_id(event, endpoint["id"]),
                    "event_id": event,
                    "event_type": event_type.value,
                    "analysis_id": analysis_id,
                    "webhook_id": endpoint["id"],
                    "partner_id": partner_id,
                    "environment": environment,
                    "occurred_at": occurred_at,
                    "created_at": now,
                    "status": PENDING,
                    "attempts": 0,
                }
            )
        if endpoints:
            log.info("deliveries queued", extra={"event_type": event_type.value, "new": created})
        return created
