"""`GET /api/v1/usage`: what a partner used, per client company, so it can re-bill them.

Keys are snake_case, like the top level of the analysis resource and its
`billing: {charged, credits_used}`.
"""

from datetime import date
from typing import Literal

from pydantic import Field

from dossier.contracts.api import WireModel
from dossier.contracts.enums import Environment
from dossier.contracts.timestamps import Timestamp


class UsageCounts(WireModel):
    """Counts for a period: the totals, or one client company's."""

    generated: int = Field(
        default=0, description="New reports completed (and, with a live key, billed)."
    )
    reused: int = Field(default=0, description="Existing reports returned again, free.")
    credits: int = Field(default=0, description="Credits charged (always 0 with a test key).")


class ClientUsage(WireModel):
    client_id: str = Field(description="Your client company's id, as sent in `client.id`.")
    generated: int = 0
    reused: int = 0
    credits: int = 0


class CreditLimit(WireModel):
    monthly_credits: int = Field(description="Live credits allowed per calendar month (UTC).")
    used: int = Field(description="Credits charged this month.")
    pending: int = Field(description="Credits of analyses running now, not yet billed.")
    resets_at: Timestamp = Field(description="When the month's count starts again.")


class UsageReport(WireModel):
    environment: Environment = Field(description="The caller key's environment.")
    from_date: date = Field(alias="from", description="First day counted (UTC), inclusive.")
    to_date: date = Field(alias="to", description="Last day counted (UTC), inclusive.")
    group_by: Literal["client"] | None = None
    totals: UsageCounts
    clients: list[ClientUsage] | None = Field(
        default=None, description="Per client company, with `group_by=client`."
    )
    credit_limit: CreditLimit | None = Field(
        default=None, description="The partner's monthly credit limit, if it has one."
    )
