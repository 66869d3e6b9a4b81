"""Gateway settings (`DOSSIER_*`)."""

import hashlib
import hmac
from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar

from pydantic import Field, SecretStr, field_validator

from dossier.gateway.ratelimit.limiter import DEFAULT_PLAN_LIMITS, PlanLimits
from dossier.runtime.settings import URL_SIGNING_KEY, RequiredSecret, ServiceSettings


class GatewaySettings(ServiceSettings):
    required_secrets: ClassVar[tuple[RequiredSecret, ...]] = (
        *ServiceSettings.required_secrets,
        URL_SIGNING_KEY,
    )

    service_name: str = "gateway"
    http_host: str = "0.0.0.0"  # noqa: S104 - a server listens for the outside world
    http_port: int = 8080
    public_base_url: str | None = Field(
        default=None,
        description="Absolute base of links we hand out (PDF). Defaults to the request's.",
    )
    url_signing_key: SecretStr = SecretStr("")
    pdf_link_ttl_seconds: int = 3600
    retry_after_seconds: int = 10
    cv_file_read_seconds: float = Field(
        default=10.0,
        gt=0,
        description="Time budget for reading one CV file's text; a PDF's pages are read "
        "until it is spent, and what was read by then is the CV.",
    )
    cv_file_readers: int = Field(
        default=2, ge=1, description="CV files read at once per gateway process (CPU-bound)."
    )
    legacy_wait_seconds: float = Field(default=20.0, ge=0, le=120)
    #: Legacy POSTs one partner may hold waiting for a report, per gateway process.
    legacy_max_waiting: int = Field(default=8, ge=0, le=1000)
    legacy_deprecated_at: datetime = Field(
        default=datetime(2026, 12, 7, tzinfo=UTC),
        description="When the legacy API was deprecated: its `Deprecation` header (RFC 9745).",
    )
    legacy_sunset_at: datetime = Field(
        default=datetime(2027, 6, 30, tzinfo=UTC),
        description="When the legacy API stops answering: its `Sunset` header (RFC 8594). At "
        "least six months after `legacy_deprecated_at` (the compatibility policy).",
    )
    outbox_sweep_seconds: float = 5.0
    outbox_grace_seconds: float = 10.0
    analysis_timeout_seconds: float = Field(
        default=900.0,
        description="An active analysis untouched this long is failed by the sweeper.",
    )
    events_poll_seconds: float = Field(
        default=0.5, gt=0, description="How often an open event stream re-reads its analysis."
    )
    events_heartbeat_seconds: float = Field(
        default=15.0, gt=0, description="A `: keepalive` comment after this long without events."
    )
    events_max_stream_seconds: float = Field(
        default=600.0, gt=0, description="An event stream closes after this; clients resume."
    )
    events_max_streams_per_partner: int = Field(
        default=20, ge=1, description="Open event streams per partner and gateway process."
    )
    events_key_check_seconds: float = Field(
        default=2.0, gt=0, description="How often an open event stream re-checks its key."
    )
    events_retry_ms: int = Field(
        default=3000, ge=0, description="The `retry:` hint sent to event-stream clients."
    )
    eta_cache_seconds: float = Field(default=30.0, ge=0)
    auth_cache_seconds: float = Field(
        default=5.0,
        ge=0,
        description="How long a replica keeps an API key and its partner in memory. A key "
        "revoked through another replica stops working within this many seconds.",
    )
    eta_default_seconds: dict[str, float] = Field(
        default_factory=dict,
        description="Per phase (`queued`, `identity`, `enrichment`, `report`), the duration "
        "assumed without enough history (JSON). Unset phases keep built-in defaults.",
    )
    eta_granularity_seconds: float = Field(
        default=5.0, ge=0, description="Estimates are rounded up to this many seconds."
    )
    rate_limits: dict[str, PlanLimits] = Field(
        default_factory=lambda: dict(DEFAULT_PLAN_LIMITS),
        description='Per plan, `{"per_minute": n, "per_hour": n}` (JSON). Plans given here '
        "replace or add to the defaults; a partner on an unknown plan gets `standard`.",
    )
    audit_pseudonym_key: SecretStr = Field(
        default=SecretStr(""),
        description="Key of the audit trail's candidate pseudonyms (HMAC-SHA256). Unset: "
        "derived from DOSSIER_URL_SIGNING_KEY; set it to rotate that key without changing "
        "pseudonyms.",
    )
    operator_token: SecretStr = Field(
        default=SecretStr(""),
        description="Opens the operators' pages (the event bus view at `/asyncapi`) to "
        "`Authorization: Bearer <token>` or HTTP Basic with the token as password. Unset: "
        "those pages answer 404.",
    )
    widget_session_ttl_seconds: int = Field(
        default=900, ge=1, le=3600, description="How long a widget token (`wt_…`) works."
    )
    widget_dir: Path | None = Field(
        default=None,
        description="Folder of the report button's script (`widget/`); unset: the source "
        "tree's, or `/app/widget` in the image.",
    )
    demo_partner_file: Path | None = Field(
        default=None,
        description="Development only: the devstack's `demo-partner.json`, whose sandbox key "
        "backs the demo ATS page (`/demo/ats`), read at each request.",
    )
    idempotency_ttl_seconds: int = Field(default=86_400, ge=60)
    idempotency_wait_seconds: float = Field(
        default=2.0, ge=0, description="How long a retry waits for the first request to finish."
    )

    @field_validator("rate_limits", mode="after")
    @classmethod
    def _over_default_plans(cls, value: dict[str, PlanLimits]) -> dict[str, PlanLimits]:
        return {**DEFAULT_PLAN_LIMITS, **value}

    def audit_pseudonym_key_bytes(self) -> bytes:
        """The pseudonym key: set, or derived from the URL-signing key (per deployment)."""
        own = self.audit_pseudonym_key.get_secret_value()
        if own:
            return own.encode()
        signing = self.url_signing_key.get_secret_value().encode()
        return hmac.new(signing, b"dossier/audit-pseudonym/v1", hashlib.sha256).digest()
