"""`GET /api/v1/me`: any valid v1 key (no scope needed) learns who it is and what it has left."""

from fastapi import APIRouter, Request

from dossier.contracts.me import Me
from dossier.gateway.dependencies import ApiKey, Ctx
from dossier.gateway.me.service import who_am_i
from dossier.gateway.usage.repository import UsageRepository

router = APIRouter(prefix="/api/v1/me", tags=["account"])


@router.get(
    "",
    response_model=Me,
    summary="Who am I: the calling key, its partner, plan, rate limits and credits",
    description="Any valid key, whatever its scopes. `credits` counts this calendar month "
    "(UTC) of live usage; a test key is never billed (`billed: false`, `used_this_month: 0`, "
    "`monthly_limit: null`). `rate_limits` is the partner's budget for this key's "
    "environment, shared by all its keys.",
    operation_id="getMe",
)
async def get_me(key: ApiKey, ctx: Ctx, request: Request) -> Me:
    return await who_am_i(ctx, usage_reader(request, ctx), key)


def usage_reader(request: Request, ctx: Ctx) -> UsageRepository:
    """The process's reader of usage and credit journals (it remembers journal heads)."""
    reader: UsageRepository | None = getattr(request.app.state, "usage_reader", None)
    if reader is None:
        reader = request.app.state.usage_reader = UsageRepository(ctx.db)
    return reader
