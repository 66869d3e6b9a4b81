"""An event stream's look at its analysis, against the real server: what it reads each time."""

import secrets
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
from pymongo import AsyncMongoClient, monitoring

from dossier.contracts.enums import AnalysisStatus, Stage
from dossier.gateway.analyses.live import LiveAnalysis, changing_stages
from dossier.runtime.read_model import AnalysisReadModel, analysis_document
from tests.conftest import Infra
from tests.integration.runtime.test_read_model import _context, _finished, _report, _signal

pytestmark = pytest.mark.integration


class Reads(monitoring.CommandListener):
    def __init__(self) -> None:
        self.finds: list[str] = []

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if event.command_name == "find":
            self.finds.append(str(event.command["find"]))

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass

    def take(self) -> list[str]:
        taken, self.finds = sorted(self.finds), []
        return taken


@pytest_asyncio.fixture(loop_scope="session")
async def counted(infra: Infra) -> AsyncIterator[tuple[AnalysisReadModel, Reads]]:
    reads = Reads()
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
        infra.mongo_url, tz_aware=True, event_listeners=[reads]
    )
    name = f"test_{secrets.token_hex(4)}"
    try:
        yield AnalysisReadModel(client[name]), reads
    finally:
        await client.drop_database(name)
        await client.close()


def test_only_the_current_and_the_next_stage_can_change() -> None:
    assert changing_stages([]) == (Stage.IDENTITY, Stage.ENRICHMENT)
    assert changing_stages(["identity"]) == (Stage.IDENTITY, Stage.ENRICHMENT)
    assert changing_stages(["identity", "enrichment"]) == (Stage.ENRICHMENT, Stage.REPORT)
    assert changing_stages(["identity", "enrichment", "report"]) == (Stage.REPORT,)


async def test_looks_read_only_what_can_still_change(
    counted: tuple[AnalysisReadModel, Reads],
) -> None:
    model, reads = counted
    context = _context("an_live")
    await model.accept(analysis_document(context))
    await model.enter_stage("an_live", Stage.IDENTITY)
    await model.enter_stage("an_live", Stage.ENRICHMENT)
    live = LiveAnalysis(model, "an_live", exists_every_seconds=3600)
    reads.take()

    first = await live.look()
    assert first is not None
    assert first["stage"] == "enrichment"
    assert reads.take() == ["analyses"] + ["analysis_outcomes"] + ["analysis_stages"] * 3

    await model.set_signals("an_live", [_signal("sig_a")])
    reads.take()
    enriching = await live.look()
    assert enriching is not None
    assert [s["id"] for s in enriching["signals"]] == ["sig_a"]
    assert reads.take() == ["analysis_outcomes"] + ["analysis_stages"] * 2

    await model.enter_stage("an_live", Stage.REPORT)
    await live.look()
    reads.take()
    reporting = await live.look()
    assert reporting is not None
    assert reporting["stage"] == "report"
    assert reads.take() == ["analysis_outcomes", "analysis_stages"]

    report, metadata = _report()
    await model.complete(context, _finished(report, metadata, charged=True))
    done = await live.look()
    assert done is not None
    assert done["status"] == AnalysisStatus.COMPLETED.value
    assert [s["id"] for s in done["signals"]] == ["sig_a"]


async def test_an_erased_analysis_ends_the_view(counted: tuple[AnalysisReadModel, Reads]) -> None:
    model, _ = counted
    await model.accept(analysis_document(_context("an_erased")))
    await model.enter_stage("an_erased", Stage.IDENTITY)
    live = LiveAnalysis(model, "an_erased", exists_every_seconds=0)
    assert await live.look() is not None

    await model.collection.delete_one({"_id": "an_erased"})

    assert await live.look() is None
