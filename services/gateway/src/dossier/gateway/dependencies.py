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
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer, SecurityScopes

from dossier.contracts.timestamps import utcnow
from dossier.gateway.auth.keys import LEGACY_KIND, V1_KIND
from dossier.gateway.auth.presented import (
    LEGACY_HEADER,
    V1_HEADER,
    presented_key,
    unauthorized,
)
from dossier.gateway.auth.repository import AuthenticatedKey
from dossier.gateway.context import GatewayContext
from dossier.gateway.problems import ProblemError
from dossier.gateway.ratelimit.service import admit_request
from dossier.gateway.widget.access import authenticate_widget, check_operation
from dossier.gateway.widget.tokens import is_widget_token
from dossier.runtime.logging import bind_log_context


async def get_context(request: Request) -> GatewayContext:
    """Async, like every dependency here: FastAPI runs a plain `def` in a worker thread."""
    ctx: GatewayContext = request.app.state.ctx
    return ctx


Ctx = Annotated[GatewayContext, Depends(get_context)]

_v1_header = APIKeyHeader(
    name=V1_HEADER,
    scheme_name="ApiKey",
    description="A v1 key (`ats_live_…` or `ats_test_…`). Each operation lists the scope it needs.",
    auto_error=False,
)
_legacy_header = APIKeyHeader(
    name=LEGACY_HEADER,
    scheme_name="PartnerKey",
    description="A legacy partner key (`pk_live_…`).",
    auto_error=False,
)
# Declared for OpenAPI (every protected operation lists both ways); the key itself is read
# by `presented_key`, which also judges a malformed or conflicting Authorization header.
_bearer = HTTPBearer(
    scheme_name="BearerAuth",
    bearerFormat="API key",
    description="The same key as `Authorization: Bearer <key>` (`ats_…` for v1, `pk_…` for "
    "the legacy API). Sending it in both places is allowed only if both are the same key. "
    "A widget token (`wt_…`, from `POST /api/v1/widget-sessions`) is sent this way only.",
    auto_error=False,
)
Bearer = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


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
        raise unauthorized(header)
    if kind == V1_KIND and is_widget_token(raw):
        key = await authenticate_widget(ctx, raw)  # the issuing key, narrowed to its pair
    else:
        key = await ctx.partners.authenticate(raw, kind=kind)
    if key is None:
        raise unauthorized(header)
    bind_log_context(partner_id=key.partner.id)
    request.state.api_key = key
    await ctx.partners.touch(key, utcnow())
    return key


async def v1_key(
    security: SecurityScopes,
    request: Request,
    ctx: Ctx,
    _x_api_key: Annotated[str | None, Depends(_v1_header)],
    _bearer_token: Bearer,
) -> AuthenticatedKey:
    return await authorize_v1(ctx, request, security.scopes)


async def authorize_v1(
    ctx: GatewayContext, request: Request, scopes: Sequence[str]
) -> AuthenticatedKey:
    """400 for two different keys, 401 without a valid key, 429 past the partner's plan
    limit, 403 without the scopes. The key is `X-API-Key` or `Authorization: Bearer`; a
    widget token (`Bearer wt_…`) counts against its issuing key's limits and is 403 outside
    the few operations it may call."""
    raw = presented_key(request.headers, V1_HEADER)
    key = await _authenticate(ctx, request, raw, V1_KIND, V1_HEADER)
    await admit_request(request, key)
    check_operation(request, key)
    missing = [s for s in scopes if s not in key.scopes]
    if missing:
        raise insufficient_scope(missing)
    return key


async def legacy_key(
    request: Request,
    ctx: Ctx,
    _x_partner_key: Annotated[str | None, Depends(_legacy_header)],
    _bearer_token: Bearer,
) -> AuthenticatedKey:
    """A legacy key (`X-Partner-Key` or Bearer) draws on its partner's plan budget exactly
    as a v1 key does."""
    raw = presented_key(request.headers, LEGACY_HEADER)
    key = await _authenticate(ctx, request, raw, LEGACY_KIND, LEGACY_HEADER)
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
