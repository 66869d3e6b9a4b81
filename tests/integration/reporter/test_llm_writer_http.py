"""The LLM writer against a local OpenAI-compatible server, over real HTTP.

The unit tests (respx) cover prompt construction, injection fencing and every fallback;
here the writer talks to a server process speaking the chat-completions protocol: a
rule-following model (`/llm-model`) yields a report written by the LLM path in each of
the five languages, and an unusable one (`/llm`) falls back with a note.
"""

import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio

from dossier.contracts.enums import Language
from dossier.devstack.processes import ManagedProcess, free_port
from dossier.reporter.domain.recommendation import recommend_for
from dossier.reporter.domain.report_checks import report_problems
from dossier.reporter.settings import ReporterSettings
from dossier.reporter.writers import build_writer
from tests.unit.reporter.conftest import build_input

REPO = Path(__file__).resolve().parents[3]


def _ok(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


@pytest.fixture(scope="module")
def llm_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    proc = ManagedProcess(
        name="llm",
        argv=[sys.executable, "-m", "tests.fakes.provider_server", "--port", str(port)],
        log_path=tmp_path_factory.mktemp("llm") / "llm.log",
        cwd=REPO,
        env={"PYTHONPATH": str(REPO)},
        ready=lambda: _ok(f"http://127.0.0.1:{port}/_health"),
    )
    proc.start()
    proc.wait_ready(timeout=30)
    yield f"http://127.0.0.1:{port}"
    proc.stop()


@pytest_asyncio.fixture(loop_scope="session")
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


def _settings(base_url: str) -> ReporterSettings:
    return ReporterSettings(
        llm_base_url=base_url, llm_model="local-model", llm_api_key="sk-local-test"
    )


@pytest.mark.parametrize("language", list(Language))
async def test_llm_writer_writes_the_report_in_each_language(
    llm_server: str, http: httpx.AsyncClient, language: Language
) -> None:
    writer = build_writer(_settings(f"{llm_server}/llm-model/v1"), http)
    inp = build_input(language=language)

    result = await writer.write(inp)

    assert result.writer == "llm", result.note
    assert result.note is None
    assert report_problems(result.report, inp, recommend_for(inp)) == []
    assert result.report.notice  # set by Dossier, never by the model
    assert [s.name for s in result.report.sources or []] == [s.name for s in inp.sources]


async def test_llm_writer_falls_back_when_the_model_answers_unusably(
    llm_server: str, http: httpx.AsyncClient
) -> None:
    writer = build_writer(_settings(f"{llm_server}/llm/v1"), http)

    result = await writer.write(build_input(language=Language.DE))

    assert result.writer == "deterministic"
    assert result.note is not None
    assert "LLM output invalid" in result.note


async def test_llm_writer_falls_back_when_the_endpoint_is_down(http: httpx.AsyncClient) -> None:
    writer = build_writer(_settings(f"http://127.0.0.1:{free_port()}/v1"), http)

    result = await writer.write(build_input())

    assert result.writer == "deterministic"
    assert result.note is not None
    assert "LLM call failed" in result.note
