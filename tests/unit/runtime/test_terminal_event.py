"""Which event announces a decided outcome (pure): what the finaliser publishes, however late."""

from dossier.contracts.api import ClientRef
from dossier.contracts.enums import Channel, Environment, Language, Stage
from dossier.contracts.events import (
    AnalysisCanceled,
    AnalysisCompleted,
    AnalysisContext,
    AnalysisFailed,
    CandidateProfile,
)
from dossier.contracts.timestamps import utcnow
from dossier.contracts.topics import ANALYSIS_CANCELED, ANALYSIS_COMPLETED, ANALYSIS_FAILED
from dossier.runtime.read_model import analysis_document
from dossier.runtime.terminal import terminal_event


def _context(environment: Environment) -> AnalysisContext:
    return AnalysisContext(
        analysis_id="an_1",
        partner_id="p",
        environment=environment,
        channel=Channel.V1,
        language=Language.EN,
        client=ClientRef(id="c", company="Acme"),
        candidate=CandidateProfile(id="k", first_name="Jane", last_name="Doe"),
        requested_at=utcnow(),
    )


def test_a_completed_outcome_announces_the_completion_billable_only_when_live() -> None:
    for environment, billable in ((Environment.LIVE, True), (Environment.TEST, False)):
        outcome = {
            "_id": "an_1",
            "status": "completed",
            "analysis": analysis_document(_context(environment)),
        }

        found = terminal_event(outcome, "p")

        assert found is not None
        topic, event = found
        assert topic == ANALYSIS_COMPLETED
        assert isinstance(event, AnalysisCompleted)
        assert (event.context.analysis_id, event.billable) == ("an_1", billable)


def test_a_failed_outcome_announces_its_error_and_stage() -> None:
    error = {"code": "timeout", "message": "stopped", "stage": "enrichment"}

    found = terminal_event({"_id": "an_1", "status": "failed", "error": error}, "p")

    assert found is not None
    topic, event = found
    assert topic == ANALYSIS_FAILED
    assert isinstance(event, AnalysisFailed)
    assert (event.partner_id, event.error.code, event.stage) == ("p", "timeout", Stage.ENRICHMENT)


def test_a_canceled_outcome_announces_the_cancel() -> None:
    found = terminal_event({"_id": "an_1", "status": "canceled"}, "p")

    assert found is not None
    topic, event = found
    assert topic == ANALYSIS_CANCELED
    assert isinstance(event, AnalysisCanceled)


def test_a_completed_outcome_without_its_analysis_announces_nothing() -> None:
    assert terminal_event({"_id": "an_1", "status": "completed"}, "p") is None
