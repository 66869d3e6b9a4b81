"""The presenter lives in `dossier.runtime.presenter` (the webhooks service renders the
same analysis resource for its events)."""

from dossier.runtime.presenter import present

__all__ = ["present"]
