"""Registering, changing, listing and deleting webhook endpoints; rotating their secret;
sending a test event and redelivering one: the decisions.

Endpoints belong to a partner *and* an environment: a test key sees and
receives only test endpoints and test events, and each environment holds at
most `MAX_ENDPOINTS` of them. Every lookup goes through the webhook registry
keyed by the caller's partner and environment, so another partner's (or
environment's) endpoint is simply not found. The URL passes the SSRF guard
(`dossier.runtime.ssrf`) at registration; the webhooks service checks it again
before every delivery, and again on every change of URL.

A rotated secret does not retire the previous one at once: for
`PREVIOUS_SECRET_GRACE` every delivery is signed with both, so a partner can
deploy the new secret while events keep verifying. Only one previous secret is
kept: rotating twice within the grace period drops the oldest.
"""

import base64
import secrets
from datetime import timedelta
from functools import cache

from pydantic_settings import BaseSettings, SettingsConfigDict

from dossier.contracts.timestamps import format_timestamp, utcnow
from dossier.contracts.webhooks import (
    WEBHOOK_TEST,
    DeliveryAttempt,
    Webhook,
    WebhookCreate,
    WebhookCreated,
    WebhookDeliveryQueued,
    WebhookSecretRotated,
    WebhookUpdate,
)
from dossier.gateway.audit.trail import AuditTrail
from dossier.gateway.auth.repository import AuthenticatedKey
from dossier.gateway.problems import ProblemError, not_found
from dossier.gateway.webhooks.repository import WebhookRepository
from dossier.runtime.mongo import Document
from dossier.runtime.ssrf import Allowlist, CheckedTarget, UrlRefusedError, check_url
from dossier.runtime.webhook_queue import PENDING, delivery_id
from dossier.runtime.webhook_registry import (
    MAX_ENDPOINTS,
    EndpointLimitReachedError,
    endpoint_entry,
)


class WebhookRegistrationSettings(BaseSettings):
    """The one webhook setting the gateway needs (shared with the webhooks service)."""

    model_config = SettingsConfigDict(env_prefix="DOSSIER_", extra="ignore")

    webhook_allowlist: str = ""


@cache
def allowlist() -> Allowlist:
    return Allowlist.parse(WebhookRegistrationSettings().webhook_allowlist)


def new_webhook_id() -> str:
    return f"wh_{secrets.token_hex(8)}"


def new_secret() -> str:
    """`whsec_` and the base64 of 32 random bytes: the Standard Webhooks format, which the
    `standardwebhooks` libraries take as is."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def new_test_event_id() -> str:
    """Random, unlike an analysis event's: every test is an event of its own."""
    return f"evt_{secrets.token_hex(16)}"


#: How long deliveries stay signed with the previous secret after a rotation too.
PREVIOUS_SECRET_GRACE = timedelta(hours=24)


def url_refused(reason: str) -> ProblemError:
    return ProblemError(422, "webhook-url-refused", "Webhook URL refused", reason)


def limit_reached() -> ProblemError:
    return ProblemError(
        409,
        "webhook-limit-reached",
        "Webhook limit reached",
        f"At most {MAX_ENDPOINTS} webhook endpoints per environment: delete one you no longer "
        "need (GET /api/v1/webhooks lists them) before registering another.",
    )


def endpoint_disabled(webhook_id: str) -> ProblemError:
    return ProblemError(
        409,
        "webhook-disabled",
        "Webhook disabled",
        f"Webhook {webhook_id} is disabled, so nothing is sent to it: turn it back on first "
        '(PATCH /api/v1/webhooks/{id} with {"enabled": true}).',
    )


def as_webhook(endpoint: Document) -> Webhook:
    """From the registry's entry (`id`, URL, events, enabled/disabled state)."""
    return Webhook.model_validate(endpoint)


class WebhookService:
    def __init__(
        self, repository: WebhookRepository, audit: AuditTrail, allowed: Allowlist
    ) -> None:
        self.repository, self.audit, self.allowed = repository, audit, allowed

    async def _checked(self, url: str) -> CheckedTarget:
        try:
            return await check_url(url, self.allowed)
        except UrlRefusedError as refused:
            raise url_refused(refused.reason) from refused

    async def register(self, body: WebhookCreate, key: AuthenticatedKey) -> WebhookCreated:
        target = await self._checked(body.url)
        doc: Document = {
            "_id": new_webhook_id(),
            "partner_id": key.partner.id,
            "environment": key.environment.value,
            "url": target.url,
            "events": [e.value for e in body.events],
            "secret": new_secret(),
            "enabled": True,
            "created_at": utcnow(),
            "created_by": key.key_id,
            "disabled_at": None,
            "disabled_reason": None,
            "deleted_at": None,
        }
        # The document first: a registration stopped halfway leaves an unlisted document,
        # never a listed endpoint without its secret.
        await self.repository.insert(doc)
        try:
            await self.repository.registry.register(
                key.partner.id, key.environment.value, endpoint_entry(doc)
            )
        except EndpointLimitReachedError:
            await self.repository.discard(doc["_id"])
            raise limit_reached() from None
        await self.audit.record(
            key.partner.id,
            "webhook.created",
            actor=key.key_id,
            target=doc["_id"],
            details={
                "host": target.parsed.host,
                "events": doc["events"],
                "environment": doc["environment"],
            },
        )
        return WebhookCreated.model_validate({**doc, "id": doc["_id"]})

    async def list_for(self, key: AuthenticatedKey) -> list[Webhook]:
        endpoints = await self.repository.registry.endpoints(key.partner.id, key.environment.value)
        return [as_webhook(e) for e in sorted(endpoints, key=lambda e: e["created_at"])]

    async def get(self, webhook_id: str, key: AuthenticatedKey) -> Webhook:
        return as_webhook(await self._owned(webhook_id, key))

    async def delete(self, webhook_id: str, key: AuthenticatedKey) -> None:
        """Stamp the document, then drop the endpoint from the registry (which stops its
        deliveries). Of two DELETEs racing, the one that drops it answers; the other 404s."""
        await self._owned(webhook_id, key)
        await self.repository.mark_deleted(webhook_id, utcnow())
        if not await self.repository.registry.remove(
            key.partner.id, key.environment.value, webhook_id
        ):
            raise not_found("webhook")
        await self.audit.record(
            key.partner.id, "webhook.deleted", actor=key.key_id, target=webhook_id
        )

    async def update(self, webhook_id: str, body: WebhookUpdate, key: AuthenticatedKey) -> Webhook:
        """Change the URL (SSRF-checked again), the events, or turn the endpoint on or off.
        The registration document first (kept in step for the record), then the registry,
        whose new version is what lists, fan-outs and the sender (URL, on/off) go by."""
        await self._owned(webhook_id, key)
        changes = body.changes()
        details: dict[str, object] = {"fields": sorted(changes)}
        if "url" in changes:
            target = await self._checked(changes["url"])
            changes["url"] = target.url
            details["host"] = target.parsed.host
        if "events" in changes:
            details["events"] = changes["events"]
        if "enabled" in changes:
            details["enabled"] = changes["enabled"]
        now = utcnow()
        await self.repository.change(
            webhook_id,
            {**{k: v for k, v in changes.items() if k in ("url", "events")}, "updated_at": now},
        )
        if not await self.repository.registry.update(
            key.partner.id, key.environment.value, webhook_id, changes, now
        ):
            raise not_found("webhook")
        await self.audit.record(
            key.partner.id, "webhook.updated", actor=key.key_id, target=webhook_id, details=details
        )
        return as_webhook(await self._owned(webhook_id, key))

    async def rotate_secret(self, webhook_id: str, key: AuthenticatedKey) -> WebhookSecretRotated:
        """A new secret, shown once; the current one keeps signing (as the previous secret)
        for `PREVIOUS_SECRET_GRACE`."""
        await self._owned(webhook_id, key)
        webhook = await self.repository.get(webhook_id)
        if webhook is None or webhook.get("deleted_at") is not None:
            raise not_found("webhook")
        secret, now = new_secret(), utcnow()
        previous_until = now + PREVIOUS_SECRET_GRACE
        await self.repository.change(
            webhook_id,
            {
                "secret": secret,
                "previous_secret": webhook["secret"],
                "previous_secret_expires_at": previous_until,
                "secret_rotated_at": now,
            },
        )
        await self.audit.record(
            key.partner.id,
            "webhook.secret_rotated",
            actor=key.key_id,
            target=webhook_id,
            details={"previous_secret_expires_at": format_timestamp(previous_until)},
        )
        return WebhookSecretRotated(
            id=webhook_id, secret=secret, previous_secret_expires_at=previous_until
        )

    async def send_test(self, webhook_id: str, key: AuthenticatedKey) -> WebhookDeliveryQueued:
        """Queue a signed `webhook.test` event to this endpoint (sent by the webhooks service
        like any delivery: retried, listed under its deliveries)."""
        endpoint = await self._owned(webhook_id, key)
        if not endpoint.get("enabled"):
            raise endpoint_disabled(webhook_id)
        now = utcnow()
        event = new_test_event_id()
        delivery = {
            "_id": delivery_id(event, webhook_id),
            "event_id": event,
            "event_type": WEBHOOK_TEST,
            "analysis_id": None,
            "webhook_id": webhook_id,
            "partner_id": key.partner.id,
            "environment": key.environment.value,
            "occurred_at": now,
            "created_at": now,
            "status": PENDING,
            "attempts": 0,
        }
        await self.repository.queue.enqueue(delivery)
        await self.audit.record(
            key.partner.id,
            "webhook.tested",
            actor=key.key_id,
            target=webhook_id,
            details={"event_id": event},
        )
        return WebhookDeliveryQueued(
            delivery_id=delivery["_id"],
            event_id=event,
            event_type=WEBHOOK_TEST,
            webhook_id=webhook_id,
        )

    async def redeliver(
        self, webhook_id: str, delivery_ref: str, key: AuthenticatedKey
    ) -> WebhookDeliveryQueued:
        """One more attempt of a delivery to this endpoint, now, with the same event id
        (receivers deduplicate on it). `delivery_ref` is the delivery id as listed, or the
        bare event id."""
        endpoint = await self._owned(webhook_id, key)
        key_id = delivery_ref if ":" in delivery_ref else delivery_id(delivery_ref, webhook_id)
        delivery = await self.repository.queue.delivery(key_id)
        if (
            delivery is None
            or delivery.get("webhook_id") != webhook_id
            or delivery.get("partner_id") != key.partner.id
            or delivery.get("environment") != key.environment.value
        ):
            raise not_found("delivery")
        if not endpoint.get("enabled"):
            raise endpoint_disabled(webhook_id)
        await self.repository.queue.redeliver(delivery, utcnow())
        await self.audit.record(
            key.partner.id,
            "webhook.redelivered",
            actor=key.key_id,
            target=webhook_id,
            details={"event_id": delivery["event_id"], "event_type": delivery["event_type"]},
        )
        return WebhookDeliveryQueued(
            delivery_id=delivery["_id"],
            event_id=delivery["event_id"],
            event_type=delivery["event_type"],
            webhook_id=webhook_id,
        )

    async def deliveries(
        self, webhook_id: str, key: AuthenticatedKey, limit: int
    ) -> list[DeliveryAttempt]:
        await self._owned(webhook_id, key)
        return [
            DeliveryAttempt.model_validate(doc)
            for doc in await self.repository.attempts(webhook_id, limit)
        ]

    async def _owned(self, webhook_id: str, key: AuthenticatedKey) -> Document:
        """The caller's endpoint from its own registry (keyed by partner and environment):
        another partner's, another environment's or a deleted one is not found."""
        endpoint = await self.repository.registry.endpoint(
            key.partner.id, key.environment.value, webhook_id
        )
        if endpoint is None:
            raise not_found("webhook")
        return endpoint
