"""Signed report links live in `dossier.runtime.pdf_links` (the webhooks service signs them too)."""

from dossier.runtime.pdf_links import (
    LinkKind,
    signature_is_valid,
    signed_pdf_url,
    signed_report_url,
)

__all__ = ["LinkKind", "signature_is_valid", "signed_pdf_url", "signed_report_url"]
