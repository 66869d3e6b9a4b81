"""Identity wiring: the stage kit, profile sources, the CV parser's workers, subscriber."""

import httpx
from faststream.kafka.annotations import KafkaMessage as Message

from dossier.contracts.enums import Stage
from dossier.contracts.events import AnalysisRequested
from dossier.contracts.topics import ANALYSIS_REQUESTED
from dossier.identity.cv_worker import CvParserPool
from dossier.identity.settings import IdentitySettings
from dossier.identity.stage import identify
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
from dossier.sources.sandbox import SourceSet, sandbox_profile_sources
from dossier.sources.settings import build_profile_sources

GROUP_ID = "dossier-identity"


def build(settings: IdentitySettings) -> ConsumerApp:
    kit = stage_kit(settings, stage=Stage.IDENTITY, topic=ANALYSIS_REQUESTED)
    http = httpx.AsyncClient(follow_redirects=True)
    sources = SourceSet(
        live=metered(
            build_profile_sources(
                settings,
                http,
                MongoSourceCache(kit.db[SOURCE_CACHE]),
                breaker_observer=BreakerObserver(
                    transition=observe_breaker_transition, skipped=observe_source_skipped
                ),
            ),
            observe_source,
        ),
        sandbox=sandbox_profile_sources(),
    )
    parsers = CvParserPool(
        workers=settings.cv_parse_workers, budget_seconds=settings.cv_parse_budget_seconds
    )

    @stage_subscriber(kit.broker, ANALYSIS_REQUESTED, group_id=GROUP_ID, settings=settings)
    async def on_requested(event: AnalysisRequested, message: Message) -> None:
        await kit.runner.run(
            analysis_id=event.context.analysis_id,
            partner_id=event.context.partner_id,
            message=message,
            queued_since=event.context.requested_at,
            work=lambda: identify(
                event,
                vault=kit.vault,
                read_model=kit.read_model,
                broker=kit.broker,
                profile_sources=sources.for_environment(event.context.environment),
                parse_cv=parsers.parse,
            ),
        )

    return ConsumerApp(
        kit.broker,
        kit.mongo,
        on_start=parsers.start,
        closers=[http.aclose, parsers.close],
        lag_targets=[LagTarget(ANALYSIS_REQUESTED, GROUP_ID)],
    )
