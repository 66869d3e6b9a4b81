"""Identity settings (`DOSSIER_*`)."""

from dossier.runtime.settings import ServiceSettings
from dossier.sources.settings import SourceSettings


class IdentitySettings(ServiceSettings, SourceSettings):
    service_name: str = "identity"
    metrics_port: int = 9101
