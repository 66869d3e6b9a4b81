"""Which completed report a create request accepts in place of a new analysis (pure)."""

from datetime import UTC, datetime, timedelta

from dossier.gateway.analyses.freshness import Freshness

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def completed(age: timedelta) -> dict[str, object]:
    return {
        "status": "completed",
        "updated_at": NOW - age,
        "metadata": {"generated_at": NOW - age},
    }


def test_by_default_any_completed_report_is_reused() -> None:
    assert Freshness().accepts(completed(timedelta(days=4000)), now=NOW)


def test_max_age_accepts_a_younger_report_and_refuses_an_older_one() -> None:
    rule = Freshness(max_age_days=30)

    assert rule.accepts(completed(timedelta(days=29, hours=23)), now=NOW)
    assert not rule.accepts(completed(timedelta(days=30)), now=NOW)
    assert not rule.accepts(completed(timedelta(days=31)), now=NOW)


def test_refresh_refuses_even_a_report_written_a_moment_ago() -> None:
    assert not Freshness(refresh=True).accepts(completed(timedelta(seconds=1)), now=NOW)
    assert not Freshness(max_age_days=30, refresh=True).accepts(
        completed(timedelta(seconds=1)), now=NOW
    )


def test_without_report_metadata_the_decision_time_is_the_age() -> None:
    doc = {"status": "completed", "updated_at": NOW - timedelta(days=3), "metadata": None}

    assert Freshness(max_age_days=4).accepts(doc, now=NOW)
    assert not Freshness(max_age_days=2).accepts(doc, now=NOW)
