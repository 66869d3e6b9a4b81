"""Keeps the 202 promise: publishes what was accepted but never published, and fails
analyses that stopped moving (so nothing stays `processing` forever).

Runs in every gateway replica; both jobs are idempotent, so replicas may overlap.
"""

import asyncio
import contextlib
import logging
from datetime import timedelta

from dossier.contracts.api import ErrorInfo
from dossier.contracts.events import AnalysisFailed
from dossier.contracts.timestamps import utcnow
from dossier.contracts.topics import ANALYSIS_FAILED
from dossier.gateway.context import GatewayContext
from dossier.runtime.bus import publish_event
from dossier.runtime.logging import log_context
from dossier.runtime.store_commands import store_job

log = logging.getLogger(__name__)


async def sweep_once(ctx: GatewayContext) -> None:
    settings = ctx.settings
    now = utcnow()
    for doc in await ctx.read_model.stale_unpublished(
        now - timedelta(seconds=settings.outbox_grace_seconds)
    ):
        with log_context(analysis_id=doc["_id"], partner_id=doc["partner_id"]):
            await ctx.analyses.republish(doc)
    for doc in await ctx.read_model.stuck(
        now - timedelta(seconds=settings.analysis_timeout_seconds)
    ):
        error = ErrorInfo(
            code="timeout",
            message="The analysis made no progress for too long and was stopped.",
        )
        with log_context(analysis_id=doc["_id"], partner_id=doc["partner_id"]):
            if await ctx.read_model.fail(doc["_id"], error):
                log.error("analysis timed out")
                await ctx.vault.shred(doc["_id"])
                await publish_event(
                    ctx.broker,
                    ANALYSIS_FAILED,
                    AnalysisFailed(
                        analysis_id=doc["_id"], partner_id=doc["partner_id"], error=error
                    ),
                    key=doc["_id"],
                )


@store_job("sweeper")
async def run_sweeper(ctx: GatewayContext) -> None:
    while True:
        with contextlib.suppress(asyncio.CancelledError):
            try:
                await sweep_once(ctx)
            except Exception:
                log.exception("sweep failed; will retry")
        await asyncio.sleep(ctx.settings.outbox_sweep_seconds)
