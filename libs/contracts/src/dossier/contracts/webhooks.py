"""Webhooks: registration bodies, delivery records and the event envelope partners receive.

Keys are snake_case, like the top level of the analysis resource the envelope
carries (`{"id", "type", "occurred_at", "data": {"analysis": …}}`, issue 5).
"""

from enum import StrEnum
from typing import Annotated

from pydantic import Field, StringConstraints, field_validator

from dossier.contracts.api import Analysis, WireModel
from dossier.contracts.timestamps import Timestamp


class WebhookEventType(StrEnum):
    """What a partner may subscribe to; the values are also the bus topics they come from."""

    ANALYSIS_COMPLETED = "analysis.completed"
    ANALYSIS_FAILED = "analysis.failed"
    ANALYSIS_CANCELED = "analysis.canceled"
    #: The report of a completed analysis was rewritten after reviewer feedback.
    ANALYSIS_UPDATED = "analysis.updated"


WebhookUrl = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2048)]


class WebhookCreate(WireModel):
    """`POST /api/v1/webhooks`."""

    url: WebhookUrl = Field(
        description="Public `https` endpoint that receives the events.",
        examples=["https://ats.example.com/hooks/dossier"],
    )
    events: list[WebhookEventType] = Field(
        min_length=1,
        description="The events to receive.",
        examples=[["analysis.completed", "analysis.failed"]],
    )

    @field_validator("events")
    @classmethod
    def _unique(cls, events: list[WebhookEventType]) -> list[WebhookEventType]:
        return list(dict.fromkeys(events))


class Webhook(WireModel):
    """A registered endpoint, as listed (the secret is never shown again)."""

    id: str = Field(examples=["wh_3f9c2a71d04e8b56"])
    url: str
    events: list[WebhookEventType]
    enabled: bool
    created_at: Timestamp
    disabled_at: Timestamp | None = Field(
        default=None, description="Set when the endpoint was disabled after repeated failures."
    )
    disabled_reason: str | None = None


class WebhookCreated(Webhook):
    """The answer to registration: the only time the signing secret is shown."""

    secret: str = Field(
        description="Signing secret (`whsec_…`). Store it now; it is never shown again.",
        examples=["whsec_" + "0" * 64],
    )


class WebhookList(WireModel):
    data: list[Webhook]
    available_events: list[WebhookEventType] = Field(default_factory=lambda: list(WebhookEventType))


class DeliveryAttempt(WireModel):
    """One attempt to deliver one event to one endpoint (every attempt is kept)."""

    event_id: str = Field(examples=["evt_5d41402abc4b2a76b9719d91"])
    event_type: WebhookEventType
    analysis_id: str
    attempt: int = Field(ge=1, description="1 for the first try, then one per retry.")
    status_code: int | None = Field(default=None, description="The endpoint's HTTP status.")
    error: str | None = Field(default=None, description="Why no status was received.")
    duration_ms: int
    at: Timestamp
    next_retry_at: Timestamp | None = Field(
        default=None, description="When the next attempt is due; empty once delivered or given up."
    )
    result: str = Field(description="`delivered`, `retrying` or `failed` (given up).")


class DeliveryAttemptList(WireModel):
    data: list[DeliveryAttempt]


class WebhookEventData(WireModel):
    analysis: Analysis


class WebhookEvent(WireModel):
    """The body POSTed to the endpoint. `id` is stable across retries (deduplicate on it);
    `data.analysis.updated_at` orders events that arrive out of order."""

    id: str = Field(examples=["evt_5d41402abc4b2a76b9719d91"])
    type: WebhookEventType
    occurred_at: Timestamp
    data: WebhookEventData
