"""Reviewer verdicts applied to stored findings (pure): what is marked, what a rewrite uses."""

from datetime import UTC, datetime
from typing import Any

from dossier.contracts.enums import FeedbackVerdict
from dossier.reporter.domain.feedback import (
    apply_verdict,
    dismissed_count,
    mark_field,
    remaining,
)

AT = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def stored(n: int) -> dict[str, Any]:
    return {
        "id": f"sig_{n}",
        "statement": f"Finding {n}.",
        "sourceType": "web",
        "sourceUrl": None,
        "reliability": "High",
    }


SIGNALS = [stored(1), stored(2), stored(3)]


def test_a_dismissal_marks_the_signal_and_asks_for_a_rewrite() -> None:
    applied = apply_verdict(SIGNALS, "sig_2", FeedbackVerdict.INCORRECT, "wrong year", AT)

    assert applied is not None
    assert applied.rewrite is True
    assert applied.signals[1]["dismissed"] == {
        "verdict": "incorrect",
        "note": "wrong year",
        "at": AT,
    }
    assert "dismissed" not in applied.signals[0]
    assert "dismissed" not in SIGNALS[1], "the stored list is not changed in place"


def test_not_this_person_dismisses_too() -> None:
    applied = apply_verdict(SIGNALS, "sig_1", FeedbackVerdict.NOT_THIS_PERSON, None, AT)

    assert applied is not None
    assert applied.rewrite is True
    assert applied.signals[0]["dismissed"]["verdict"] == "not_this_person"


def test_a_confirmation_is_marked_without_a_rewrite() -> None:
    applied = apply_verdict(SIGNALS, "sig_3", FeedbackVerdict.CONFIRMED, "checked", AT)

    assert applied is not None
    assert applied.rewrite is False
    assert applied.signals[2]["confirmed"]["verdict"] == "confirmed"
    assert "dismissed" not in applied.signals[2]


def test_the_same_verdict_again_is_nothing_to_do() -> None:
    once = apply_verdict(SIGNALS, "sig_2", FeedbackVerdict.INCORRECT, None, AT)
    assert once is not None

    assert apply_verdict(once.signals, "sig_2", FeedbackVerdict.INCORRECT, None, AT) is None


def test_an_unknown_signal_is_nothing_to_do() -> None:
    assert apply_verdict(SIGNALS, "sig_9", FeedbackVerdict.INCORRECT, None, AT) is None


def test_a_rewrite_uses_every_signal_not_dismissed() -> None:
    first = apply_verdict(SIGNALS, "sig_1", FeedbackVerdict.INCORRECT, None, AT)
    assert first is not None
    second = apply_verdict(first.signals, "sig_3", FeedbackVerdict.CONFIRMED, None, AT)
    assert second is not None

    assert [s.id for s in remaining(second.signals)] == ["sig_2", "sig_3"]
    assert dismissed_count(second.signals) == 1


def test_verdicts_mark_their_own_field() -> None:
    assert mark_field(FeedbackVerdict.CONFIRMED) == "confirmed"
    assert {mark_field(FeedbackVerdict.INCORRECT), mark_field(FeedbackVerdict.NOT_THIS_PERSON)} == {
        "dismissed"
    }
