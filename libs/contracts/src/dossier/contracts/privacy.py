"""Bodies of the audit and privacy operations: chain verification, erasure, the partner export.

Top-level resources speak snake_case on the wire, like the analysis resource.
"""

from typing import Any

from pydantic import Field

from dossier.contracts.api import Analysis, WireModel
from dossier.contracts.enums import Environment
from dossier.contracts.keys import ApiKey
from dossier.contracts.timestamps import Timestamp
from dossier.contracts.webhooks import Webhook


class AuditVerification(WireModel):
    """`GET /api/v1/audit/verify`: the partner's audit chain, recomputed by the server."""

    valid: bool = Field(description="Every entry links to the previous one and hashes correctly.")
    entries: int = Field(description="How many entries were checked.")
    first_invalid_seq: int | None = Field(
        default=None, description="Where the chain first breaks (null when valid)."
    )
    head_hash: str = Field(
        description="The hash of the last entry checked; keep it to detect a later truncation."
    )


class AuditEntry(WireModel):
    """One audit trail entry, as exported. `hash = sha256(prev_hash + canonical JSON)` of
    `seq`, `at`, `partner_id`, `actor`, `action`, `target_digest` (or `target` for entries
    without a digest) and `details`."""

    seq: int
    at: str = Field(description="UTC, millisecond precision, as hashed.")
    partner_id: str
    actor: str = Field(description="The key id (or service) that acted.")
    action: str = Field(examples=["analysis.created", "key.revoked", "candidate.erased"])
    target: str = Field(description="What was acted on; `[erased]` after a candidate erasure.")
    target_digest: str | None = Field(default=None, description="sha256 of the original target.")
    details: dict[str, Any] = Field(default_factory=dict)
    prev_hash: str
    hash: str


class CandidateErasure(WireModel):
    """`DELETE /api/v1/candidates/{candidate_id}`: what was erased, counted per collection."""

    subject: str = Field(
        description="The candidate's pseudonym in the audit trail (`candidate.erased`)."
    )
    analyses: int = Field(description="Analyses of this candidate for this client erased.")
    canceled: int = Field(description="Of those, how many were still running and were canceled.")
    deleted: dict[str, int] = Field(description="Documents deleted, per collection.")
    pseudonymised: dict[str, int] = Field(
        description="Documents kept without personal data (billing records), per collection."
    )
    follow_up_sweeps_seconds: list[float] = Field(
        description="The erasure is repeated after these delays, for stage writes in flight."
    )


class LedgerEntry(WireModel):
    """One charged report. After an erasure the entry stays (a financial record) but is
    pseudonymised: its id is re-derived and the candidate id removed."""

    id: str
    client_id: str | None = None
    candidate_id: str | None = None
    channel: str | None = None
    credits: int
    charged_at: Timestamp
    pseudonymised: bool = False


class PartnerSummary(WireModel):
    id: str
    name: str
    plan: str


class PartnerExport(WireModel):
    """`GET /api/v1/export`: everything Dossier holds for the partner, in one document."""

    partner: PartnerSummary
    environment: Environment = Field(description="The analyses are those of the key's environment.")
    generated_at: Timestamp
    analyses: list[Analysis]
    keys: list[ApiKey] = Field(description="Key metadata only: never a secret nor its hash.")
    webhooks: list[Webhook] = Field(description="Registered endpoints, without their secrets.")
    usage: list[LedgerEntry] = Field(description="The billing ledger (charged reports).")
    audit: list[AuditEntry] = Field(description="The audit trail, in chain order.")
