"""`/api/v1/keys`: mint (raw key shown once), list, revoke. Decisions live in `service`."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response, status

from dossier.contracts.keys import ApiKey, ApiKeyCreated, ApiKeyList, KeyCreate
from dossier.gateway.dependencies import Ctx, KeysManage
from dossier.gateway.keys.service import KeyService

router = APIRouter(prefix="/api/v1/keys", tags=["keys"])

KeyRef = Annotated[
    str, Path(min_length=1, max_length=64, description="The key's `id` (`key_…`) or prefix.")
]


async def key_service(ctx: Ctx) -> KeyService:
    return KeyService(ctx.partners, ctx.audit)


Keys = Annotated[KeyService, Depends(key_service)]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ApiKeyCreated,
    summary="Create a key (the raw key is in this response only)",
    operation_id="createApiKey",
)
async def create_key(
    body: KeyCreate, key: KeysManage, keys: Keys, response: Response
) -> ApiKeyCreated:
    response.headers["Cache-Control"] = "no-store"
    return await keys.mint(key, body)


@router.get(
    "",
    response_model=ApiKeyList,
    summary="List your keys (prefixes, never secrets)",
    operation_id="listApiKeys",
)
async def list_keys(key: KeysManage, keys: Keys) -> ApiKeyList:
    return ApiKeyList(data=await keys.list(key))


@router.delete(
    "/{key_ref}",
    response_model=ApiKey,
    summary="Revoke a key (kept, marked revoked; requests with it get 401)",
    operation_id="revokeApiKey",
)
async def revoke_key(key_ref: KeyRef, key: KeysManage, keys: Keys) -> ApiKey:
    return await keys.revoke(key, key_ref)
