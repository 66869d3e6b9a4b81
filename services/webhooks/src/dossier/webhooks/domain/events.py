"""The event a partner receives: its stable id and its envelope."""

import hashlib
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from dossier.contracts.api import Analysis
from dossier.contracts.webhooks import (
    WEBHOOK_TEST,
    WebhookEvent,
    WebhookEventData,
    WebhookEventType,
    WebhookTestData,
    WebhookTestEvent,
)

#: What a `webhook.test` event says.
TEST_MESSAGE = "A test event from Dossier: your endpoint received it and can verify it."


def is_test(event_type: str) -> bool:
    return event_type == WEBHOOK_TEST


def event_id(analysis_id: str, event_type: WebhookEventType, revision: int = 0) -> str:
    """Derived, not random: an analysis ends once, so (analysis, type) names one event, and a
    redelivered bus message or a retry yields the same id receivers deduplicate on. A report
    rewritten after feedback is updated once per `revision`: (analysis, type, revision)."""
    name = f"{analysis_id}\x1f{event_type.value}" + (f"\x1f{revision}" if revision else "")
    digest = hashlib.sha256(name.encode()).hexdigest()
    return f"evt_{digest[:32]}"


def subscribers(
    endpoints: Iterable[dict[str, Any]], event_type: WebhookEventType, occurred_at: datetime
) -> list[dict[str, Any]]:
    """Enabled endpoints that subscribed to `event_type` before the event happened (a
    replayed old event never reaches an endpoint registered after it)."""
    return [
        e
        for e in endpoints
        if e.get("enabled")
        and event_type.value in e.get("events", [])
        and e["created_at"] <= occurred_at
    ]


def envelope_body(
    event_type: WebhookEventType,
    analysis: Analysis,
    *,
    occurred_at: datetime,
    event: str | None = None,
) -> bytes:
    """The exact bytes POSTed (and signed): `{"id", "type", "occurred_at", "data": {"analysis"}}`.
    `event`: the delivery's event id (an `analysis.updated` one names its revision)."""
    envelope = WebhookEvent(
        id=event or event_id(analysis.id, event_type),
        type=event_type,
        occurred_at=occurred_at,
        data=WebhookEventData(analysis=analysis),
    )
    return envelope.model_dump_json(by_alias=True).encode()


def webhook_test_body(event: str, webhook_id: str, *, occurred_at: datetime) -> bytes:
    """The `webhook.test` body: `{"id", "type": "webhook.test", "occurred_at", "data"}`."""
    envelope = WebhookTestEvent(
        id=event,
        occurred_at=occurred_at,
        data=WebhookTestData(webhook_id=webhook_id, message=TEST_MESSAGE),
    )
    return envelope.model_dump_json(by_alias=True).encode()
