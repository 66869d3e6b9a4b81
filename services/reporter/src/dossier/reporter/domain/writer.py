"""The writer port: what the report stage calls, whichever writer is configured."""

from dataclasses import dataclass
from typing import Literal, Protocol

from dossier.contracts.api import Report
from dossier.reporter.domain.deterministic_writer import DeterministicWriter
from dossier.reporter.domain.report_input import ReportInput

WriterName = Literal["deterministic", "llm"]


@dataclass(frozen=True)
class WriterResult:
    """The report, which writer produced it, and why, when it is not the one configured.

    `writer` and `note` end up in the report metadata so partners and operators can tell
    a model-written report from a template-written one.
    """

    report: Report
    writer: WriterName
    note: str | None = None


class ReportWriter(Protocol):
    async def write(self, inp: ReportInput) -> WriterResult: ...


class DeterministicReportWriter:
    """`DeterministicWriter` behind the async port. Pure and fast: no thread needed."""

    def __init__(self, writer: DeterministicWriter | None = None) -> None:
        self._writer = writer or DeterministicWriter()

    async def write(self, inp: ReportInput) -> WriterResult:
        return WriterResult(report=self._writer.write(inp), writer="deterministic")

    def write_with_note(self, inp: ReportInput, note: str) -> WriterResult:
        """The fallback path of other writers: same report, with the reason it was needed."""
        return WriterResult(report=self._writer.write(inp), writer="deterministic", note=note)
