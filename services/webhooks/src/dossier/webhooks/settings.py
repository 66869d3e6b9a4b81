"""Webhooks settings (`DOSSIER_*`)."""

from typing import ClassVar

from pydantic import Field, SecretStr

from dossier.runtime.settings import URL_SIGNING_KEY, RequiredSecret, ServiceSettings


class WebhooksSettings(ServiceSettings):
    required_secrets: ClassVar[tuple[RequiredSecret, ...]] = (
        *ServiceSettings.required_secrets,
        URL_SIGNING_KEY,
    )

    service_name: str = "webhooks"
    metrics_port: int = 9105
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
    webhook_timeout_seconds: float = Field(default=10.0, gt=0)
    webhook_poll_seconds: float = Field(
        default=1.0, gt=0, description="How often due deliveries are looked for."
    )
    webhook_lease_seconds: float = Field(
        default=120.0,
        gt=0,
        description="After this long, an attempt whose sender vanished is recorded as lost.",
    )
    webhook_max_in_flight: int = Field(default=20, ge=1)
