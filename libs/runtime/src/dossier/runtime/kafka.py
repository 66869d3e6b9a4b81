"""Kafka wiring: the broker, and topic provisioning for local stacks."""

import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar, cast

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.opentelemetry import KafkaTelemetryMiddleware
from opentelemetry import trace

from dossier.contracts.topics import ALL_TOPICS
from dossier.runtime.settings import ServiceSettings

log = logging.getLogger(__name__)


def make_broker(settings: ServiceSettings) -> KafkaBroker:
    """A broker whose publishes are durable (acks=all, idempotent producer)."""
    return KafkaBroker(
        settings.kafka_bootstrap_servers,
        client_id=settings.service_name,
        acks="all",
        enable_idempotence=True,
        request_timeout_ms=15_000,
        logger=logging.getLogger(f"dossier.{settings.service_name}.bus"),
        middlewares=[KafkaTelemetryMiddleware(tracer_provider=trace.get_tracer_provider())],
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
