"""Gateway settings (`DOSSIER_*`)."""

from pydantic import Field, SecretStr, model_validator

from dossier.runtime.settings import ServiceSettings, dev_secret


class GatewaySettings(ServiceSettings):
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
    legacy_wait_seconds: float = Field(default=20.0, ge=0, le=120)
    outbox_sweep_seconds: float = 5.0
    outbox_grace_seconds: float = 10.0
    analysis_timeout_seconds: float = Field(
        default=900.0,
        description="An active analysis untouched this long is failed by the sweeper.",
    )

    @model_validator(mode="after")
    def _signing_key_is_set_outside_development(self) -> "GatewaySettings":
        if not self.url_signing_key.get_secret_value():
            if self.deployment != "development":
                msg = "DOSSIER_URL_SIGNING_KEY must be set outside development"
                raise ValueError(msg)
            self.url_signing_key = SecretStr(dev_secret("url-signing-key"))
        return self
