"""How every pipeline stage handles one message: skip, retry, or dead-letter and fail.

A stage's `work` must be idempotent: Kafka delivers at least once, and the
offset is committed only after `run` returns. A message that keeps failing is
published to the topic's dead-letter twin with its error, the analysis is
marked `failed` with a clear `error`, its CV key is shredded and `analysis.failed`
published (`dossier.runtime.terminal`) — an analysis is never left `processing`
forever.
"""

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from aiokafka.errors import KafkaError
from faststream.kafka import KafkaBroker, KafkaMessage
from pymongo.errors import ConnectionFailure, PyMongoError

from dossier.contracts.api import ErrorInfo
from dossier.contracts.enums import AnalysisStatus, Stage
from dossier.contracts.events import DeadLetter
from dossier.contracts.timestamps import utcnow
from dossier.contracts.topics import dead_letter_topic
from dossier.runtime import metrics
from dossier.runtime.bus import publish_event
from dossier.runtime.cv_vault import CvKeyShreddedError, CvVault
from dossier.runtime.faults import OUTCOME_INSERTED, fault_point
from dossier.runtime.logging import log_context
from dossier.runtime.read_model import AnalysisReadModel, wire
from dossier.runtime.stage_timings import StageTimings, seconds_since
from dossier.runtime.terminal import Finaliser

log = logging.getLogger(__name__)

#: Failures of the infrastructure, not of the message: never dead-lettered.
UNAVAILABLE = (ConnectionFailure, KafkaError)


class PermanentStageError(Exception):
    """Retrying will not help: the message itself cannot be processed."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class StageRunner:
    service: str
    stage: Stage | None
    topic: str
    read_model: AnalysisReadModel
    vault: CvVault
    broker: KafkaBroker
    timings: StageTimings | None = None
    max_attempts: int = 3
    backoff_seconds: float = 0.5

    async def run(
        self,
        *,
        analysis_id: str,
        partner_id: str,
        message: KafkaMessage,
        work: Callable[[], Awaitable[None]],
        require_active: bool = True,
        queued_since: datetime | None = None,
    ) -> None:
        """Run `work` for one message. `queued_since`: when the analysis was accepted, for
        the first stage to record how long it waited."""
        with log_context(analysis_id=analysis_id, partner_id=partner_id):
            if require_active and not await self.read_model.is_active(analysis_id):
                log.info("analysis no longer active; message dropped", extra={"topic": self.topic})
                metrics.MESSAGES_DROPPED.labels(self.topic, self.service).inc()
                return
            started, entered = time.perf_counter(), utcnow()
            error = await self._attempt(analysis_id, work)
            if error is None:
                metrics.MESSAGES_CONSUMED.labels(self.topic, self.service).inc()
                if self.stage is not None:
                    elapsed = time.perf_counter() - started
                    metrics.STAGE_DURATION.labels(self.stage.value).observe(elapsed)
                    await self._record_timing(analysis_id, elapsed, entered, queued_since)
                return
            await self._dead_letter(analysis_id, partner_id, message, error)

    async def _record_timing(
        self, analysis_id: str, elapsed: float, entered: datetime, queued_since: datetime | None
    ) -> None:
        if self.timings is None or self.stage is None:
            return
        durations = {self.stage.value: elapsed}
        if queued_since is not None:
            durations["queued"] = seconds_since(queued_since, entered)
        try:
            await self.timings.record(analysis_id, durations)
        except PyMongoError:
            log.warning("could not record stage timing", exc_info=True)  # estimates only

    async def _attempt(
        self, analysis_id: str, work: Callable[[], Awaitable[None]]
    ) -> ErrorInfo | None:
        last: ErrorInfo | None = None
        for attempt in range(1, self.max_attempts + 1):
            try:
                await work()
            except CvKeyShreddedError:
                if not await self.read_model.is_active(analysis_id):
                    return None  # canceled (or finished) meanwhile: nothing left to do
                last = ErrorInfo(
                    code="cv_unavailable",
                    message="The CV could not be decrypted.",
                    stage=self.stage,
                )
            except PermanentStageError as exc:
                log.warning("stage rejected the message", extra={"code": exc.code})
                return ErrorInfo(code=exc.code, message=str(exc), stage=self.stage)
            except UNAVAILABLE:
                # The store or the broker is away: not the message's fault, and no attempt
                # spent. Left uncommitted, the message comes back once they are.
                raise
            except Exception as exc:
                log.exception("stage attempt %d/%d failed", attempt, self.max_attempts)
                last = ErrorInfo(
                    code="stage_error",
                    message=f"The {self.service} stage could not process the analysis "
                    f"({type(exc).__name__}).",
                    stage=self.stage,
                )
            else:
                return None
            if attempt < self.max_attempts:
                metrics.MESSAGES_RETRIED.labels(self.topic, self.service).inc()
                await asyncio.sleep(self.backoff_seconds * 2 ** (attempt - 1))
        return last

    async def _dead_letter(
        self, analysis_id: str, partner_id: str, message: KafkaMessage, error: ErrorInfo
    ) -> None:
        raw = message.raw_message
        record = raw[0] if isinstance(raw, tuple) else raw
        await publish_event(
            self.broker,
            dead_letter_topic(self.topic),
            DeadLetter(
                service=self.service,
                topic=self.topic,
                partition=record.partition,
                offset=record.offset,
                key=record.key.decode() if record.key else None,
                error=f"{error.code}: {error.message}",
                payload=message.body.decode(errors="replace"),
            ),
            key=analysis_id,
        )
        metrics.MESSAGES_FAILED.labels(self.topic, self.service).inc()
        if await self.read_model.fail(analysis_id, error, partner_id=partner_id):
            fault_point(OUTCOME_INSERTED)
            # Shred, then announce `analysis.failed`; a crash in between leaves the to-do.
            decided = {
                "_id": analysis_id,
                "status": AnalysisStatus.FAILED.value,
                "error": wire(error),
            }
            await Finaliser(self.read_model, self.vault, self.broker).finish(
                analysis_id, outcome=decided, partner_id=partner_id
            )
        log.error("message dead-lettered; analysis failed", extra={"code": error.code})


T = TypeVar("T")


async def unless_canceled(
    read_model: AnalysisReadModel,
    analysis_id: str,
    work: Awaitable[T],
    *,
    poll_seconds: float = 1.0,
) -> T | None:
    """Run `work`, abandoning it promptly (None) if the analysis stops being active meanwhile."""
    task = asyncio.ensure_future(work)
    try:
        while True:
            done, _ = await asyncio.wait({task}, timeout=poll_seconds)
            if done:
                return task.result()
            if not await read_model.is_active(analysis_id):
                log.info("analysis canceled mid-stage; work abandoned")
                return None
    finally:
        if not task.done():
            task.cancel()
