"""The read model's conditional writes against a real MongoDB-protocol server."""

from typing import Any

import pytest

from dossier.contracts.api import ErrorInfo, Signal
from dossier.contracts.enums import Reliability, SourceType, Stage
from dossier.runtime.read_model import AnalysisReadModel

pytestmark = pytest.mark.integration


async def _seed(db: Any, analysis_id: str = "an_1") -> AnalysisReadModel:
    model = AnalysisReadModel(db)
    await model.collection.insert_one(
        {"_id": analysis_id, "partner_id": "p", "status": "queued", "signals": [], "signal_ids": []}
    )
    return model


def _signal(signal_id: str) -> Signal:
    return Signal(
        id=signal_id, statement="s", source_type=SourceType.WEB, reliability=Reliability.LOW
    )


async def test_appending_the_same_signal_twice_stores_it_once(mongo_db: Any) -> None:
    model = await _seed(mongo_db)

    first = await model.append_signal("an_1", _signal("sig_a"))
    again = await model.append_signal("an_1", _signal("sig_a"))
    await model.append_signal("an_1", _signal("sig_b"))

    doc = await model.get("an_1")
    assert (first, again) == (True, False)
    assert [s["id"] for s in doc["signals"]] == ["sig_a", "sig_b"]


async def test_canceled_analysis_refuses_every_stage_write(mongo_db: Any) -> None:
    model = await _seed(mongo_db)

    _, canceled = await model.cancel("an_1", "p")

    assert canceled
    assert not await model.enter_stage("an_1", Stage.ENRICHMENT)
    assert not await model.append_signal("an_1", _signal("sig_a"))
    assert not await model.fail("an_1", ErrorInfo(code="x", message="y"))
    doc = await model.get("an_1")
    assert doc["status"] == "canceled"
    assert doc["signals"] == []


async def test_cancel_is_scoped_to_the_partner_and_idempotent(mongo_db: Any) -> None:
    model = await _seed(mongo_db)

    other, by_other = await model.cancel("an_1", "someone-else")
    _, first = await model.cancel("an_1", "p")
    doc, second = await model.cancel("an_1", "p")

    assert (other, by_other) == (None, False)
    assert (first, second) == (True, False)
    assert doc is not None
    assert doc["status"] == "canceled"


async def test_concurrent_outcomes_have_exactly_one_winner(mongo_db: Any) -> None:
    """Cancel, failure and completion racing: the first decided outcome is the only one."""
    import asyncio  # noqa: PLC0415

    from dossier.contracts.enums import AnalysisStatus  # noqa: PLC0415

    model = await _seed(mongo_db)
    contenders = [AnalysisStatus.CANCELED, AnalysisStatus.FAILED, AnalysisStatus.COMPLETED] * 10

    wins = await asyncio.gather(*(model.decide_outcome("an_1", s) for s in contenders))

    assert sum(wins) == 1
    winner = contenders[wins.index(True)]
    assert (await model.get("an_1"))["status"] == winner.value
    assert not await model.is_active("an_1")


async def test_a_decided_completion_reads_as_processing_until_its_report_is_written(
    mongo_db: Any,
) -> None:
    from dossier.contracts.enums import AnalysisStatus  # noqa: PLC0415

    model = await _seed(mongo_db)
    await model.collection.update_one({"_id": "an_1"}, {"$set": {"status": "processing"}})

    await model.decide_outcome("an_1", AnalysisStatus.COMPLETED)
    midway = await model.get("an_1")
    await model.collection.update_one({"_id": "an_1"}, {"$set": {"report": {"x": 1}}})
    after = await model.get("an_1")

    assert midway["status"] == "processing"
    assert after["status"] == "completed"
