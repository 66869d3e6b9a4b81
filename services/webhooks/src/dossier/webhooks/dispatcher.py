"""The delivery loop: find due deliveries, claim one attempt each, send, record, move on.

Attempts run side by side, each as its own task holding a slot (`domain.slots`):
at most `max_in_flight` per process, `max_in_flight_per_partner` of them for one
partner and `max_in_flight_per_endpoint` to one endpoint. The loop never waits
for an attempt: each poll starts what is due and has a free slot, so a slow
endpoint holds only its own slots (for at most the sender's deadline) while
every other partner's deliveries keep flowing.

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
from dossier.runtime.pdf_links import signed_pdf_url, signed_report_url
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
from dossier.webhooks.domain.events import envelope_body, is_test, webhook_test_body
from dossier.webhooks.domain.schedule import (
    RetrySchedule,
    is_gone,
    next_delay,
    retry_after_seconds,
    should_disable,
    streak_after,
)
from dossier.webhooks.domain.signature import signature_headers, signing_secrets
from dossier.webhooks.domain.slots import Flight, Slots

log = logging.getLogger(__name__)

#: Why an endpoint that answered `410 Gone` was turned off (shown by `GET /api/v1/webhooks/…`).
GONE_REASON = "the endpoint answered 410 Gone"
#: How many times one poll looks again for due work when slots are still free.
_ROUNDS_PER_POLL = 4


@dataclass(frozen=True)
class PdfLinks:
    base_url: str
    key: bytes
    ttl_seconds: int

    def for_analysis(self, analysis_id: str) -> str:
        return signed_pdf_url(self.base_url, self.key, analysis_id, self.ttl_seconds)

    def page_for_analysis(self, analysis_id: str) -> str:
        return signed_report_url(self.base_url, self.key, analysis_id, self.ttl_seconds)


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
        max_in_flight_per_partner: int = 5,
        max_in_flight_per_endpoint: int = 2,
        retry_after_max: float = 3600.0,
    ) -> None:
        self.store, self.read_model, self.sender, self.links = store, read_model, sender, links
        self.schedule, self.disable_after, self.lease = schedule, disable_after, lease
        self.poll_seconds, self.retry_after_max = poll_seconds, retry_after_max
        self.slots = Slots(max_in_flight, max_in_flight_per_partner, max_in_flight_per_endpoint)
        self.owner = f"dispatcher_{secrets.token_hex(6)}"
        self._running: set[asyncio.Task[None]] = set()

    @store_job("webhook-delivery")
    async def run_forever(self) -> None:
        try:
            while True:
                try:
                    await self.start_due()
                except asyncio.CancelledError:
                    raise
                except Exception:
                    log.exception("delivery loop iteration failed; retrying")
                await asyncio.sleep(self.poll_seconds)
        finally:
            await self._stop_attempts()

    async def start_due(self) -> int:
        """Start an attempt for every due delivery a slot is free for, without waiting for
        any of them. Returns how many were started."""
        started = 0
        for _ in range(_ROUNDS_PER_POLL):
            if self.slots.free < 1:
                break
            limit = self.slots.free
            due = await self.store.due(
                utcnow(),
                limit,
                skip_deliveries=self.slots.in_flight(),
                skip_partners=self.slots.full_partners(),
                skip_webhooks=self.slots.full_endpoints(),
            )
            for delivery in due:
                flight = Flight(delivery["_id"], delivery["partner_id"], delivery["webhook_id"])
                if self.slots.take(flight):
                    task = asyncio.create_task(self._fly(flight, delivery), name=flight.delivery_id)
                    self._running.add(task)
                    task.add_done_callback(self._running.discard)
                    started += 1
            if len(due) < limit:
                break  # nothing more is due; what was skipped is left out of the next look
        return started

    async def settled(self) -> None:
        """Wait until every attempt started so far has ended."""
        while self._running:
            await asyncio.wait(set(self._running))

    async def tick(self) -> int:
        """One pass that waits for its attempts (one-shot runs and tests): how many ran."""
        started = await self.start_due()
        await self.settled()
        return started

    async def _fly(self, flight: Flight, delivery: Document) -> None:
        try:
            await self.attempt(delivery)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("webhook attempt failed; its lease brings it back")
        finally:
            self.slots.release(flight.delivery_id)

    async def _stop_attempts(self) -> None:
        """On shutdown: an attempt cut here is recorded as lost once its lease runs out."""
        for task in list(self._running):
            task.cancel()
        if self._running:
            await asyncio.wait(set(self._running))

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
            assert webhook is not None
            assert endpoint is not None
            body = await self._body(delivery)
            if body is None:
                await self._abandon(delivery, "analysis no longer exists")
                return
            timestamp = int(time.time())
            secrets_now = signing_secrets(webhook, utcnow())
            result = await self.sender.send(
                endpoint.get("url") or webhook["url"],
                body,
                {
                    **signature_headers(secrets_now, delivery["event_id"], timestamp, body),
                    "X-Dossier-Event-Id": delivery["event_id"],
                    "X-Dossier-Event-Type": delivery["event_type"],
                },
            )
            metrics.WEBHOOK_DELIVERY_DURATION.observe(result.duration_seconds)
            await self._settle(delivery, number, result, endpoint.get("failures_reset_at"))

    async def _body(self, delivery: Document) -> bytes | None:
        """Rendered at each attempt: the PDF link is fresh, and an erased analysis is gone
        (None). A `webhook.test` event carries no analysis."""
        if is_test(delivery["event_type"]):
            return webhook_test_body(
                delivery["event_id"], delivery["webhook_id"], occurred_at=delivery["occurred_at"]
            )
        view = await self.read_model.get(delivery["analysis_id"])
        if view is None:
            return None
        pdf_url = self.links.for_analysis(view["_id"]) if view.get("metadata") else None
        page_url = self.links.page_for_analysis(view["_id"]) if view.get("metadata") else None
        return envelope_body(
            WebhookEventType(delivery["event_type"]),
            present(view, pdf_url=pdf_url, report_url=page_url),
            occurred_at=delivery["occurred_at"],
            event=delivery["event_id"],
        )

    async def _settle(
        self,
        delivery: Document,
        number: int,
        result: SendResult,
        failures_reset_at: datetime | None = None,
    ) -> None:
        now = utcnow()
        gone = is_gone(result.status_code)
        delay = (
            None
            if result.ok or gone
            else next_delay(
                self.schedule,
                number,
                status_code=result.status_code,
                retry_after=retry_after_seconds(result.retry_after, now),
                retry_after_max=self.retry_after_max,
            )
        )
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
        entry = await self.store.log_attempt(
            record,
            lambda before: streak_after(before, result.ok),
            failures_reset_at=failures_reset_at,
        )
        await self._apply(delivery, record)
        log.info(
            "webhook attempt",
            extra={"attempt": number, "result": outcome, "status_code": result.status_code},
        )
        if gone:
            await self._disable(delivery, now, GONE_REASON)
        elif not result.ok and should_disable(int(entry["streak"]), self.disable_after):
            await self._disable(
                delivery, now, f"{self.disable_after} consecutive failed deliveries"
            )

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

    async def _disable(self, delivery: Document, now: datetime, reason: str) -> None:
        """Turn the endpoint off in the registry (the partner sees why and when on its GET);
        its other queued deliveries are abandoned when their turn comes."""
        if await self.store.disable(
            delivery["partner_id"], delivery["environment"], delivery["webhook_id"], reason, now
        ):
            log.warning(
                "webhook disabled",
                extra={
                    "webhook_id": delivery["webhook_id"],
                    "environment": delivery["environment"],
                    "reason": reason,
                },
            )

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
            _, endpoint = await self.store.endpoint(delivery)
            await self.store.log_attempt(
                record,
                lambda before: streak_after(before, None),
                failures_reset_at=endpoint.get("failures_reset_at") if endpoint else None,
            )
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
