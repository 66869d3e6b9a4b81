"""Request dependencies: the shared context and the authenticated partner key."""

from typing import Annotated

from fastapi import Depends, Header, Request

from dossier.contracts.timestamps import utcnow
from dossier.gateway.auth.keys import LEGACY_KIND, V1_KIND
from dossier.gateway.auth.repository import AuthenticatedKey
from dossier.gateway.context import GatewayContext
from dossier.gateway.problems import ProblemError
from dossier.runtime.logging import bind_log_context


def get_context(request: Request) -> GatewayContext:
    ctx: GatewayContext = request.app.state.ctx
    return ctx


Ctx = Annotated[GatewayContext, Depends(get_context)]


def _unauthorized(header: str) -> ProblemError:
    return ProblemError(
        401,
        "unauthorized",
        "Unauthorized",
        f"Send a valid, active API key in the {header} header.",
        headers={"WWW-Authenticate": f'ApiKey header="{header}"'},
    )


async def _authenticate(
    ctx: GatewayContext, raw: str | None, kind: str, header: str
) -> AuthenticatedKey:
    if not raw:
        raise _unauthorized(header)
    key = await ctx.partners.authenticate(raw, kind=kind)
    if key is None:
        raise _unauthorized(header)
    bind_log_context(partner_id=key.partner.id)
    await ctx.partners.touch(key, utcnow())
    return key


async def v1_key(
    ctx: Ctx, x_api_key: Annotated[str | None, Header(include_in_schema=False)] = None
) -> AuthenticatedKey:
    return await _authenticate(ctx, x_api_key, V1_KIND, "X-API-Key")


async def legacy_key(
    ctx: Ctx, x_partner_key: Annotated[str | None, Header(include_in_schema=False)] = None
) -> AuthenticatedKey:
    return await _authenticate(ctx, x_partner_key, LEGACY_KIND, "X-Partner-Key")


ApiKey = Annotated[AuthenticatedKey, Depends(v1_key)]
PartnerKey = Annotated[AuthenticatedKey, Depends(legacy_key)]
