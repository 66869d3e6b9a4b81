"""Registering, listing and deleting webhook endpoints: the decisions.

Endpoints belong to a partner *and* an environment: a test key sees and
receives only test endpoints and test events. The URL passes the SSRF guard
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


def as_webhook(doc: Document) -> Webhook:
    return Webhook.model_validate({**doc, "id": doc["_id"]})


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
        await self.repository.insert(doc)
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
        docs = await self.repository.for_partner(key.partner.id, key.environment.value)
        return [as_webhook(d) for d in docs]

    async def get(self, webhook_id: str, key: AuthenticatedKey) -> Webhook:
        return as_webhook(await self._owned(webhook_id, key))

    async def delete(self, webhook_id: str, key: AuthenticatedKey) -> None:
        await self._owned(webhook_id, key)
        await self.repository.mark_deleted(webhook_id, utcnow())
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
        doc = await self.repository.get(webhook_id, key.partner.id, key.environment.value)
        if doc is None:
            raise not_found("webhook")
        return doc
