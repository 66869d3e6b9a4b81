"""Signed PDF links live in `dossier.runtime.pdf_links` (the webhooks service signs them too)."""

from dossier.runtime.pdf_links import signature_is_valid, signed_pdf_url

__all__ = ["signature_is_valid", "signed_pdf_url"]
