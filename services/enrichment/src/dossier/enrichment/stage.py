"""The enrichment stage: consult every configured source at once and append each signal
to the read model the moment it arrives, so the `signals` array grows while partners poll.
Sources identity already asked for this analysis answer from identity's results
(`dossier.sources.prior`): one provider request per question per analysis."""

import logging
from collections.abc import Sequence

from faststream.kafka import KafkaBroker

from dossier.contracts.api import Signal
from dossier.contracts.claims import CvClaims
from dossier.contracts.enums import Stage
from dossier.contracts.events import AnalysisEnriched, AnalysisIdentified
from dossier.contracts.topics import ANALYSIS_ENRICHED
from dossier.runtime.bus import publish_event
from dossier.runtime.cv_vault import CvVault
from dossier.runtime.read_model import AnalysisReadModel
from dossier.runtime.stage import unless_canceled
from dossier.sources.base import Source, SourceResult
from dossier.sources.prior import with_prior_results
from dossier.sources.query import query_for
from dossier.sources.registry import lookup_all

log = logging.getLogger(__name__)


async def enrich(
    event: AnalysisIdentified,
    *,
    vault: CvVault,
    read_model: AnalysisReadModel,
    broker: KafkaBroker,
    sources: Sequence[Source],
) -> None:
    ctx = event.context
    stage = await read_model.enter_stage(ctx.analysis_id, Stage.ENRICHMENT)
    claims = None
    if event.sealed_claims is not None:
        claims = CvClaims.model_validate_json(
            await vault.open(ctx.analysis_id, event.sealed_claims)
        )

    # What an earlier attempt of this message already showed partners stays, in order.
    signals: dict[str, Signal] = {}
    for stored in stage.get("signals", []):
        signal = Signal.model_validate(stored)
        if signal.id is not None:
            signals[signal.id] = signal

    async def record(batch: Sequence[Signal]) -> None:
        """One write per batch (the identity signals, then each source's result)."""
        new = [s for s in batch if s.id is not None and s.id not in signals]
        if not new:
            return
        signals.update((s.id, s) for s in new if s.id is not None)
        await read_model.set_signals(ctx.analysis_id, list(signals.values()))

    await record(event.identity.signals)

    async def on_result(result: SourceResult) -> None:
        await record(result.signals)

    results = await unless_canceled(
        read_model,
        ctx.analysis_id,
        lookup_all(
            with_prior_results(sources, event.source_results),
            query_for(ctx, claims, event.identity),
            on_result=on_result,
        ),
    )
    if results is None:
        return
    await publish_event(
        broker,
        ANALYSIS_ENRICHED,
        AnalysisEnriched(
            context=ctx,
            sealed_claims=event.sealed_claims,
            identity=event.identity,
            signals=list(signals.values()),
            sources=[r.check for r in results],
        ),
        key=ctx.analysis_id,
    )
    log.info("enriched", extra={"signals": len(signals), "sources": len(results)})
