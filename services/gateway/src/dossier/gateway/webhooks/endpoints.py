"""`/api/v1/webhooks`: register endpoints for analysis events, list them, see every attempt."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response, status

from dossier.contracts.webhooks import (
    DeliveryAttemptList,
    Webhook,
    WebhookCreate,
    WebhookCreated,
    WebhookList,
)
from dossier.gateway.dependencies import Ctx, WebhooksManage
from dossier.gateway.webhooks.repository import WebhookRepository
from dossier.gateway.webhooks.service import WebhookService, allowlist
from dossier.runtime.webhook_registry import MAX_ENDPOINTS

router = APIRouter(prefix="/api/v1/webhooks", tags=["webhooks"])

WebhookId = Annotated[str, Path(min_length=1, max_length=64)]


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
