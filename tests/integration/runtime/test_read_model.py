"""The read model against a real MongoDB-protocol server: one writer per document,
terminal outcomes decided by unique inserts."""

import asyncio
from typing import Any

import pytest

from dossier.contracts.api import (
    ClientRef,
    ErrorInfo,
    Metadata,
    QuickSignal,
    Recommendation,
    Report,
    Signal,
)
from dossier.contracts.enums import (
    AnalysisStatus,
    Confidence,
    Decision,
    Language,
    Level,
    Reliability,
    SourceType,
    Stage,
)
from dossier.contracts.events import AnalysisContext, CandidateProfile
from dossier.contracts.timestamps import utcnow
from dossier.runtime.read_model import AnalysisReadModel, Finished, analysis_document

pytestmark = pytest.mark.integration


def _context(analysis_id: str = "an_1") -> AnalysisContext:
    return AnalysisContext(
        analysis_id=analysis_id,
        partner_id="p",
        client=ClientRef(id="client_1"),
        candidate=CandidateProfile(id="c", first_name="Jane", last_name="Doe"),
        language=Language.EN,
        requested_at=utcnow(),
    )


async def _seed(db: Any, analysis_id: str = "an_1") -> AnalysisReadModel:
    model = AnalysisReadModel(db)
    await model.accept(analysis_document(_context(analysis_id)))
    return model


def _finished(report: Report, metadata: Metadata, *, charged: bool) -> Finished:
    return Finished(
        quick_signal=_quick_signal(),
        signals=[_signal("sig_a")],
        report=report,
        metadata=metadata,
        charged=charged,
    )


def _quick_signal() -> QuickSignal:
    return QuickSignal(level=Level.GREEN, reason="ok", identity_confidence=Confidence.HIGH)


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


async def test_signals_are_written_whole_and_come_back_to_a_redelivered_stage(
    mongo_db: Any,
) -> None:
    model = await _seed(mongo_db)
    await model.enter_stage("an_1", Stage.ENRICHMENT)

    await model.set_signals("an_1", [_signal("sig_a")])
    await model.set_signals("an_1", [_signal("sig_a"), _signal("sig_b")])
    redelivered = await model.enter_stage("an_1", Stage.ENRICHMENT)

    view = await model.get("an_1")
    assert [s["id"] for s in view["signals"]] == ["sig_a", "sig_b"]
    assert [s["id"] for s in redelivered["signals"]] == ["sig_a", "sig_b"]


async def test_a_canceled_analysis_stays_as_it_was_canceled(mongo_db: Any) -> None:
    model = await _seed(mongo_db)
    await model.enter_stage("an_1", Stage.IDENTITY)

    canceled_view, canceled = await model.cancel("an_1", partner_id="p")
    await model.enter_stage("an_1", Stage.ENRICHMENT)  # a late message
    report, metadata = _report()
    completed = await model.complete(_context(), _finished(report, metadata, charged=True))

    assert canceled
    assert not await model.fail("an_1", ErrorInfo(code="x", message="y"), partner_id="p")
    assert not completed
    view = await model.get("an_1")
    assert view == canceled_view
    assert (view["status"], view["stage"]) == ("canceled", "identity")
    assert view["report"] is None
    assert view["billing"] == {"charged": False, "credits_used": 0}
    assert not await model.is_active("an_1")


async def test_cancel_is_idempotent_and_scoped_to_the_partner_on_read(mongo_db: Any) -> None:
    model = await _seed(mongo_db)

    _, first = await model.cancel("an_1", partner_id="p")
    view, second = await model.cancel("an_1", partner_id="p")

    assert (first, second) == (True, False)
    assert view is not None
    assert view["status"] == "canceled"
    assert await model.get_for_partner("an_1", "someone-else") is None
    assert (await model.get_for_partner("an_1", "p") or {}).get("status") == "canceled"


async def test_completion_shows_the_report_billing_and_done(mongo_db: Any) -> None:
    model = await _seed(mongo_db)
    await model.enter_stage("an_1", Stage.REPORT)
    report, metadata = _report()

    async def complete() -> bool:
        return await model.complete(_context(), _finished(report, metadata, charged=True))

    completed = await complete()
    again = await complete()

    view = await model.get("an_1")
    assert (completed, again) == (True, True)  # a retried completion is still ours
    assert (view["status"], view["stage"]) == ("completed", "done")
    assert view["report"]["candidateName"] == "Jane Doe"
    assert [s["id"] for s in view["signals"]] == ["sig_a"]
    assert view["quick_signal"]["level"] == "Green"
    assert view["billing"] == {"charged": True, "credits_used": 1}
    assert view["partner_id"] == "p"


async def test_a_completed_analysis_is_served_from_its_outcome_alone(mongo_db: Any) -> None:
    """One keyed read: the view survives the loss of every other document of the analysis."""
    model = await _seed(mongo_db)
    await model.enter_stage("an_1", Stage.IDENTITY)
    report, metadata = _report()
    await model.complete(_context(), _finished(report, metadata, charged=False))
    before = await model.get("an_1")

    await model.collection.delete_one({"_id": "an_1"})
    await model.stages.delete_many({"analysis_id": "an_1"})

    assert await model.get("an_1") == before


async def test_concurrent_outcomes_have_exactly_one_winner(mongo_db: Any) -> None:
    """Cancel, failure and completion racing: the first decided outcome is the only one."""
    model = await _seed(mongo_db)
    contenders = [AnalysisStatus.CANCELED, AnalysisStatus.FAILED, AnalysisStatus.COMPLETED] * 10

    wins = await asyncio.gather(
        *(model.decide_outcome("an_1", s, partner_id="p") for s in contenders)
    )

    assert sum(wins) == 1
    winner = contenders[wins.index(True)]
    # Whoever won, one finalisation to-do says the key and event are still to be done.
    assert await model.finalisations.count_documents({"_id": "an_1"}) == 1
    assert (await model.get("an_1"))["status"] == winner.value
    assert not await model.is_active("an_1")


async def test_failure_carries_its_error(mongo_db: Any) -> None:
    model = await _seed(mongo_db)

    await model.fail(
        "an_1", ErrorInfo(code="stage_error", message="boom", stage=Stage.REPORT), partner_id="p"
    )

    view = await model.get("an_1")
    assert view["status"] == "failed"
    assert view["error"]["code"] == "stage_error"
