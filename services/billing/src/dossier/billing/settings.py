"""Billing settings (`DOSSIER_*`)."""

from pydantic import Field

from dossier.runtime.settings import TERMINAL_CONSUMER_CONCURRENCY, ServiceSettings


class BillingSettings(ServiceSettings):
    service_name: str = "billing"
    metrics_port: int = 9104
    concurrency: int = Field(default=TERMINAL_CONSUMER_CONCURRENCY, ge=1)
    credits_per_report: int = 1
