"""Read-model document → the analysis resource partners see (HTTP responses and webhook events)."""

from typing import Any

from dossier.contracts.api import Analysis, Billing
from dossier.runtime.mongo import Document

_RESOURCE_FIELDS = set(Analysis.model_fields)


def present(
    doc: Document,
    *,
    pdf_url: str | None = None,
    report_url: str | None = None,
    billing: Billing | None = None,
) -> Analysis:
    """`report_url` is shown only for a report that has an HTML page (the reporter stores
    its path in the metadata); the caller's signed link replaces that path, never exposed."""
    data: dict[str, Any] = {k: v for k, v in doc.items() if k in _RESOURCE_FIELDS}
    data["id"] = doc["_id"]
    if data.get("metadata") is not None:
        metadata = dict(data["metadata"])
        if pdf_url is not None:
            metadata["pdf_download_url"] = pdf_url
        metadata["report_url"] = report_url if metadata.get("report_url") else None
        data["metadata"] = metadata
    if billing is not None:
        data["billing"] = billing.model_dump()
    return Analysis.model_validate(data)
