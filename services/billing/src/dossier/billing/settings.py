"""Billing settings (`DOSSIER_*`)."""

from dossier.runtime.settings import ServiceSettings


class BillingSettings(ServiceSettings):
    service_name: str = "billing"
    metrics_port: int = 9104
    credits_per_report: int = 1
