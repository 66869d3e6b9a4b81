"""Publishing events: keyed by analysis id, JSON by alias, context in headers."""

import asyncio

from aiokafka.errors import KafkaTimeoutError
from faststream.kafka import KafkaBroker

from dossier.contracts.events import Event

#: How long one publish may wait for the broker's acknowledgement. Without a bound, a
#: publish to a broker that is down waits for as long as the producer keeps retrying
#: (minutes): an HTTP request would hang, a consumer would stall its partition. After it,
#: the caller gets `KafkaTimeoutError` and decides: the gateway answers 503 and its
#: outbox publishes later; a stage's message is retried and, failing that, redelivered.
PUBLISH_TIMEOUT_SECONDS = 10.0


async def publish_event(
    broker: KafkaBroker,
    topic: str,
    event: Event,
    *,
    key: str,
) -> None:
    """Publish and wait for the broker's acknowledgement (acks=all), so callers can rely on it.

    Raises `KafkaTimeoutError` when no acknowledgement came within `PUBLISH_TIMEOUT_SECONDS`; the
    event may still be delivered later (the producer keeps it), so consumers must be
    idempotent, as they are for redeliveries anyway.
    """
    try:
        async with asyncio.timeout(PUBLISH_TIMEOUT_SECONDS):
            await broker.publish(
                event.model_dump(mode="json", by_alias=True),
                topic=topic,
                key=key.encode(),
                headers={"event_type": type(event).__name__},
            )
    except TimeoutError as exc:
        msg = f"no acknowledgement for {topic} within {PUBLISH_TIMEOUT_SECONDS:.0f}s"
        raise KafkaTimeoutError(msg) from exc
