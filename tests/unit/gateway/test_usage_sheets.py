"""Usage sheets: keys, and how sheets add up into per-client counts."""

from datetime import UTC, date, datetime

from dossier.contracts.enums import Environment
from dossier.gateway.usage.repository import Tally, add_sheet
from dossier.runtime.usage_sheets import (
    analysis_token,
    client_token,
    days_between,
    registry_id,
    sheet_id,
)


def test_sheet_and_registry_ids_are_keyed_by_partner_environment_and_period() -> None:
    at = datetime(2026, 6, 30, 23, 59, tzinfo=UTC)

    assert sheet_id("ptn_1", Environment.TEST, at, "p3") == "ptn_1:test:2026-06-30:p3"
    assert registry_id("ptn_1", Environment.LIVE, "2026-06", 0) == "ptn_1:live:2026-06:0"


def test_tokens_never_contain_the_ids_they_stand_for() -> None:
    assert "an_123" not in analysis_token("an_123")
    assert analysis_token("an_123") == analysis_token("an_123") != analysis_token("an_124")
    assert "." not in client_token("acme.corp")
    assert "$" not in client_token("$acme")


def test_a_period_lists_every_day_both_ends_included() -> None:
    days = days_between(date(2028, 2, 27), date(2028, 3, 1))

    assert days == [date(2028, 2, 27), date(2028, 2, 28), date(2028, 2, 29), date(2028, 3, 1)]


def test_sheets_add_generated_reports_credits_and_reuses_per_client() -> None:
    tally = Tally()
    charges = {
        "generated": {
            "t1": {"client_id": "acme", "credits": 1},
            "t2": {"client_id": "acme", "credits": 1},
            "t3": {"client_id": "globex", "credits": 0},
        }
    }
    reuses = {"clients": {"c1": {"client_id": "acme", "reused": 3}}}

    add_sheet(tally, charges)
    add_sheet(tally, reuses)

    assert tally.by_client == {
        "acme": {"generated": 2, "reused": 3, "credits": 2},
        "globex": {"generated": 1, "reused": 0, "credits": 0},
    }
