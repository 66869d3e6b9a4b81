"""Enrichment wiring: broker, read model, vault, sources, subscriber."""

import httpx
from faststream.kafka.annotations import KafkaMessage as Message

from dossier.contracts.enums import Stage
from dossier.contracts.events import AnalysisIdentified
from dossier.contracts.topics import ANALYSIS_IDENTIFIED
from dossier.enrichment.settings import EnrichmentSettings
from dossier.enrichment.stage import enrich
from dossier.runtime.collections import CV_KEYS, SOURCE_CACHE
from dossier.runtime.cv_vault import CvVault
from dossier.runtime.kafka import make_broker, stage_subscriber
from dossier.runtime.lag import LagTarget
from dossier.runtime.metrics import observe_source
from dossier.runtime.mongo import connect_mongo, database
from dossier.runtime.read_model import AnalysisReadModel
from dossier.runtime.service import ConsumerApp
from dossier.runtime.stage import StageRunner
from dossier.sources.cache import MongoSourceCache
from dossier.sources.metered import metered
from dossier.sources.settings import build_evidence_sources

GROUP_ID = "dossier-enrichment"


def build(settings: EnrichmentSettings) -> ConsumerApp:
    broker = make_broker(settings)
    mongo = connect_mongo(settings)
    db = database(mongo, settings)
    read_model = AnalysisReadModel(db)
    vault = CvVault(db[CV_KEYS], settings.cv_master_key_bytes())
    http = httpx.AsyncClient(follow_redirects=True)
    sources = metered(
        build_evidence_sources(settings, http, MongoSourceCache(db[SOURCE_CACHE])),
        observe_source,
    )
    runner = StageRunner(
        service=settings.service_name,
        stage=Stage.ENRICHMENT,
        topic=ANALYSIS_IDENTIFIED,
        read_model=read_model,
        vault=vault,
        broker=broker,
        max_attempts=settings.stage_max_attempts,
        backoff_seconds=settings.stage_retry_backoff_seconds,
    )

    @stage_subscriber(broker, ANALYSIS_IDENTIFIED, group_id=GROUP_ID, settings=settings)
    async def on_identified(event: AnalysisIdentified, message: Message) -> None:
        await runner.run(
            analysis_id=event.context.analysis_id,
            partner_id=event.context.partner_id,
            message=message,
            work=lambda: enrich(
                event, vault=vault, read_model=read_model, broker=broker, sources=sources
            ),
        )

    return ConsumerApp(
        broker, mongo, closers=[http.aclose], lag_targets=[LagTarget(ANALYSIS_IDENTIFIED, GROUP_ID)]
    )
