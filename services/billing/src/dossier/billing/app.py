"""Billing wiring: broker, ledger, subscriber."""

from dossier.billing.handlers import handle_completed
from dossier.billing.ledger import Ledger
from dossier.billing.settings import BillingSettings
from dossier.contracts.events import AnalysisCompleted
from dossier.contracts.topics import ANALYSIS_COMPLETED
from dossier.runtime.kafka import make_broker, stage_subscriber
from dossier.runtime.lag import LagTarget
from dossier.runtime.mongo import connect_mongo, database
from dossier.runtime.service import ConsumerApp

GROUP_ID = "dossier-billing"


def build(settings: BillingSettings) -> ConsumerApp:
    broker = make_broker(settings)
    mongo = connect_mongo(settings)
    ledger = Ledger(database(mongo, settings))

    @stage_subscriber(broker, ANALYSIS_COMPLETED, group_id=GROUP_ID, settings=settings)
    async def on_completed(event: AnalysisCompleted) -> None:
        await handle_completed(
            event, ledger=ledger, broker=broker, credits=settings.credits_per_report
        )

    return ConsumerApp(
        broker,
        mongo,
        on_start=ledger.ensure_indexes,
        lag_targets=[LagTarget(ANALYSIS_COMPLETED, GROUP_ID)],
    )
