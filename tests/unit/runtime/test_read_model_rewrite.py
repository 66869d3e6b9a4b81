"""A completed analysis whose report is rewritten after feedback, as `assemble` serves it."""

from datetime import UTC, datetime, timedelta
from typing import Any

from dossier.runtime.read_model import assemble

T0 = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def outcome(**extra: Any) -> dict[str, Any]:
    accepted = {"_id": "an_1", "partner_id": "p_1", "created_at": T0, "client_id": "c"}
    return {
        "_id": "an_1",
        "status": "completed",
        "decided_at": T0 + timedelta(seconds=5),
        "analysis": accepted,
        "stages": {
            "identity": {"quick_signal": {"level": "Green"}},
            "enrichment": {"signals": [{"id": "sig_1"}]},
            "report": {
                "report": {"candidateName": "John Doe"},
                "metadata": {"report_id": "an_1"},
                "billing": {"charged": True, "credits_used": 1},
                **extra.pop("report_stage", {}),
            },
        },
        **extra,
    }


def view(doc: dict[str, Any]) -> dict[str, Any]:
    return assemble(doc["analysis"], doc["stages"], doc)


def test_a_completed_analysis_is_at_revision_zero() -> None:
    served = view(outcome())

    assert (served["status"], served["stage"], served["revision"]) == ("completed", "done", 0)
    assert served["report"] == {"candidateName": "John Doe"}


def test_a_report_being_rewritten_shows_processing_at_the_report_stage_without_a_report() -> None:
    since = T0 + timedelta(minutes=3)
    served = view(outcome(regenerating={"since": since, "signal_id": "sig_1"}))

    assert (served["status"], served["stage"]) == ("processing", "report")
    assert served["report"] is None
    assert served["metadata"] is None
    assert served["signals"] == [{"id": "sig_1"}]
    assert served["billing"] == {"charged": True, "credits_used": 1}, "it was charged once"
    assert served["updated_at"] == since
    assert served["rewriting"] is True


def test_a_rewritten_report_carries_its_revision_and_when() -> None:
    revised = T0 + timedelta(minutes=4)
    served = view(outcome(revision=1, report_stage={"revision": 1, "revised_at": revised}))

    assert (served["status"], served["revision"]) == ("completed", 1)
    assert served["updated_at"] == revised
