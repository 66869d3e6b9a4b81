"""Keeps the 202 promise: publishes what was accepted but never published, fails analyses
that stopped moving (so nothing stays `processing` forever), and finishes terminal
analyses whose decider died before shredding the CV key or publishing the terminal event.

Runs in every gateway replica; every job is idempotent, so replicas may overlap. Each
document is handled on its own: one that cannot be handled (malformed, or a store error
on it) is logged and counted (`dossier_sweep_errors`), and the pass goes on.
"""

import asyncio
import contextlib
import logging
from collections.abc import Coroutine
from datetime import datetime, timedelta
from typing import Any

from dossier.contracts.api import ErrorInfo
from dossier.contracts.enums import AnalysisStatus
from dossier.contracts.timestamps import utcnow
from dossier.gateway.context import GatewayContext
from dossier.runtime import metrics
from dossier.runtime.faults import OUTCOME_INSERTED, fault_point
from dossier.runtime.logging import log_context
from dossier.runtime.read_model import wire
from dossier.runtime.store_commands import store_job
from dossier.runtime.terminal import Finaliser

log = logging.getLogger(__name__)

#: A finalisation to-do older than this was left by a decider that died (or hangs).
FINALISE_GRACE_SECONDS = 5.0

TIMEOUT = ErrorInfo(
    code="timeout",
    message="The analysis made no progress for too long and was stopped.",
)


async def sweep_once(ctx: GatewayContext) -> None:
    settings = ctx.settings
    now = utcnow()
    finaliser = Finaliser(ctx.read_model, ctx.vault, ctx.broker)
    for analysis_id in await ctx.read_model.stale_unpublished(
        now - timedelta(seconds=settings.outbox_grace_seconds)
    ):
        await _each("outbox", analysis_id, _republish(ctx, analysis_id))
    cutoff = now - timedelta(seconds=settings.analysis_timeout_seconds)
    for analysis_id in await ctx.read_model.inflight_since(cutoff):
        await _each("timeout", analysis_id, _time_out(ctx, finaliser, analysis_id, cutoff))
    await finaliser.finish_pending(now - timedelta(seconds=FINALISE_GRACE_SECONDS))


async def _each(job: str, analysis_id: str, work: Coroutine[Any, Any, None]) -> None:
    """Run one document's work; a failure is this document's alone."""
    with log_context(analysis_id=analysis_id):
        try:
            await work
        except Exception:
            metrics.SWEEP_ERRORS.labels(job).inc()
            log.exception("sweeper could not handle an analysis; skipped", extra={"job": job})


async def _republish(ctx: GatewayContext, analysis_id: str) -> None:
    doc = await ctx.read_model.accepted(analysis_id)
    if doc is not None and await ctx.read_model.is_active(analysis_id):
        await ctx.analyses.republish(doc)


async def _time_out(
    ctx: GatewayContext, finaliser: Finaliser, analysis_id: str, cutoff: datetime
) -> None:
    view = await ctx.read_model.get(analysis_id)
    if view is None or AnalysisStatus(view["status"]).is_terminal:
        # Decided (or erased) but still in flight: its decider died before finishing.
        await finaliser.finish(analysis_id)
        return
    if view["updated_at"] >= cutoff:
        return
    partner_id = view["partner_id"]
    if await ctx.read_model.fail(analysis_id, TIMEOUT, partner_id=partner_id):
        log.error("analysis timed out")
        fault_point(OUTCOME_INSERTED)
        decided = {"_id": analysis_id, "status": AnalysisStatus.FAILED.value}
        decided["error"] = wire(TIMEOUT)
        await finaliser.finish(analysis_id, outcome=decided, partner_id=partner_id)


@store_job("sweeper")
async def run_sweeper(ctx: GatewayContext) -> None:
    while True:
        with contextlib.suppress(asyncio.CancelledError):
            try:
                await sweep_once(ctx)
            except Exception:
                log.exception("sweep failed; will retry")
        await asyncio.sleep(ctx.settings.outbox_sweep_seconds)
