"""Admission by rate limit, right after authentication (and before the scope check).

The decision is left on `request.state.rate_limit`; the access middleware puts
its `X-RateLimit-*` headers on the response, whatever the response is. One
admission per request: the idempotency middleware may have admitted it already.
"""

import time
from collections.abc import Mapping

from fastapi import Request

from dossier.contracts.enums import Environment
from dossier.gateway.auth.repository import AuthenticatedKey
from dossier.gateway.problems import ProblemError
from dossier.gateway.ratelimit.limiter import (
    Decision,
    PlanLimits,
    Window,
    bucket_of,
    decide,
    limits_for,
    windows_at,
)
from dossier.gateway.ratelimit.repository import RateLimitRepository


class RateLimiter:
    def __init__(self, repository: RateLimitRepository, limits: Mapping[str, PlanLimits]) -> None:
        self._repository, self._limits = repository, limits

    async def admit(self, partner_id: str, plan: str, environment: Environment) -> Decision:
        """Take a slot in the minute window, then the hour window; refuse if either is full."""
        now = time.time()
        bucket = bucket_of(partner_id, environment)
        taken: list[tuple[Window, int | None]] = []
        for window in windows_at(limits_for(plan, self._limits), now):
            n = await self._repository.take(window, bucket)
            taken.append((window, n))
            if n is None:
                break
        return decide(taken, now)


def limiter_of(request: Request) -> RateLimiter:
    """The replica's limiter (it remembers slot numbers), created on first use."""
    state = request.app.state
    limiter: RateLimiter | None = getattr(state, "rate_limiter", None)
    if limiter is None:
        ctx = state.ctx
        limiter = RateLimiter(RateLimitRepository(ctx.db), ctx.settings.rate_limits)
        state.rate_limiter = limiter
    return limiter


def rate_limited(decision: Decision) -> ProblemError:
    return ProblemError(
        429,
        "rate-limited",
        "Too many requests",
        f"This partner's limit of {decision.limit} requests in this window is used up; "
        f"retry after {decision.retry_after} seconds. Polling at the advertised Retry-After "
        "never reaches the limit.",
        headers=decision.headers(),
    )


async def admit_request(request: Request, key: AuthenticatedKey) -> Decision:
    """Admit this request once (raise 429 past the limit); remember the decision for headers."""
    decision: Decision | None = getattr(request.state, "rate_limit", None)
    if decision is None:
        decision = await limiter_of(request).admit(
            key.partner.id, key.partner.plan, key.environment
        )
        request.state.rate_limit = decision
    if not decision.allowed:
        raise rate_limited(decision)
    return decision
