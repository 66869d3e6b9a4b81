"""`GET /api/v1/usage`: reports generated, reused and credits, per client company.

Startup also creates the indexes of the rest of admission control (rate-limit
slots, idempotency records), which have no router of their own. Usage itself
needs none: it is read and written by `_id` only.
"""

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from dossier.contracts.timestamps import utcnow
from dossier.contracts.usage import UsageReport
from dossier.gateway.dependencies import Ctx, UsageRead
from dossier.gateway.usage.repository import UsageRepository
from dossier.gateway.usage.service import UsageService, period_of

router = APIRouter(prefix="/api/v1/usage", tags=["usage"])


@router.get(
    "",
    response_model=UsageReport,
    summary="Reports generated, reused and credits charged, per client company",
    description="For the caller's partner and environment (a test key sees its sandbox, and "
    "no `credit_limit`: credits are live only). `from` and `to` are inclusive UTC dates "
    "from 2000-01-01 to a year ahead, at most 366 days apart; both default to the current "
    "calendar month.",
    operation_id="getUsage",
)
async def get_usage(
    key: UsageRead,
    ctx: Ctx,
    from_: Annotated[
        date | None, Query(alias="from", description="First day, `YYYY-MM-DD`.")
    ] = None,
    to: Annotated[date | None, Query(description="Last day (inclusive), `YYYY-MM-DD`.")] = None,
    group_by: Annotated[
        Literal["client"] | None, Query(description="`client`: one row per client company.")
    ] = None,
) -> UsageReport:
    period = period_of(from_, to, utcnow().date())
    usage = UsageService(UsageRepository(ctx.db))
    return await usage.report(
        key.partner.id, key.environment, period, by_client=group_by == "client"
    )
