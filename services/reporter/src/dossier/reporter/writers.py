"""Choosing the report writer: an OpenAI-compatible LLM when configured, else deterministic.

Sandbox (test-key) analyses always get the deterministic writer, whatever is configured:
the same input must give the same report, and no model is called for them.
"""

import httpx

from dossier.contracts.enums import Environment
from dossier.reporter.domain.report_input import ReportInput
from dossier.reporter.domain.writer import DeterministicReportWriter, ReportWriter, WriterResult
from dossier.reporter.settings import ReporterSettings


def writer_for(
    environment: Environment, configured: ReportWriter, deterministic: ReportWriter
) -> ReportWriter:
    return deterministic if environment is Environment.TEST else configured


class SandboxAwareWriter:
    """The configured writer for live analyses, the deterministic one for the sandbox."""

    def __init__(self, configured: ReportWriter, deterministic: ReportWriter) -> None:
        self._configured = configured
        self._deterministic = deterministic

    async def write(self, inp: ReportInput) -> WriterResult:
        writer = writer_for(inp.context.environment, self._configured, self._deterministic)
        return await writer.write(inp)


def build_writer(settings: ReporterSettings, http: httpx.AsyncClient) -> ReportWriter:
    deterministic = DeterministicReportWriter()
    if not (settings.llm_base_url and settings.llm_model):
        return deterministic
    from dossier.reporter.adapters.llm_writer import LlmWriter  # noqa: PLC0415 - only when used

    llm = LlmWriter(
        base_url=settings.llm_base_url,
        model=settings.llm_model,
        api_key=settings.llm_api_key.get_secret_value() if settings.llm_api_key else None,
        http=http,
        fallback=deterministic,
    )
    return SandboxAwareWriter(llm, deterministic)
