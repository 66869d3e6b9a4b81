"""Usage reports and the monthly credit limit.

Periods are whole UTC days; the default is the current calendar month. Credits
are counted per calendar month (UTC), the month billing charged them in.
Everything is read by `{_id}` (see `repository.py`): a period of up to 366 days is
a bounded number of keyed reads, and the credit check is one round of four.
"""

import calendar
import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from pymongo.errors import PyMongoError

from dossier.contracts.api import FieldError
from dossier.contracts.enums import Environment
from dossier.contracts.events import AnalysisContext
from dossier.contracts.timestamps import format_timestamp, utcnow
from dossier.contracts.usage import ClientUsage, CreditLimit, UsageCounts, UsageReport
from dossier.gateway.problems import ProblemError
from dossier.gateway.usage.repository import Tally, UsageRepository

log = logging.getLogger(__name__)

MAX_PERIOD_DAYS = 366
#: The earliest day a period may start on (no usage predates it).
EARLIEST_DAY = date(2000, 1, 1)
#: How far past today a period may end (the last day must still have a next day).
MAX_DAYS_AHEAD = 366


def month_bounds(now: datetime) -> tuple[datetime, datetime]:
    """[first instant of `now`'s month, first instant of the next month), UTC."""
    start = datetime(now.year, now.month, 1, tzinfo=UTC)
    days = calendar.monthrange(now.year, now.month)[1]
    return start, start + timedelta(days=days)


@dataclass(frozen=True)
class Period:
    first: date
    last: date  # inclusive

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time(), tzinfo=UTC)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.last + timedelta(days=1), time(), tzinfo=UTC)


def period_of(first: date | None, last: date | None, today: date) -> Period:
    """The asked period; missing ends default to the current month's. Raises 422 if reversed,
    longer than `MAX_PERIOD_DAYS`, or outside [`EARLIEST_DAY`, today + `MAX_DAYS_AHEAD`]."""
    latest = today + timedelta(days=MAX_DAYS_AHEAD)
    for field, day in (("from", first), ("to", last)):
        if day is not None and not EARLIEST_DAY <= day <= latest:
            raise _invalid_period(
                field, f"must be between {EARLIEST_DAY.isoformat()} and {latest.isoformat()}"
            )
    month_start, next_month = month_bounds(datetime.combine(today, time(), tzinfo=UTC))
    period = Period(first or month_start.date(), last or (next_month.date() - timedelta(days=1)))
    if period.first > period.last:
        raise _invalid_period("from", "must not be after `to`")
    if (period.last - period.first).days >= MAX_PERIOD_DAYS:
        raise _invalid_period("to", f"the period may span at most {MAX_PERIOD_DAYS} days")
    return period


def _invalid_period(field: str, message: str) -> ProblemError:
    return ProblemError(
        422,
        "validation-error",
        "Invalid request",
        f"Invalid fields: {field}.",
        errors=[FieldError(field=field, message=message, type="value_error")],
    )


def counts_of(tally: Tally) -> tuple[UsageCounts, list[ClientUsage]]:
    clients = [
        ClientUsage(client_id=client_id, **counts)
        for client_id, counts in sorted(tally.by_client.items())
    ]
    totals = UsageCounts(
        generated=sum(c.generated for c in clients),
        reused=sum(c.reused for c in clients),
        credits=sum(c.credits for c in clients),
    )
    return totals, clients


@dataclass(frozen=True)
class CreditStanding:
    limit: int
    used: int
    pending: int
    resets_at: datetime

    @property
    def exhausted(self) -> bool:
        return self.used + self.pending >= self.limit


class UsageService:
    def __init__(self, repository: UsageRepository) -> None:
        self._repository = repository

    async def report(
        self,
        partner_id: str,
        environment: Environment,
        period: Period,
        *,
        by_client: bool,
    ) -> UsageReport:
        tally = Tally()
        await self._repository.tally(tally, partner_id, environment, period.first, period.last)
        totals, clients = counts_of(tally)
        # Credits are live money: a sandbox report never shows production's standing.
        standing = await self.standing(partner_id) if environment is Environment.LIVE else None
        return UsageReport(
            environment=environment,
            from_date=period.first,
            to_date=period.last,
            group_by="client" if by_client else None,
            totals=totals,
            clients=clients if by_client else None,
            credit_limit=(
                CreditLimit(
                    monthly_credits=standing.limit,
                    used=standing.used,
                    pending=standing.pending,
                    resets_at=standing.resets_at,
                )
                if standing
                else None
            ),
        )

    async def standing(self, partner_id: str) -> CreditStanding | None:
        """This month's live credits against the partner's limit (`None`: no limit)."""
        limit = await self._repository.monthly_credits(partner_id)
        if limit is None:
            return None
        now = utcnow()
        used, pending = await self._repository.credit_position(partner_id, now)
        return CreditStanding(limit, used, pending, month_bounds(now)[1])

    async def hold_credit(self, context: AnalysisContext) -> None:
        """Count an accepted live analysis as pending until billing settles it (only for
        partners with a limit: nobody else is ever checked)."""
        if context.environment is not Environment.LIVE:
            return
        if await self._repository.monthly_credits(context.partner_id) is None:
            return
        await self._repository.hold_credit(context)


class CreditGuard:
    """Refuses a new live analysis once the month's credits would exceed the partner's limit.

    Used = live credits charged this calendar month + live analyses accepted but
    not yet charged, failed or canceled (one credit each), so a burst cannot run
    far past the limit while billing catches up. Both come from the head of the
    partner's credit journal: `check` is one keyed read of the partner and one
    round of keyed reads of the journal. `accepted` must be called once the new
    analysis is accepted (it owns its reuse slot) and before it is published.
    The race that remains: requests checked at the same instant all see the same
    count, so up to (concurrent new-analysis requests - 1) may pass the limit
    together. Test keys never count and are never refused; reuses never reach
    this check.
    """

    def __init__(self, usage: UsageService) -> None:
        self._usage = usage

    async def check(self, partner_id: str, environment: Environment) -> None:
        if environment is not Environment.LIVE:
            return
        standing = await self._usage.standing(partner_id)
        if standing is None or not standing.exhausted:
            return
        raise ProblemError(
            402,
            "credit-limit-reached",
            "Monthly credit limit reached",
            f"This partner's limit of {standing.limit} credits a month is reached: "
            f"{standing.used} charged this month and {standing.pending} in analyses still "
            f"running. New analyses are accepted again from {format_timestamp(standing.resets_at)} "
            "(or once the limit is raised). Existing reports are still returned, free.",
        )

    async def accepted(self, context: AnalysisContext) -> None:
        """The analysis `context` was accepted: it holds a credit until it is charged or
        ends. Never fails the request: a hold that could not be written only makes the
        check count this analysis once it is charged rather than from now."""
        try:
            await self._usage.hold_credit(context)
        except (PyMongoError, RuntimeError):
            log.exception("could not hold a credit for an accepted analysis")
