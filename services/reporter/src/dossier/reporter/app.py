"""Reporter wiring: the stage kit, writer, PDF store, and two subscribers (the report stage,
and reviewer feedback that rewrites a report)."""

import httpx
from faststream.kafka.annotations import KafkaMessage as Message

from dossier.contracts.enums import Stage
from dossier.contracts.events import AnalysisEnriched, FeedbackGiven
from dossier.contracts.topics import ANALYSIS_ENRICHED, ANALYSIS_FEEDBACK
from dossier.reporter.pdf_store import PdfStore
from dossier.reporter.rewrite import handle_feedback
from dossier.reporter.settings import ReporterSettings
from dossier.reporter.stage import write_report
from dossier.reporter.writers import build_writer
from dossier.runtime.kafka import stage_subscriber
from dossier.runtime.lag import LagTarget
from dossier.runtime.service import ConsumerApp
from dossier.runtime.stage_kit import stage_kit

GROUP_ID = "dossier-reporter"


def build(settings: ReporterSettings) -> ConsumerApp:
    kit = stage_kit(settings, stage=Stage.REPORT, topic=ANALYSIS_ENRICHED)
    pdfs = PdfStore(kit.db)
    http = httpx.AsyncClient()
    writer = build_writer(settings, http)

    @stage_subscriber(kit.broker, ANALYSIS_ENRICHED, group_id=GROUP_ID, settings=settings)
    async def on_enriched(event: AnalysisEnriched, message: Message) -> None:
        await kit.runner.run(
            analysis_id=event.context.analysis_id,
            partner_id=event.context.partner_id,
            message=message,
            require_active=False,  # write_report also finishes a completed-but-unannounced one
            work=lambda: write_report(
                event,
                vault=kit.vault,
                read_model=kit.read_model,
                pdfs=pdfs,
                broker=kit.broker,
                writer=writer,
            ),
        )

    @stage_subscriber(kit.broker, ANALYSIS_FEEDBACK, group_id=GROUP_ID, settings=settings)
    async def on_feedback(event: FeedbackGiven, message: Message) -> None:
        """A reviewer's verdict: mark the signal; a dismissal rewrites the report (free)."""
        await handle_feedback(
            event,
            message,
            service=settings.service_name,
            max_attempts=settings.stage_max_attempts,
            backoff_seconds=settings.stage_retry_backoff_seconds,
            read_model=kit.read_model,
            pdfs=pdfs,
            broker=kit.broker,
            writer=writer,
        )

    return ConsumerApp(
        kit.broker,
        kit.mongo,
        closers=[http.aclose],
        lag_targets=[
            LagTarget(ANALYSIS_ENRICHED, GROUP_ID),
            LagTarget(ANALYSIS_FEEDBACK, GROUP_ID),
        ],
    )
