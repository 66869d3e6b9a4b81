"""Webhooks: registration bodies, delivery records and the event envelope partners receive.

Keys are snake_case, like the top level of the analysis resource the envelope
carries (`{"id", "type", "occurred_at", "data": {"analysis": …}}`, issue 5).
"""

from enum import StrEnum
from typing import Annotated, Any, Final, Literal

from pydantic import Field, StringConstraints, field_validator, model_validator

from dossier.contracts.api import Analysis, WireModel
from dossier.contracts.timestamps import Timestamp


class WebhookEventType(StrEnum):
    """What a partner may subscribe to; the values are also the bus topics they come from."""

    ANALYSIS_COMPLETED = "analysis.completed"
    ANALYSIS_FAILED = "analysis.failed"
    ANALYSIS_CANCELED = "analysis.canceled"
    #: The report of a completed analysis was rewritten after reviewer feedback.
    ANALYSIS_UPDATED = "analysis.updated"


#: The event `POST /api/v1/webhooks/{id}/test` sends: never subscribed to, sent on request.
WEBHOOK_TEST: Final = "webhook.test"
WebhookTestType = Literal["webhook.test"]
#: What a delivery carries: a subscribed event, or the test event.
DeliveryEventType = WebhookEventType | WebhookTestType

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


class WebhookUpdate(WireModel):
    """`PATCH /api/v1/webhooks/{id}`: any of `url`, `events`, `enabled`; at least one."""

    url: WebhookUrl | None = Field(
        default=None,
        description="A new public `https` endpoint (checked like at registration).",
        examples=["https://ats.example.com/hooks/dossier-v2"],
    )
    events: list[WebhookEventType] | None = Field(
        default=None,
        min_length=1,
        description="The events to receive from now on (replaces the list).",
        examples=[["analysis.completed"]],
    )
    enabled: bool | None = Field(
        default=None,
        description="`true` turns a disabled endpoint back on and resets its count of "
        "consecutive failures; `false` pauses deliveries to it.",
        examples=[True],
    )

    @field_validator("events")
    @classmethod
    def _unique(cls, events: list[WebhookEventType] | None) -> list[WebhookEventType] | None:
        return None if events is None else list(dict.fromkeys(events))

    @model_validator(mode="after")
    def _something_to_change(self) -> "WebhookUpdate":
        given = self.model_fields_set
        if not given:
            msg = "send at least one of url, events, enabled"
            raise ValueError(msg)
        nulls = sorted(name for name in given if getattr(self, name) is None)
        if nulls:
            msg = f"{', '.join(nulls)} cannot be null"
            raise ValueError(msg)
        return self

    def changes(self) -> dict[str, Any]:
        """The fields sent, as stored (event names as strings)."""
        changed: dict[str, Any] = {}
        if self.url is not None:
            changed["url"] = self.url
        if self.events is not None:
            changed["events"] = [e.value for e in self.events]
        if self.enabled is not None:
            changed["enabled"] = self.enabled
        return changed


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
    failures_reset_at: Timestamp | None = Field(
        default=None,
        description='When `PATCH {"enabled": true}` last reset the count of consecutive '
        "failed deliveries.",
    )


#: A secret as issued: `whsec_` and the base64 of 32 random bytes (Standard Webhooks).
SECRET_EXAMPLE = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw+gbY8cUD7Ko="  # noqa: S105 (an example)


class WebhookCreated(Webhook):
    """The answer to registration: the only time the signing secret is shown."""

    secret: str = Field(
        description="Signing secret: `whsec_` and the base64 of 32 random bytes (Standard "
        "Webhooks). Store it now; it is never shown again.",
        examples=[SECRET_EXAMPLE],
    )


class WebhookSecretRotated(WireModel):
    """`POST /api/v1/webhooks/{id}/rotate-secret`: the new secret, shown this once."""

    id: str = Field(examples=["wh_3f9c2a71d04e8b56"])
    secret: str = Field(
        description="The new signing secret. Deliveries are signed with it from now on.",
        examples=[SECRET_EXAMPLE],
    )
    previous_secret_expires_at: Timestamp = Field(
        description="Until then every delivery is signed with the previous secret too (two "
        "`v1=` values in `X-Dossier-Signature`, two `v1,` values in `webhook-signature`), so "
        "receivers can switch over without dropping events.",
    )


class WebhookDeliveryQueued(WireModel):
    """`202` from `…/test` and `…/redeliver`: the delivery that will be attempted."""

    delivery_id: str = Field(
        description="Names the delivery in `GET /api/v1/webhooks/{id}/deliveries`.",
        examples=["evt_5d41402abc4b2a76b9719d91:wh_3f9c2a71d04e8b56"],
    )
    event_id: str = Field(
        description="The event's id, also sent as `webhook-id` and `X-Dossier-Event-Id`: the "
        "same for every attempt and redelivery of one event.",
        examples=["evt_5d41402abc4b2a76b9719d91"],
    )
    event_type: DeliveryEventType = Field(examples=["webhook.test"])
    webhook_id: str = Field(examples=["wh_3f9c2a71d04e8b56"])


class WebhookList(WireModel):
    data: list[Webhook]
    available_events: list[WebhookEventType] = Field(default_factory=lambda: list(WebhookEventType))


class DeliveryAttempt(WireModel):
    """One attempt to deliver one event to one endpoint (every attempt is kept)."""

    delivery_id: str | None = Field(
        default=None,
        description="The delivery this attempt belongs to (one per event and endpoint): what "
        "`POST /api/v1/webhooks/{id}/deliveries/{delivery_id}/redeliver` takes.",
        examples=["evt_5d41402abc4b2a76b9719d91:wh_3f9c2a71d04e8b56"],
    )
    event_id: str = Field(examples=["evt_5d41402abc4b2a76b9719d91"])
    event_type: DeliveryEventType
    analysis_id: str | None = Field(default=None, description="Empty for `webhook.test`.")
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


class WebhookTestData(WireModel):
    webhook_id: str
    message: str


class WebhookTestEvent(WireModel):
    """The body of a `webhook.test` delivery: signed like every other event."""

    id: str = Field(examples=["evt_9b2c6f0e41d7a3b85c0d2e6f1a4b7c90"])
    type: WebhookTestType = WEBHOOK_TEST
    occurred_at: Timestamp
    data: WebhookTestData
