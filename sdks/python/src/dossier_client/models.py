"""Every model of the Dossier API.

Generated from docs/openapi.json (`_generated.py`), plus the models of operations
not yet in that document, written by hand against the API's description:

- `WidgetSessionCreate` / `WidgetSession` (`POST /api/v1/widget-sessions`).
  Once the operation is in docs/openapi.json, `make sdk-models` generates them and
  these two go away (the drift test says so).
"""

from __future__ import annotations

from dossier_client._generated import *  # noqa: F403
from dossier_client._generated import DossierModel
from dossier_client._generated import __all__ as _generated_all

#: Schemas written by hand until docs/openapi.json has them.
HANDWRITTEN = ("WidgetSessionCreate", "WidgetSession")


class WidgetSessionCreate(DossierModel):
    """`POST /api/v1/widget-sessions`: the one client + candidate the token is for."""

    client_id: str
    candidate_id: str


class WidgetSession(DossierModel):
    """A short-lived browser token (`wt_…`) for the report button, valid for one client +
    candidate only; send it as `Authorization: Bearer wt_…`."""

    token: str
    expires_at: str


__all__ = [*_generated_all, *HANDWRITTEN]  # noqa: PLE0604
