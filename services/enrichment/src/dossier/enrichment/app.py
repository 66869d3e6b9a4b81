"""Enrichment wiring: the stage kit, evidence sources, subscriber."""

import httpx
from faststream.kafka.annotations import KafkaMessage as Message

from dossier.contracts.enums import Stage
from dossier.contracts.events import AnalysisIdentified
from dossier.contracts.topics import ANALYSIS_IDENTIFIED
from dossier.enrichment.settings import EnrichmentSettings
from dossier.enrichment.stage import enrich
from dossier.runtime.collections import SOURCE_CACHE
from dossier.runtime.kafka import stage_subscriber
from dossier.runtime.lag import LagTarget
from dossier.runtime.metrics import (
    observe_breaker_transition,
    observe_source,
    observe_source_skipped,
)
from dossier.runtime.service import ConsumerApp
from dossier.runtime.stage_kit import stage_kit
from dossier.sources.breaker import BreakerObserver
from dossier.sources.cache import MongoSourceCache
from dossier.sources.metered import metered
from dossier.sources.sandbox import SourceSet, sandbox_evidence_sources
from dossier.sources.settings import build_evidence_sources

GROUP_ID = "dossier-enrichment"


def build(settings: EnrichmentSettings) -> ConsumerApp:
    kit = stage_kit(settings, stage=Stage.ENRICHMENT, topic=ANALYSIS_IDENTIFIED)
    http = httpx.AsyncClient(follow_redirects=True)
    sources = SourceSet(
        live=metered(
            build_evidence_sources(
                settings,
                http,
                MongoSourceCache(kit.db[SOURCE_CACHE]),
                breaker_observer=BreakerObserver(
                    transition=observe_breaker_transition, skipped=observe_source_skipped
                ),
            ),
            observe_source,
        ),
        sandbox=sandbox_evidence_sources(),
    )

    @stage_subscriber(kit.broker, ANALYSIS_IDENTIFIED, group_id=GROUP_ID, settings=settings)
    async def on_identified(event: AnalysisIdentified, message: Message) -> None:
        await kit.runner.run(
            analysis_id=event.context.analysis_id,
            partner_id=event.context.partner_id,
            message=message,
            work=lambda: enrich(
                event,
                vault=kit.vault,
                read_model=kit.read_model,
                broker=kit.broker,
                sources=sources.for_environment(event.context.environment),
            ),
        )

    return ConsumerApp(
        kit.broker,
        kit.mongo,
        closers=[http.aclose],
        lag_targets=[LagTarget(ANALYSIS_IDENTIFIED, GROUP_ID)],
    )
