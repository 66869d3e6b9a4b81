"""Webhooks settings (`DOSSIER_*`)."""

from typing import ClassVar

from pydantic import Field, SecretStr, model_validator

from dossier.runtime.settings import (
    TERMINAL_CONSUMER_CONCURRENCY,
    URL_SIGNING_KEY,
    RequiredSecret,
    ServiceSettings,
)


class WebhooksSettings(ServiceSettings):
    required_secrets: ClassVar[tuple[RequiredSecret, ...]] = (
        *ServiceSettings.required_secrets,
        URL_SIGNING_KEY,
    )

    service_name: str = "webhooks"
    metrics_port: int = 9105
    concurrency: int = Field(default=TERMINAL_CONSUMER_CONCURRENCY, ge=1)
    public_base_url: str = Field(
        default="http://127.0.0.1:8080",
        description="The gateway's public base: PDF links in events point there.",
    )
    url_signing_key: SecretStr = SecretStr("")
    pdf_link_ttl_seconds: int = 3600
    webhook_allowlist: str = Field(
        default="",
        description="Hosts or CIDRs let through the SSRF guard, plain http included.",
    )
    webhook_retry_schedule: str = Field(
        default="30,120,600,3600,21600",
        description="Seconds before each retry after a failed attempt; then give up.",
    )
    webhook_disable_after: int = Field(
        default=20, ge=1, description="Consecutive failed attempts that disable an endpoint."
    )
    webhook_timeout_seconds: float = Field(
        default=10.0, gt=0, description="httpx's timeout for each connect, write and read."
    )
    webhook_attempt_deadline_seconds: float = Field(
        default=10.0,
        gt=0,
        description="Wall-clock cap on one attempt: connect, send and every read together.",
    )
    webhook_max_response_bytes: int = Field(
        default=65_536, ge=0, description="How much of an endpoint's response body is read."
    )
    webhook_retry_after_max_seconds: float = Field(
        default=3600.0,
        ge=0,
        description="The longest wait a Retry-After (on 429 or 503) can ask for.",
    )
    webhook_poll_seconds: float = Field(
        default=1.0, gt=0, description="How often due deliveries are looked for."
    )
    webhook_lease_seconds: float = Field(
        default=120.0,
        gt=0,
        description="After this long, an attempt whose sender vanished is recorded as lost.",
    )
    webhook_max_in_flight: int = Field(
        default=20, ge=1, description="Attempts one delivery process runs at once."
    )
    webhook_max_in_flight_per_partner: int = Field(
        default=5, ge=1, description="Of those, at most this many for one partner."
    )
    webhook_max_in_flight_per_endpoint: int = Field(
        default=2, ge=1, description="And at most this many to one endpoint."
    )

    @model_validator(mode="after")
    def _lease_outlasts_an_attempt(self) -> "WebhooksSettings":
        # A lease that ran out while its attempt was still being sent would let another
        # replica record the attempt as lost and send the next one: two at once.
        if self.webhook_lease_seconds <= self.webhook_attempt_deadline_seconds:
            msg = (
                "DOSSIER_WEBHOOK_LEASE_SECONDS must exceed DOSSIER_WEBHOOK_ATTEMPT_DEADLINE_SECONDS"
            )
            raise ValueError(msg)
        return self
