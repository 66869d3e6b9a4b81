"""Publishing events: keyed by analysis id, JSON by alias, context in headers."""

from faststream.kafka import KafkaBroker

from dossier.contracts.events import Event


async def publish_event(broker: KafkaBroker, topic: str, event: Event, *, key: str) -> None:
    """Publish and wait for the broker's acknowledgement (acks=all), so callers can rely on it."""
    await broker.publish(
        event.model_dump(mode="json", by_alias=True),
        topic=topic,
        key=key.encode(),
        headers={"event_type": type(event).__name__},
    )
