"""Conditional polling: the analysis resource's `ETag` and `If-None-Match` (pure).

The ETag is a strong validator — a hash of the resource exactly as served,
minus `metadata.pdf_download_url` and `metadata.report_url`: those links are
signed with a fresh expiry on every call, so hashing them would make two polls of
an unchanged analysis differ. The links are derived from `metadata.report_id`,
which stays in the hash, so no information is lost. Everything else (status, stage, quick signal, each signal,
report, error, billing, `updated_at`, `estimated_completion_at`) is in it: any
change there changes the tag, and a `304` never hides a changed field.
"""

import hashlib
import json
import re
from typing import Any

from dossier.contracts.api import Analysis

_VOLATILE_METADATA = ("pdf_download_url", "report_url")
_ENTITY_TAG = re.compile(r'[\s,]*(W/)?"([\x21\x23-\x7e\x80-\xff]*)"\s*(?:,|$)')


def resource_etag(analysis: Analysis) -> str:
    """A strong ETag (quoted) for the resource, stable across calls and replicas."""
    body: dict[str, Any] = analysis.model_dump(mode="json")
    if isinstance(body.get("metadata"), dict):
        body["metadata"] = {
            k: v for k, v in body["metadata"].items() if k not in _VOLATILE_METADATA
        }
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return '"' + hashlib.sha256(canonical.encode()).hexdigest()[:32] + '"'


def parse_if_none_match(header: str) -> list[str] | None:
    """The opaque tags of an `If-None-Match` list (W/ dropped); `None` means `*`.

    Malformed members end the parse: what was read before them still counts.
    """
    if header.strip() == "*":
        return None
    tags: list[str] = []
    position = 0
    while position < len(header):
        match = _ENTITY_TAG.match(header, position)
        if match is None:
            break
        tags.append(match.group(2))
        position = match.end()
    return tags


def none_match_hits(header: str | None, current: str) -> bool:
    """True when `If-None-Match` names the current representation (→ `304`).

    RFC 9110 §13.1.2: weak comparison — `W/"x"` matches `"x"` — and `*`
    matches any current representation.
    """
    if header is None or not header.strip():
        return False
    tags = parse_if_none_match(header)
    if tags is None:
        return True
    opaque = current.removeprefix("W/").strip('"')
    return opaque in tags
