"""`GET /api/v1/me`: who the calling key is, what it may do, and how much it has left.

Snake_case like the other top-level resources. The key is described by the same
`ApiKey` model `GET /api/v1/keys` lists (never the secret).
"""

from pydantic import Field

from dossier.contracts.api import WireModel
from dossier.contracts.enums import Environment
from dossier.contracts.keys import ApiKey
from dossier.contracts.timestamps import Timestamp


class RateLimits(WireModel):
    """The partner's plan budget for this key's environment (all its keys share it)."""

    per_minute: int = Field(description="Requests per calendar minute (UTC, epoch-aligned).")
    per_hour: int = Field(description="Requests per calendar hour.")
    shared_by: str = Field(
        default="partner-environment",
        description="Who shares the budget: every key of the partner in this environment.",
    )


class Credits(WireModel):
    """This calendar month's credits (UTC). Live only: a test key is never billed."""

    billed: bool = Field(
        description="Whether analyses made with this key are billed (`false` for test keys)."
    )
    monthly_limit: int | None = Field(
        description="Live credits allowed per calendar month; null when the plan has no limit, "
        "and always null for a test key."
    )
    used_this_month: int = Field(
        description="Live credits charged this month (always 0 for a test key)."
    )
    pending: int = Field(
        default=0,
        description="Live analyses running now that will use a credit when they complete "
        "(counted only for partners with a limit).",
    )
    resets_at: Timestamp = Field(description="When the month's count starts again (UTC).")


class Me(WireModel):
    """`GET /api/v1/me`: the calling key, its partner and its budgets."""

    partner_id: str
    platform_id: str = Field(description="Your platform id (the legacy `partner_platform_id`).")
    environment: Environment = Field(description="`live` or `test` (sandbox), from the key.")
    plan: str = Field(description="The partner's plan; it sets the rate limits.")
    key: ApiKey
    rate_limits: RateLimits
    credits: Credits
