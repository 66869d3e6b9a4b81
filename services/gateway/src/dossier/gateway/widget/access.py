"""How a widget token is accepted: as its issuing key, narrowed to one pair and a few operations.

`authorize_v1` (dependencies) calls `authenticate_widget` when the presented credential
starts with `wt_`, then `check_operation`; the operations themselves narrow what they
read to the pair (`owned_analysis`, the list filter, the create body).
"""

from dataclasses import replace

from fastapi import Request

from dossier.contracts.timestamps import utcnow
from dossier.gateway.auth.repository import AuthenticatedKey
from dossier.gateway.context import GatewayContext
from dossier.gateway.problems import ProblemError
from dossier.gateway.widget.tokens import (
    WIDGET_OPERATIONS,
    WIDGET_SCOPES,
    WidgetGrant,
    signing_key,
    verify,
)


def widget_key_bytes(ctx: GatewayContext) -> bytes:
    return signing_key(ctx.settings.url_signing_key.get_secret_value().encode())


async def authenticate_widget(ctx: GatewayContext, raw: str) -> AuthenticatedKey | None:
    """The issuing key narrowed to the token's grant; None when the token is not genuine,
    has expired, or its issuing key was revoked (or no longer matches the token)."""
    grant = verify(widget_key_bytes(ctx), raw, utcnow())
    if grant is None:
        return None
    issuer = await ctx.partners.issuing_key(grant.key_id)
    if (
        issuer is None
        or issuer.partner.id != grant.partner_id
        or issuer.environment != grant.environment
        or "analyses:write" not in issuer.scopes
    ):
        return None
    scopes = tuple(s for s in WIDGET_SCOPES if s in issuer.scopes)
    return replace(issuer, scopes=scopes, widget=grant)


def widget_forbidden(detail: str) -> ProblemError:
    return ProblemError(403, "widget-token-forbidden", "Not allowed for a widget token", detail)


def check_operation(request: Request, key: AuthenticatedKey) -> None:
    """403 unless the operation is one a widget token may call."""
    if key.widget is None:
        return
    operation = getattr(request.scope.get("route"), "operation_id", None)
    if operation not in WIDGET_OPERATIONS:
        raise widget_forbidden(
            "A widget token may only create, read, follow and find the analysis of its one "
            "client and candidate and fetch its report. Call this operation from your "
            "backend with your API key."
        )


def check_pair(grant: WidgetGrant | None, client_id: str | None, candidate_id: str | None) -> None:
    """403 when a widget token asks about another client or candidate than its own."""
    if grant is not None and not grant.covers(client_id, candidate_id):
        raise widget_forbidden(
            "This widget token is for one client and one candidate; the request names "
            "another (or none)."
        )
