"""Request dependencies: the shared context and the authenticated, scoped partner key.

Every v1 operation names the scope it needs (`Scoped("analyses:write")`); the
scope is checked here and also appears in the OpenAPI document as the
operation's security requirement. The authenticated key is left on
`request.state.api_key` for the middleware that needs it (rate limits,
idempotency).
"""

from collections.abc import Sequence
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader, SecurityScopes

from dossier.contracts.timestamps import utcnow
from dossier.gateway.auth.keys import LEGACY_KIND, V1_KIND
from dossier.gateway.auth.repository import AuthenticatedKey
from dossier.gateway.context import GatewayContext
from dossier.gateway.problems import ProblemError
from dossier.gateway.ratelimit.service import admit_request
from dossier.runtime.logging import bind_log_context


async def get_context(request: Request) -> GatewayContext:
    """Async, like every dependency here: FastAPI runs a plain `def` in a worker thread."""
    ctx: GatewayContext = request.app.state.ctx
    return ctx


Ctx = Annotated[GatewayContext, Depends(get_context)]

_v1_header = APIKeyHeader(
    name="X-API-Key",
    scheme_name="ApiKey",
    description="A v1 key (`ats_live_…` or `ats_test_…`). Each operation lists the scope it needs.",
    auto_error=False,
)
_legacy_header = APIKeyHeader(
    name="X-Partner-Key",
    scheme_name="PartnerKey",
    description="A legacy partner key (`pk_live_…`).",
    auto_error=False,
)


def _unauthorized(header: str) -> ProblemError:
    return ProblemError(
        401,
        "unauthorized",
        "Unauthorized",
        f"Send a valid, active API key in the {header} header.",
        headers={"WWW-Authenticate": f'ApiKey header="{header}"'},
    )


def insufficient_scope(missing: list[str]) -> ProblemError:
    return ProblemError(
        403,
        "insufficient-scope",
        "Insufficient scope",
        f"This key lacks the scope(s) {', '.join(missing)} this operation needs.",
    )


async def _authenticate(
    ctx: GatewayContext, request: Request, raw: str | None, kind: str, header: str
) -> AuthenticatedKey:
    if not raw:
        raise _unauthorized(header)
    key = await ctx.partners.authenticate(raw, kind=kind)
    if key is None:
        raise _unauthorized(header)
    bind_log_context(partner_id=key.partner.id)
    request.state.api_key = key
    await ctx.partners.touch(key, utcnow())
    return key


async def v1_key(
    security: SecurityScopes,
    request: Request,
    ctx: Ctx,
    x_api_key: Annotated[str | None, Depends(_v1_header)],
) -> AuthenticatedKey:
    return await authorize_v1(ctx, request, x_api_key, security.scopes)


async def authorize_v1(
    ctx: GatewayContext, request: Request, raw: str | None, scopes: Sequence[str]
) -> AuthenticatedKey:
    """401 without a valid key, 429 past the partner's plan limit, 403 without the scopes."""
    key = await _authenticate(ctx, request, raw, V1_KIND, "X-API-Key")
    await admit_request(request, key)
    missing = [s for s in scopes if s not in key.scopes]
    if missing:
        raise insufficient_scope(missing)
    return key


async def legacy_key(
    request: Request, ctx: Ctx, x_partner_key: Annotated[str | None, Depends(_legacy_header)]
) -> AuthenticatedKey:
    """A legacy key draws on its partner's plan budget exactly as a v1 key does."""
    key = await _authenticate(ctx, request, x_partner_key, LEGACY_KIND, "X-Partner-Key")
    await admit_request(request, key)
    return key


def Scoped(*scopes: str) -> object:  # noqa: N802 - reads as a type in signatures
    """`key: Annotated[AuthenticatedKey, Scoped("analyses:read")]`."""
    return Security(v1_key, scopes=list(scopes))


AnalysesRead = Annotated[AuthenticatedKey, Scoped("analyses:read")]
AnalysesWrite = Annotated[AuthenticatedKey, Scoped("analyses:write")]
WebhooksManage = Annotated[AuthenticatedKey, Scoped("webhooks:manage")]
UsageRead = Annotated[AuthenticatedKey, Scoped("usage:read")]
KeysManage = Annotated[AuthenticatedKey, Scoped("keys:manage")]
ApiKey = Annotated[AuthenticatedKey, Security(v1_key)]
PartnerKey = Annotated[AuthenticatedKey, Depends(legacy_key)]
