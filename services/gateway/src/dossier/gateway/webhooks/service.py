"""Registering, listing and deleting webhook endpoints: the decisions.

Endpoints belong to a partner *and* an environment: a test key sees and
receives only test endpoints and test events, and each environment holds at
most `MAX_ENDPOINTS` of them. Every lookup goes through the webhook registry
keyed by the caller's partner and environment, so another partner's (or
environment's) endpoint is simply not found. The URL passes the SSRF guard
(`dossier.runtime.ssrf`) at registration; the webhooks service checks it again
before every delivery.
"""

import secrets
from functools import cache

from pydantic_settings import BaseSettings, SettingsConfigDict

from dossier.contracts.timestamps import utcnow
from dossier.contracts.webhooks import (
    DeliveryAttempt,
    Webhook,
    WebhookCreate,
    WebhookCreated,
)
from dossier.gateway.audit.trail import AuditTrail
from dossier.gateway.auth.repository import AuthenticatedKey
from dossier.gateway.problems import ProblemError, not_found
from dossier.gateway.webhooks.repository import WebhookRepository
from dossier.runtime.mongo import Document
from dossier.runtime.ssrf import Allowlist, UrlRefusedError, check_url
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
    return f"whsec_{secrets.token_hex(32)}"


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


def as_webhook(endpoint: Document) -> Webhook:
    """From the registry's entry (`id`, URL, events, enabled/disabled state)."""
    return Webhook.model_validate(endpoint)


class WebhookService:
    def __init__(
        self, repository: WebhookRepository, audit: AuditTrail, allowed: Allowlist
    ) -> None:
        self.repository, self.audit, self.allowed = repository, audit, allowed

    async def register(self, body: WebhookCreate, key: AuthenticatedKey) -> WebhookCreated:
        try:
            target = await check_url(body.url, self.allowed)
        except UrlRefusedError as refused:
            raise url_refused(refused.reason) from refused
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
