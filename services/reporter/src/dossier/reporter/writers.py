"""Choosing the report writer: an OpenAI-compatible LLM when configured, else deterministic."""

import httpx

from dossier.reporter.domain.writer import DeterministicReportWriter, ReportWriter
from dossier.reporter.settings import ReporterSettings


def build_writer(settings: ReporterSettings, http: httpx.AsyncClient) -> ReportWriter:
    deterministic = DeterministicReportWriter()
    if not (settings.llm_base_url and settings.llm_model):
        return deterministic
    from dossier.reporter.adapters.llm_writer import LlmWriter  # noqa: PLC0415 - only when used

    return LlmWriter(
        base_url=settings.llm_base_url,
        model=settings.llm_model,
        api_key=settings.llm_api_key.get_secret_value() if settings.llm_api_key else None,
        http=http,
        fallback=deterministic,
    )
