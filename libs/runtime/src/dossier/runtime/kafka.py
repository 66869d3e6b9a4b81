"""Kafka wiring: the broker, and topic provisioning for local stacks."""

import json
import logging
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Any, TypeVar, cast

from aiokafka import ConsumerRecord
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError
from faststream import AckPolicy, BaseMiddleware
from faststream.kafka import KafkaBroker
from faststream.kafka.opentelemetry import KafkaTelemetryMiddleware
from opentelemetry import trace
from prometheus_client import Counter
from pydantic import ValidationError

from dossier.contracts.events import DeadLetter
from dossier.contracts.topics import ALL_TOPICS, dead_letter_topic
from dossier.runtime.settings import ServiceSettings

log = logging.getLogger(__name__)


POISON_MESSAGES = Counter(
    "dossier_poison_messages",
    "Bus messages that could not be decoded into their event, dead-lettered and skipped.",
    ["topic", "service"],
)

#: What makes a message poison: its bytes are not the event its topic carries. Retrying
#: cannot help, so it is dead-lettered and its offset committed.
_POISON = (ValidationError, UnicodeDecodeError, json.JSONDecodeError)

#: Headers a poison message is dead-lettered with (next to its own headers, kept as they were).
DLQ_ERROR_HEADER = "dlq-error"
DLQ_SERVICE_HEADER = "dlq-service"
DLQ_RAW_HEADER = "dlq-raw-payload-hex"  # the message's value, byte for byte, in hex


def make_broker(settings: ServiceSettings) -> KafkaBroker:
    """A broker whose publishes are durable (acks=all, idempotent producer), and whose
    subscribers dead-letter poison messages instead of redelivering them forever."""
    broker = KafkaBroker(
        settings.kafka_bootstrap_servers,
        client_id=settings.service_name,
        acks="all",
        enable_idempotence=True,
        request_timeout_ms=15_000,
        logger=logging.getLogger(f"dossier.{settings.service_name}.bus"),
        middlewares=[KafkaTelemetryMiddleware(tracer_provider=trace.get_tracer_provider())],
    )
    service = settings.service_name

    def poison_guard(msg: Any, /, *, context: Any) -> BaseMiddleware:
        return PoisonMessageGuard(msg, context=context, broker=broker, service=service)

    broker.add_middleware(poison_guard)
    return broker


class PoisonMessageGuard(BaseMiddleware):
    """Dead-letter a message that does not decode into its event, then let it be committed.

    Without this, `NACK_ON_ERROR` seeks back to the same offset and the partition is stuck
    on it forever. The dead letter keeps the raw bytes (hex, `dlq-raw-payload-hex` header), the
    error, and the message's own headers, so an operator can inspect and replay it. If
    the dead letter cannot be published (broker away), the error stands and the message
    is redelivered later, so nothing is skipped unrecorded.
    """

    def __init__(self, msg: Any, /, *, context: Any, broker: KafkaBroker, service: str) -> None:
        super().__init__(msg, context=context)
        self._broker, self._service = broker, service

    async def after_processed(
        self,
        exc_type: type[BaseException] | None = None,
        exc_val: BaseException | None = None,
        exc_tb: TracebackType | None = None,
    ) -> bool | None:
        record = self.msg[0] if isinstance(self.msg, tuple) else self.msg
        if not isinstance(exc_val, _POISON) or not isinstance(record, ConsumerRecord):
            return False
        await self._dead_letter(record, exc_val)
        return True  # handled: the acknowledgement middleware commits past it

    async def _dead_letter(self, record: ConsumerRecord[Any, Any], error: Exception) -> None:
        raw: bytes = record.value or b""
        key = record.key.decode(errors="replace") if record.key else None
        summary = f"undecodable message: {type(error).__name__}: {str(error)[:500]}"
        letter = DeadLetter(
            service=self._service,
            topic=record.topic,
            partition=record.partition,
            offset=record.offset,
            key=key,
            error=summary,
            payload=raw.decode(errors="replace"),
        )
        headers = {k: v.decode(errors="replace") for k, v in record.headers or ()}
        await self._broker.publish(
            letter.model_dump(mode="json", by_alias=True),
            topic=dead_letter_topic(record.topic),
            key=record.key,
            headers={
                **headers,
                "event_type": type(letter).__name__,
                DLQ_ERROR_HEADER: summary,
                DLQ_SERVICE_HEADER: self._service,
                DLQ_RAW_HEADER: raw.hex(),
            },
        )
        POISON_MESSAGES.labels(record.topic, self._service).inc()
        log.error(
            "poison message dead-lettered",
            extra={"topic": record.topic, "partition": record.partition, "offset": record.offset},
        )


async def ensure_topics(
    bootstrap_servers: str, *, partitions: int = 6, replication_factor: int = 1
) -> list[str]:
    """Create every Dossier topic that does not exist yet. Returns the ones created."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [t for t in ALL_TOPICS if t not in existing]
        if missing:
            try:
                await admin.create_topics(
                    [NewTopic(t, partitions, replication_factor) for t in missing]
                )
            except TopicAlreadyExistsError:
                log.info("topics created concurrently by someone else")
        return missing
    finally:
        await admin.close()


Handler = TypeVar("Handler", bound=Callable[..., Awaitable[None]])


#: How long the broker may hold an empty fetch. Data is returned the moment it arrives, so
#: this costs no latency; it sets how often an idle consumer asks (aiokafka's default: 0.5 s).
FETCH_MAX_WAIT_MS = 5_000


def stage_subscriber(
    broker: KafkaBroker, topic: str, *, group_id: str, settings: ServiceSettings
) -> Callable[[Handler], Handler]:
    """Subscribe a pipeline stage: at-least-once (commit after the handler returns, redeliver
    on an unexpected error), each worker owning whole partitions so per-analysis order holds."""
    subscriber = broker.subscriber(
        topic,
        group_id=group_id,
        ack_policy=AckPolicy.NACK_ON_ERROR,
        auto_offset_reset="earliest",
        max_workers=settings.concurrency,
        session_timeout_ms=10_000,
        heartbeat_interval_ms=2_000,
        fetch_max_wait_ms=FETCH_MAX_WAIT_MS,
    )
    return cast("Callable[[Handler], Handler]", subscriber)
