"""Sandbox analyses always get the deterministic writer, whatever writer is configured."""

from dossier.contracts.enums import Environment
from dossier.reporter.domain.report_input import ReportInput
from dossier.reporter.domain.writer import DeterministicReportWriter, WriterResult
from dossier.reporter.writers import SandboxAwareWriter
from tests.unit.reporter.conftest import build_input


class RecordingWriter:
    """A configured writer (an LLM, in production) that remembers what it was asked."""

    def __init__(self) -> None:
        self.calls: list[ReportInput] = []
        self._inner = DeterministicReportWriter()

    async def write(self, inp: ReportInput) -> WriterResult:
        self.calls.append(inp)
        result = await self._inner.write(inp)
        return WriterResult(report=result.report, writer="llm")


def in_environment(environment: Environment) -> ReportInput:
    inp = build_input()
    return inp.model_copy(
        update={"context": inp.context.model_copy(update={"environment": environment})}
    )


async def test_a_sandbox_analysis_never_reaches_the_configured_writer() -> None:
    configured = RecordingWriter()
    writer = SandboxAwareWriter(configured, DeterministicReportWriter())

    result = await writer.write(in_environment(Environment.TEST))

    assert result.writer == "deterministic"
    assert configured.calls == []


async def test_a_live_analysis_uses_the_configured_writer() -> None:
    configured = RecordingWriter()
    writer = SandboxAwareWriter(configured, DeterministicReportWriter())

    result = await writer.write(in_environment(Environment.LIVE))

    assert result.writer == "llm"
    assert len(configured.calls) == 1
