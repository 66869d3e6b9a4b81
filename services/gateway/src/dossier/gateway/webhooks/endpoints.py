"""`/api/v1/webhooks`: register endpoints for analysis events, list them, change them, rotate
their secret, send a test event, see every attempt and redeliver one."""

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Query, Response, status

from dossier.contracts.webhooks import (
    DeliveryAttemptList,
    Webhook,
    WebhookCreate,
    WebhookCreated,
    WebhookDeliveryQueued,
    WebhookList,
    WebhookSecretRotated,
    WebhookUpdate,
)
from dossier.gateway.dependencies import Ctx, WebhooksManage
from dossier.gateway.webhooks.repository import WebhookRepository
from dossier.gateway.webhooks.service import WebhookService, allowlist
from dossier.runtime.webhook_registry import MAX_ENDPOINTS

router = APIRouter(prefix="/api/v1/webhooks", tags=["webhooks"])

WebhookId = Annotated[str, Path(min_length=1, max_length=64)]
DeliveryId = Annotated[
    str,
    Path(
        min_length=1,
        max_length=160,
        description="The `delivery_id` of an attempt listed under `/deliveries` (or its "
        "`event_id`).",
    ),
]

UPDATE_EXAMPLES = {
    "re_enable": {
        "summary": "Turn a disabled endpoint back on (and reset its failure count)",
        "value": {"enabled": True},
    },
    "move": {
        "summary": "Move the endpoint and change its events",
        "value": {
            "url": "https://ats.example.com/hooks/dossier-v2",
            "events": ["analysis.completed", "analysis.failed"],
        },
    },
}
DISABLED_409: dict[int | str, dict[str, Any]] = {
    409: {
        "description": "`webhook-disabled`: the endpoint is off; turn it on first "
        '(`PATCH {"enabled": true}`).'
    }
}


async def webhook_service(ctx: Ctx) -> WebhookService:
    return WebhookService(WebhookRepository(ctx.db), ctx.audit, allowlist())


Service = Annotated[WebhookService, Depends(webhook_service)]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=WebhookCreated,
    summary="Register a webhook endpoint (the signing secret is shown once)",
    responses={
        409: {
            "description": "`webhook-limit-reached`: this environment already has its "
            f"{MAX_ENDPOINTS} endpoints; delete one first. Or an Idempotency-Key reused "
            "with another body (`idempotency-key-reused`)."
        },
        422: {"description": "Invalid body, or `webhook-url-refused` (not public https)."},
    },
    operation_id="createWebhook",
)
async def create_webhook(
    body: WebhookCreate, key: WebhooksManage, service: Service
) -> WebhookCreated:
    return await service.register(body, key)


@router.get(
    "",
    response_model=WebhookList,
    summary="List your webhook endpoints",
    operation_id="listWebhooks",
)
async def list_webhooks(key: WebhooksManage, service: Service) -> WebhookList:
    return WebhookList(data=await service.list_for(key))


@router.get(
    "/{webhook_id}",
    response_model=Webhook,
    summary="One webhook endpoint",
    operation_id="getWebhook",
)
async def get_webhook(webhook_id: WebhookId, key: WebhooksManage, service: Service) -> Webhook:
    return await service.get(webhook_id, key)


@router.delete(
    "/{webhook_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    summary="Delete a webhook endpoint (pending deliveries to it are dropped)",
    operation_id="deleteWebhook",
)
async def delete_webhook(webhook_id: WebhookId, key: WebhooksManage, service: Service) -> Response:
    await service.delete(webhook_id, key)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/{webhook_id}/deliveries",
    response_model=DeliveryAttemptList,
    summary="Every delivery attempt to this endpoint, newest first",
    operation_id="listWebhookDeliveries",
)
async def list_deliveries(
    webhook_id: WebhookId,
    key: WebhooksManage,
    service: Service,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> DeliveryAttemptList:
    return DeliveryAttemptList(data=await service.deliveries(webhook_id, key, limit))


@router.patch(
    "/{webhook_id}",
    response_model=Webhook,
    operation_id="updateWebhook",
    summary="Change a webhook endpoint's URL or events, or turn it on or off",
    description="Send any of `url`, `events`, `enabled` (at least one). A new URL is checked "
    'like at registration. `{"enabled": true}` turns an endpoint disabled after failures (or '
    "a `410`) back on and resets its count of consecutive failed deliveries; "
    '`{"enabled": false}` pauses it. The secret is unchanged. Audited (`webhook.updated`).',
    responses={422: {"description": "Invalid body, nothing to change, or `webhook-url-refused`."}},
)
async def update_webhook(
    webhook_id: WebhookId,
    body: Annotated[WebhookUpdate, Body(openapi_examples=UPDATE_EXAMPLES)],
    key: WebhooksManage,
    service: Service,
) -> Webhook:
    return await service.update(webhook_id, body, key)


@router.post(
    "/{webhook_id}/rotate-secret",
    response_model=WebhookSecretRotated,
    operation_id="rotateWebhookSecret",
    summary="Issue a new signing secret (shown once); the old one keeps signing for 24 h",
    description="Deliveries are signed with the new secret at once and, for 24 hours, with "
    "the previous one too: `X-Dossier-Signature` carries two `v1=` values and "
    "`webhook-signature` two `v1,` values. Deploy the new secret within that window. "
    "Audited (`webhook.secret_rotated`).",
)
async def rotate_webhook_secret(
    webhook_id: WebhookId, key: WebhooksManage, service: Service
) -> WebhookSecretRotated:
    return await service.rotate_secret(webhook_id, key)


@router.post(
    "/{webhook_id}/test",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=WebhookDeliveryQueued,
    operation_id="testWebhook",
    summary="Send a signed `webhook.test` event to this endpoint",
    description="Queued at once and sent like any event (signed, retried, listed under "
    '`/deliveries`). Its body is `{id, type: "webhook.test", occurred_at, data: '
    "{webhook_id, message}}`. Audited (`webhook.tested`).",
    responses=DISABLED_409,
)
async def test_webhook(
    webhook_id: WebhookId, key: WebhooksManage, service: Service
) -> WebhookDeliveryQueued:
    return await service.send_test(webhook_id, key)


@router.post(
    "/{webhook_id}/deliveries/{delivery_id}/redeliver",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=WebhookDeliveryQueued,
    operation_id="redeliverWebhookDelivery",
    summary="Attempt a delivery again, now (same event id)",
    description="A new attempt of that delivery, rendered afresh, with the same event id "
    "(`webhook-id`, `X-Dossier-Event-Id`, body `id`) so your receiver can deduplicate. A "
    "delivery still waiting for a retry is attempted now instead. Unknown delivery: 404. "
    "Audited (`webhook.redelivered`).",
    responses=DISABLED_409,
)
async def redeliver_webhook_delivery(
    webhook_id: WebhookId, delivery_id: DeliveryId, key: WebhooksManage, service: Service
) -> WebhookDeliveryQueued:
    return await service.redeliver(webhook_id, delivery_id, key)
