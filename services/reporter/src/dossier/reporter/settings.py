"""Reporter settings (`DOSSIER_*`)."""

from pydantic import SecretStr

from dossier.runtime.settings import ServiceSettings


class ReporterSettings(ServiceSettings):
    service_name: str = "reporter"
    metrics_port: int = 9103
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: SecretStr | None = None
    llm_timeout_seconds: float = 45.0
