"""The delivery loop: find due deliveries, claim one attempt each, send, record, move on.

Any number of replicas run this loop. An attempt is claimed by inserting its
lease `<delivery>:<n>`; only the claimer sends. The attempt's record is
inserted after the send, and only the worker that inserted record n moves the
delivery on (reschedules it, or finishes it and takes it off the queue), so
each pending delivery has one writer at a time. If a worker dies between claim
and record, the lease expires and the next worker records the attempt as lost
and schedules the next one; if it dies after recording, the next worker applies
the record it finds.

Each recorded attempt is also appended to its endpoint's attempt log, whose
entries carry the endpoint's failure streak: the attempt that brings it to
`disable_after` disables the endpoint. Appending is a unique insert at the next
position built from the previous entry, so two replicas recording failures for
one endpoint at once both count.
"""

import asyncio
import logging
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from dossier.contracts.timestamps import utcnow
from dossier.contracts.webhooks import WebhookEventType
from dossier.runtime import metrics
from dossier.runtime.logging import log_context
from dossier.runtime.mongo import Document
from dossier.runtime.pdf_links import signed_pdf_url
from dossier.runtime.presenter import present
from dossier.runtime.read_model import AnalysisReadModel
from dossier.runtime.store_commands import store_job
from dossier.webhooks.adapters.sender import SendResult, WebhookSender
from dossier.webhooks.adapters.store import (
    ABANDONED,
    DELIVERED,
    FAILED,
    LOST,
    RETRYING,
    WebhookStore,
    attempt_id,
    is_live,
)
from dossier.webhooks.domain.events import envelope_body
from dossier.webhooks.domain.schedule import RetrySchedule, should_disable, streak_after
from dossier.webhooks.domain.signature import SIGNATURE_HEADER, signature_header

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PdfLinks:
    base_url: str
    key: bytes
    ttl_seconds: int

    def for_analysis(self, analysis_id: str) -> str:
        return signed_pdf_url(self.base_url, self.key, analysis_id, self.ttl_seconds)


class Dispatcher:
    def __init__(
        self,
        *,
        store: WebhookStore,
        read_model: AnalysisReadModel,
        sender: WebhookSender,
        links: PdfLinks,
        schedule: RetrySchedule,
        disable_after: int,
        lease: timedelta,
        poll_seconds: float,
        max_in_flight: int,
    ) -> None:
        self.store, self.read_model, self.sender, self.links = store, read_model, sender, links
        self.schedule, self.disable_after, self.lease = schedule, disable_after, lease
        self.poll_seconds, self.max_in_flight = poll_seconds, max_in_flight
        self.owner = f"dispatcher_{secrets.token_hex(6)}"

    @store_job("webhook-delivery")
    async def run_forever(self) -> None:
        while True:
            try:
                await self.tick()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("delivery loop iteration failed; retrying")
            await asyncio.sleep(self.poll_seconds)

    async def tick(self) -> int:
        """One pass over what is due. Returns how many deliveries were looked at."""
        due = await self.store.due(utcnow(), self.max_in_flight)
        await asyncio.gather(*(self.attempt(d) for d in due))
        return len(due)

    async def attempt(self, delivery: Document) -> None:
        """Send the next attempt of one pending delivery, unless another worker has it."""
        number = int(delivery["attempts"]) + 1
        with log_context(analysis_id=delivery["analysis_id"], partner_id=delivery["partner_id"]):
            if not await self.store.claim(delivery["_id"], number, self.lease, self.owner):
                await self._resume(delivery, number)
                return
            webhook, endpoint = await self.store.endpoint(delivery)
            if not is_live(webhook, endpoint):
                await self._abandon(delivery, "endpoint disabled or deleted")
                return
            view = await self.read_model.get(delivery["analysis_id"])
            if view is None:
                await self._abandon(delivery, "analysis no longer exists")
                return
            assert webhook is not None
            body = self._body(delivery, view)
            timestamp = int(time.time())
            result = await self.sender.send(
                webhook["url"],
                body,
                {
                    SIGNATURE_HEADER: signature_header(webhook["secret"], timestamp, body),
                    "X-Dossier-Event-Id": delivery["event_id"],
                    "X-Dossier-Event-Type": delivery["event_type"],
                },
            )
            metrics.WEBHOOK_DELIVERY_DURATION.observe(result.duration_seconds)
            await self._settle(delivery, number, result)

    def _body(self, delivery: Document, view: Document) -> bytes:
        """Rendered at each attempt: the PDF link is fresh, and an erased analysis is gone."""
        pdf_url = self.links.for_analysis(view["_id"]) if view.get("metadata") else None
        return envelope_body(
            WebhookEventType(delivery["event_type"]),
            present(view, pdf_url=pdf_url),
            occurred_at=delivery["occurred_at"],
        )

    async def _settle(self, delivery: Document, number: int, result: SendResult) -> None:
        now = utcnow()
        delay = None if result.ok else self.schedule.delay_after(number)
        if result.ok:
            outcome, next_at = DELIVERED, None
        elif delay is None:
            outcome, next_at = FAILED, None
        else:
            outcome, next_at = RETRYING, now + timedelta(seconds=delay)
        record = self._attempt_record(
            delivery,
            number,
            now,
            result=outcome,
            status_code=result.status_code,
            error=result.error,
            duration_ms=round(result.duration_seconds * 1000),
            next_retry_at=next_at,
        )
        recorded = await self.store.record_attempt(record)
        metrics.WEBHOOK_DELIVERIES.labels(outcome).inc()
        if not recorded:
            log.warning("attempt already recorded as lost; leaving the delivery to its recorder")
            return
        entry = await self.store.log_attempt(record, lambda before: streak_after(before, result.ok))
        await self._apply(delivery, record)
        log.info(
            "webhook attempt",
            extra={"attempt": number, "result": outcome, "status_code": result.status_code},
        )
        if not result.ok and should_disable(int(entry["streak"]), self.disable_after):
            await self._disable(delivery, now)

    async def _apply(self, delivery: Document, record: Document) -> None:
        """Move the delivery on as attempt n's record says. Only its recorder does this,
        or a later worker once the recorder is gone: both write the same values."""
        state = {
            "attempts": record["attempt"],
            "last_attempt_at": record["at"],
            "last_status_code": record.get("status_code"),
            "last_error": record.get("error"),
        }
        if record["result"] == RETRYING:
            await self.store.reschedule(
                delivery["_id"], {**state, "next_attempt_at": record["next_retry_at"]}
            )
        else:
            await self.store.finish(delivery["_id"], record["result"], state)

    async def _disable(self, delivery: Document, now: datetime) -> None:
        reason = f"{self.disable_after} consecutive failed deliveries"
        if await self.store.disable(
            delivery["partner_id"], delivery["environment"], delivery["webhook_id"], reason, now
        ):
            log.warning("webhook disabled", extra={"webhook_id": delivery["webhook_id"]})

    async def _abandon(self, delivery: Document, reason: str) -> None:
        metrics.WEBHOOK_DELIVERIES.labels(ABANDONED).inc()
        await self.store.finish(
            delivery["_id"], ABANDONED, {"attempts": delivery["attempts"], "last_error": reason}
        )

    async def _resume(self, delivery: Document, number: int) -> None:
        """Another worker claimed attempt n. Once its lease has run out, that worker is gone:
        if it recorded the attempt, apply the record; if not, it died mid-attempt, so record
        the attempt as lost (unique insert, so one recovery wins) and schedule the next."""
        now = utcnow()
        if not await self.store.lease_expired(delivery["_id"], number, now):
            return
        recorded = await self.store.recorded_attempt(delivery["_id"], number)
        if recorded is not None:
            await self._apply(delivery, recorded)
            return
        delay = self.schedule.delay_after(number)
        next_at = None if delay is None else now + timedelta(seconds=delay)
        record = self._attempt_record(
            delivery,
            number,
            now,
            result=RETRYING if next_at else FAILED,
            status_code=None,
            error=LOST,
            duration_ms=0,
            next_retry_at=next_at,
        )
        if await self.store.record_attempt(record):
            await self.store.log_attempt(record, lambda before: streak_after(before, None))
            await self._apply(delivery, record)

    @staticmethod
    def _attempt_record(delivery: Document, number: int, at: datetime, **fields: Any) -> Document:
        return {
            "_id": attempt_id(delivery["_id"], number),
            "delivery_id": delivery["_id"],
            "webhook_id": delivery["webhook_id"],
            "partner_id": delivery["partner_id"],
            "event_id": delivery["event_id"],
            "event_type": delivery["event_type"],
            "analysis_id": delivery["analysis_id"],
            "attempt": number,
            "at": at,
            **fields,
        }
