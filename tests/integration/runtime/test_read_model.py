"""The read model against a real MongoDB-protocol server: one writer per document,
terminal outcomes decided by unique inserts."""

import asyncio
from typing import Any

import pytest

from dossier.contracts.api import ErrorInfo, Metadata, Recommendation, Report, Signal
from dossier.contracts.enums import (
    AnalysisStatus,
    Confidence,
    Decision,
    Language,
    Reliability,
    SourceType,
    Stage,
)
from dossier.contracts.timestamps import utcnow
from dossier.runtime.read_model import AnalysisReadModel

pytestmark = pytest.mark.integration


async def _seed(db: Any, analysis_id: str = "an_1") -> AnalysisReadModel:
    model = AnalysisReadModel(db)
    await model.collection.insert_one(
        {"_id": analysis_id, "partner_id": "p", "created_at": utcnow(), "open": True}
    )
    return model


def _signal(signal_id: str) -> Signal:
    return Signal(
        id=signal_id, statement="s", source_type=SourceType.WEB, reliability=Reliability.LOW
    )


def _report() -> tuple[Report, Metadata]:
    report = Report(
        candidate_name="Jane Doe",
        recommendation=Recommendation(
            decision=Decision.GO_WITH_VALIDATION, confidence=Confidence.MEDIUM
        ),
    )
    metadata = Metadata(
        report_id="an_1",
        candidate_id="c",
        language=Language.EN,
        generated_at=utcnow(),
        pdf_download_url="/api/v1/reports/an_1/pdf",
    )
    return report, metadata


async def test_status_follows_the_stages_until_an_outcome_is_decided(mongo_db: Any) -> None:
    model = await _seed(mongo_db)

    queued = await model.get("an_1")
    await model.enter_stage("an_1", Stage.IDENTITY)
    await model.enter_stage("an_1", Stage.ENRICHMENT)
    processing = await model.get("an_1")

    assert (queued["status"], queued["stage"]) == ("queued", None)
    assert (processing["status"], processing["stage"]) == ("processing", "enrichment")


async def test_appending_the_same_signal_twice_stores_it_once(mongo_db: Any) -> None:
    model = await _seed(mongo_db)
    await model.enter_stage("an_1", Stage.ENRICHMENT)

    first = await model.append_signal("an_1", _signal("sig_a"))
    again = await model.append_signal("an_1", _signal("sig_a"))
    await model.append_signal("an_1", _signal("sig_b"))

    view = await model.get("an_1")
    assert (first, again) == (True, False)
    assert [s["id"] for s in view["signals"]] == ["sig_a", "sig_b"]


async def test_canceled_analysis_refuses_every_stage_write(mongo_db: Any) -> None:
    model = await _seed(mongo_db)

    _, canceled = await model.cancel("an_1", "p")

    assert canceled
    assert not await model.enter_stage("an_1", Stage.ENRICHMENT)
    assert not await model.append_signal("an_1", _signal("sig_a"))
    assert not await model.fail("an_1", ErrorInfo(code="x", message="y"))
    report, metadata = _report()
    assert not await model.complete("an_1", report=report, metadata=metadata, charged=True)
    view = await model.get("an_1")
    assert view["status"] == "canceled"
    assert view["signals"] == []
    assert view["report"] is None
    assert view["billing"] == {"charged": False, "credits_used": 0}


async def test_cancel_is_scoped_to_the_partner_and_idempotent(mongo_db: Any) -> None:
    model = await _seed(mongo_db)

    other, by_other = await model.cancel("an_1", "someone-else")
    _, first = await model.cancel("an_1", "p")
    view, second = await model.cancel("an_1", "p")

    assert (other, by_other) == (None, False)
    assert (first, second) == (True, False)
    assert view is not None
    assert view["status"] == "canceled"


async def test_completion_shows_the_report_billing_and_done(mongo_db: Any) -> None:
    model = await _seed(mongo_db)
    await model.enter_stage("an_1", Stage.REPORT)
    report, metadata = _report()

    completed = await model.complete("an_1", report=report, metadata=metadata, charged=True)
    again = await model.complete("an_1", report=report, metadata=metadata, charged=True)

    view = await model.get("an_1")
    assert (completed, again) == (True, True)  # a retried completion is still ours
    assert (view["status"], view["stage"]) == ("completed", "done")
    assert view["report"]["candidateName"] == "Jane Doe"
    assert view["billing"] == {"charged": True, "credits_used": 1}


async def test_concurrent_outcomes_have_exactly_one_winner(mongo_db: Any) -> None:
    """Cancel, failure and completion racing: the first decided outcome is the only one."""
    model = await _seed(mongo_db)
    contenders = [AnalysisStatus.CANCELED, AnalysisStatus.FAILED, AnalysisStatus.COMPLETED] * 10

    wins = await asyncio.gather(*(model.decide_outcome("an_1", s) for s in contenders))

    assert sum(wins) == 1
    winner = contenders[wins.index(True)]
    assert (await model.get("an_1"))["status"] == winner.value
    assert not await model.is_active("an_1")


async def test_failure_carries_its_error(mongo_db: Any) -> None:
    model = await _seed(mongo_db)

    await model.fail("an_1", ErrorInfo(code="stage_error", message="boom", stage=Stage.REPORT))

    view = await model.get("an_1")
    assert view["status"] == "failed"
    assert view["error"]["code"] == "stage_error"
