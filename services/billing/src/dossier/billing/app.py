"""Billing wiring: broker, ledger, credit journal, usage sheets, subscribers."""

from faststream.kafka.annotations import KafkaMessage as Message

from dossier.billing.credits import CreditBook
from dossier.billing.handlers import handle_completed, handle_ended
from dossier.billing.ledger import Ledger
from dossier.billing.settings import BillingSettings
from dossier.billing.usage import GeneratedReports, partition_of
from dossier.contracts.events import AnalysisCanceled, AnalysisCompleted, AnalysisFailed
from dossier.contracts.topics import ANALYSIS_CANCELED, ANALYSIS_COMPLETED, ANALYSIS_FAILED
from dossier.runtime.kafka import make_broker, stage_subscriber
from dossier.runtime.lag import LagTarget
from dossier.runtime.mongo import connect_mongo, database
from dossier.runtime.service import ConsumerApp

GROUP_ID = "dossier-billing"


def build(settings: BillingSettings) -> ConsumerApp:
    broker = make_broker(settings)
    mongo = connect_mongo(settings)
    db = database(mongo, settings)
    ledger, book, reports = Ledger(db), CreditBook(db), GeneratedReports(db)

    @stage_subscriber(broker, ANALYSIS_COMPLETED, group_id=GROUP_ID, settings=settings)
    async def on_completed(event: AnalysisCompleted, message: Message) -> None:
        await handle_completed(
            event,
            partition=partition_of(message),
            ledger=ledger,
            book=book,
            reports=reports,
            broker=broker,
            credits=settings.credits_per_report,
        )

    @stage_subscriber(broker, ANALYSIS_FAILED, group_id=GROUP_ID, settings=settings)
    async def on_failed(event: AnalysisFailed) -> None:
        await handle_ended(event.analysis_id, event.partner_id, topic=ANALYSIS_FAILED, book=book)

    @stage_subscriber(broker, ANALYSIS_CANCELED, group_id=GROUP_ID, settings=settings)
    async def on_canceled(event: AnalysisCanceled) -> None:
        await handle_ended(event.analysis_id, event.partner_id, topic=ANALYSIS_CANCELED, book=book)

    return ConsumerApp(
        broker,
        mongo,
        lag_targets=[
            LagTarget(topic, GROUP_ID)
            for topic in (ANALYSIS_COMPLETED, ANALYSIS_FAILED, ANALYSIS_CANCELED)
        ],
    )
