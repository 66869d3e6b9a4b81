"""Reporter wiring: broker, read model, vault, writer, PDF store, subscriber."""

import httpx
from faststream.kafka.annotations import KafkaMessage as Message

from dossier.contracts.enums import Stage
from dossier.contracts.events import AnalysisEnriched
from dossier.contracts.topics import ANALYSIS_ENRICHED
from dossier.reporter.pdf_store import PdfStore
from dossier.reporter.settings import ReporterSettings
from dossier.reporter.stage import write_report
from dossier.reporter.writers import build_writer
from dossier.runtime.collections import CV_KEYS
from dossier.runtime.cv_vault import CvVault
from dossier.runtime.kafka import make_broker, stage_subscriber
from dossier.runtime.lag import LagTarget
from dossier.runtime.mongo import connect_mongo, database
from dossier.runtime.read_model import AnalysisReadModel
from dossier.runtime.service import ConsumerApp
from dossier.runtime.stage import StageRunner

GROUP_ID = "dossier-reporter"


def build(settings: ReporterSettings) -> ConsumerApp:
    broker = make_broker(settings)
    mongo = connect_mongo(settings)
    db = database(mongo, settings)
    read_model = AnalysisReadModel(db)
    vault = CvVault(db[CV_KEYS], settings.cv_master_key_bytes())
    pdfs = PdfStore(db)
    http = httpx.AsyncClient()
    writer = build_writer(settings, http)
    runner = StageRunner(
        service=settings.service_name,
        stage=Stage.REPORT,
        topic=ANALYSIS_ENRICHED,
        read_model=read_model,
        vault=vault,
        broker=broker,
        max_attempts=settings.stage_max_attempts,
        backoff_seconds=settings.stage_retry_backoff_seconds,
    )

    @stage_subscriber(broker, ANALYSIS_ENRICHED, group_id=GROUP_ID, settings=settings)
    async def on_enriched(event: AnalysisEnriched, message: Message) -> None:
        await runner.run(
            analysis_id=event.context.analysis_id,
            partner_id=event.context.partner_id,
            message=message,
            require_active=False,  # write_report also finishes a completed-but-unannounced one
            work=lambda: write_report(
                event,
                vault=vault,
                read_model=read_model,
                pdfs=pdfs,
                broker=broker,
                writer=writer,
            ),
        )

    return ConsumerApp(
        broker, mongo, closers=[http.aclose], lag_targets=[LagTarget(ANALYSIS_ENRICHED, GROUP_ID)]
    )
