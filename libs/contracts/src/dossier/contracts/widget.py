"""`POST /api/v1/widget-sessions`: a short-lived token for the embeddable report button.

The partner's backend asks for it with its API key and hands only the token to the
browser; the token is good for one client company and one candidate for 15 minutes.
"""

from pydantic import Field

from dossier.contracts.api import ExternalId, WireModel
from dossier.contracts.timestamps import Timestamp

#: Every widget token starts with this.
WIDGET_TOKEN_PREFIX = "wt_"  # noqa: S105 - a prefix, not a secret


class WidgetSessionCreate(WireModel):
    """`POST /api/v1/widget-sessions`: the pair the token will be good for."""

    client_id: ExternalId = Field(description="Your client company id (`client.id`).")
    candidate_id: ExternalId = Field(description="Your candidate id (`candidate.id`).")


class WidgetSession(WireModel):
    """A widget token: send it as `Authorization: Bearer wt_…` from the browser."""

    token: str = Field(
        description="`wt_…`, valid until `expires_at` for this client and candidate only: "
        "create its analysis, read it, follow its events, fetch its report, find it by the "
        "pair. Every other operation answers 403; another candidate's analysis 404."
    )
    expires_at: Timestamp = Field(description="When the token stops working (RFC 3339, UTC).")
