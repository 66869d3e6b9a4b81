"""Every model of the Dossier API, generated from docs/openapi.json (`make sdk-models`)."""

from __future__ import annotations

from dossier_client._generated import *  # noqa: F403
from dossier_client._generated import __all__ as _generated_all

#: Schemas written by hand until docs/openapi.json has them (none today).
HANDWRITTEN: tuple[str, ...] = ()

__all__ = [*_generated_all, *HANDWRITTEN]  # noqa: PLE0604
