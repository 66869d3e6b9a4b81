"""Webhooks wiring: four subscribers that queue deliveries, and the delivery loop."""

import asyncio
import contextlib
from datetime import datetime, timedelta

from dossier.contracts.events import (
    AnalysisCanceled,
    AnalysisCompleted,
    AnalysisFailed,
    AnalysisUpdated,
)
from dossier.contracts.topics import (
    ANALYSIS_CANCELED,
    ANALYSIS_COMPLETED,
    ANALYSIS_FAILED,
    ANALYSIS_UPDATED,
)
from dossier.contracts.webhooks import WebhookEventType
from dossier.runtime.kafka import make_broker, stage_subscriber
from dossier.runtime.lag import LagTarget
from dossier.runtime.mongo import connect_mongo, database
from dossier.runtime.read_model import AnalysisReadModel
from dossier.runtime.service import ConsumerApp
from dossier.runtime.ssrf import Allowlist
from dossier.webhooks.adapters.sender import WebhookSender
from dossier.webhooks.adapters.store import WebhookStore
from dossier.webhooks.dispatcher import Dispatcher, PdfLinks
from dossier.webhooks.domain.schedule import RetrySchedule
from dossier.webhooks.handlers import fan_out
from dossier.webhooks.settings import WebhooksSettings

GROUP_ID = "dossier-webhooks"


def build(settings: WebhooksSettings) -> ConsumerApp:
    broker = make_broker(settings)
    mongo = connect_mongo(settings)
    db = database(mongo, settings)
    store = WebhookStore(db)
    read_model = AnalysisReadModel(db)
    sender = WebhookSender(
        timeout_seconds=settings.webhook_timeout_seconds,
        allowlist=Allowlist.parse(settings.webhook_allowlist),
        deadline_seconds=settings.webhook_attempt_deadline_seconds,
        max_response_bytes=settings.webhook_max_response_bytes,
    )
    dispatcher = Dispatcher(
        store=store,
        read_model=read_model,
        sender=sender,
        links=PdfLinks(
            settings.public_base_url,
            settings.url_signing_key.get_secret_value().encode(),
            settings.pdf_link_ttl_seconds,
        ),
        schedule=RetrySchedule.parse(settings.webhook_retry_schedule),
        disable_after=settings.webhook_disable_after,
        lease=timedelta(seconds=settings.webhook_lease_seconds),
        poll_seconds=settings.webhook_poll_seconds,
        max_in_flight=settings.webhook_max_in_flight,
        max_in_flight_per_partner=settings.webhook_max_in_flight_per_partner,
        max_in_flight_per_endpoint=settings.webhook_max_in_flight_per_endpoint,
        retry_after_max=settings.webhook_retry_after_max_seconds,
    )

    async def notify(
        kind: WebhookEventType,
        analysis_id: str,
        partner_id: str,
        occurred_at: datetime,
        revision: int = 0,
    ) -> None:
        await fan_out(
            kind,
            analysis_id=analysis_id,
            partner_id=partner_id,
            occurred_at=occurred_at,
            store=store,
            read_model=read_model,
            revision=revision,
        )

    @stage_subscriber(broker, ANALYSIS_COMPLETED, group_id=GROUP_ID, settings=settings)
    async def on_completed(event: AnalysisCompleted) -> None:
        await notify(
            WebhookEventType.ANALYSIS_COMPLETED,
            event.context.analysis_id,
            event.context.partner_id,
            event.occurred_at,
        )

    @stage_subscriber(broker, ANALYSIS_FAILED, group_id=GROUP_ID, settings=settings)
    async def on_failed(event: AnalysisFailed) -> None:
        await notify(
            WebhookEventType.ANALYSIS_FAILED, event.analysis_id, event.partner_id, event.occurred_at
        )

    @stage_subscriber(broker, ANALYSIS_CANCELED, group_id=GROUP_ID, settings=settings)
    async def on_canceled(event: AnalysisCanceled) -> None:
        await notify(
            WebhookEventType.ANALYSIS_CANCELED,
            event.analysis_id,
            event.partner_id,
            event.occurred_at,
        )

    @stage_subscriber(broker, ANALYSIS_UPDATED, group_id=GROUP_ID, settings=settings)
    async def on_updated(event: AnalysisUpdated) -> None:
        await notify(
            WebhookEventType.ANALYSIS_UPDATED,
            event.analysis_id,
            event.partner_id,
            event.occurred_at,
            event.revision,
        )

    loop: list[asyncio.Task[None]] = []

    async def start() -> None:
        loop.append(asyncio.create_task(dispatcher.run_forever(), name="webhook-delivery-loop"))

    async def stop() -> None:
        for task in loop:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await sender.close()

    return ConsumerApp(
        broker,
        mongo,
        on_start=start,
        closers=[stop],
        lag_targets=[
            LagTarget(topic, GROUP_ID)
            for topic in (ANALYSIS_COMPLETED, ANALYSIS_FAILED, ANALYSIS_CANCELED, ANALYSIS_UPDATED)
        ],
    )
