"""Read-model document → the analysis resource partners see (HTTP responses and webhook events)."""

from typing import Any

from dossier.contracts.api import Analysis, Billing
from dossier.runtime.mongo import Document

_RESOURCE_FIELDS = set(Analysis.model_fields)


def present(
    doc: Document, *, pdf_url: str | None = None, billing: Billing | None = None
) -> Analysis:
    data: dict[str, Any] = {k: v for k, v in doc.items() if k in _RESOURCE_FIELDS}
    data["id"] = doc["_id"]
    if data.get("metadata") is not None and pdf_url is not None:
        data["metadata"] = {**data["metadata"], "pdf_download_url": pdf_url}
    if billing is not None:
        data["billing"] = billing.model_dump()
    return Analysis.model_validate(data)
