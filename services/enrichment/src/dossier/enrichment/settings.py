"""Enrichment settings (`DOSSIER_*`)."""

from dossier.runtime.settings import ServiceSettings
from dossier.sources.settings import SourceSettings


class EnrichmentSettings(ServiceSettings, SourceSettings):
    service_name: str = "enrichment"
    metrics_port: int = 9102
