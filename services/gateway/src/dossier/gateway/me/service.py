"""Who the calling key is: its partner, its plan's budgets and this month's credits.

Keyed reads only: the key and its last use (`{_id: key id}`), the partner's limit
(`{_id: partner}`) and the head of its credit journal — the same numbers the
monthly credit check (`usage/service.py`) and the rate limiter
(`ratelimit/limiter.py`) act on, so what `/me` says is what the gateway enforces.
A test key is never billed: its credits are reported as such, without reading the
live journal.
"""

import asyncio

from dossier.contracts.enums import Environment
from dossier.contracts.me import Credits, Me, RateLimits
from dossier.contracts.timestamps import utcnow
from dossier.gateway.auth.repository import AuthenticatedKey
from dossier.gateway.context import GatewayContext
from dossier.gateway.keys.service import present
from dossier.gateway.problems import ProblemError
from dossier.gateway.ratelimit.limiter import limits_for
from dossier.gateway.usage.repository import UsageRepository
from dossier.gateway.usage.service import month_bounds


async def credits_of(usage: UsageRepository, key: AuthenticatedKey) -> Credits:
    now = utcnow()
    resets_at = month_bounds(now)[1]
    if key.environment is not Environment.LIVE:
        return Credits(billed=False, monthly_limit=None, used_this_month=0, resets_at=resets_at)
    limit, (used, pending) = await asyncio.gather(
        usage.monthly_credits(key.partner.id), usage.credit_position(key.partner.id, now)
    )
    return Credits(
        billed=True,
        monthly_limit=limit,
        used_this_month=used,
        pending=pending if limit is not None else 0,
        resets_at=resets_at,
    )


async def who_am_i(ctx: GatewayContext, usage: UsageRepository, key: AuthenticatedKey) -> Me:
    """`usage` reads only; one per process keeps where each journal's head was last seen,
    so finding it again costs a read or two instead of a search from the start."""
    record, credits = await asyncio.gather(
        ctx.partners.get_key(key.partner.id, key.key_id), credits_of(usage, key)
    )
    if record is None:  # revoked and deleted between authentication and now: as if revoked
        raise ProblemError(401, "unauthorized", "Unauthorized", "This key no longer exists.")
    limits = limits_for(key.partner.plan, ctx.settings.rate_limits)
    return Me(
        partner_id=key.partner.id,
        platform_id=key.partner.platform_id,
        environment=key.environment,
        plan=key.partner.plan,
        key=present(record),
        rate_limits=RateLimits(per_minute=limits.per_minute, per_hour=limits.per_hour),
        credits=credits,
    )
