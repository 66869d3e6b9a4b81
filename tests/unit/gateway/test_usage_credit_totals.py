"""The running totals of the credit journal: credits per month, held analyses per month."""

from datetime import UTC, datetime

from dossier.runtime.credit_journal import Totals, advance, previous_month


def test_previous_month_rolls_back_over_the_new_year() -> None:
    assert (previous_month("2027-01"), previous_month("2026-11")) == ("2026-12", "2026-10")


def test_the_first_link_starts_the_totals() -> None:
    assert advance(None, "2026-06", accepted=True) == Totals("2026-06", 0, {"2026-06": 1})


def test_a_charge_adds_credits_and_settles_the_month_its_analysis_was_accepted_in() -> None:
    held = Totals("2026-06", 3, {"2026-05": 2, "2026-06": 1})

    after = advance(held, "2026-06", credits=1, settles="2026-05")

    assert after == Totals("2026-06", 4, {"2026-05": 1, "2026-06": 1})


def test_credits_start_again_in_a_new_month_but_last_months_holds_still_count() -> None:
    june = Totals("2026-06", 7, {"2026-06": 2})

    july = advance(june, "2026-07", credits=1, settles="2026-06")

    assert july == Totals("2026-07", 1, {"2026-06": 1})
    assert july.position(datetime(2026, 7, 3, tzinfo=UTC)) == (1, 1)


def test_holds_older_than_last_month_are_forgiven() -> None:
    """An analysis whose failure was never announced stops counting after two months."""
    may = Totals("2026-05", 0, {"2026-05": 1})

    july = advance(may, "2026-07", accepted=True)

    assert july.held == {"2026-07": 1}


def test_a_settlement_never_takes_a_month_below_zero() -> None:
    assert advance(Totals("2026-06", 0, {}), "2026-06", settles="2026-06").held == {}
    assert advance(Totals("2026-06", 0, {"2026-06": 0}), "2026-06", settles="2026-06").held == {
        "2026-06": 0
    }


def test_a_late_event_never_moves_the_chain_back_a_month() -> None:
    """A charge dated 31 May appended after a June link counts in June."""
    june = Totals("2026-06", 2, {})

    assert advance(june, "2026-05", credits=1) == Totals("2026-06", 3, {})


def test_position_reads_nothing_charged_from_an_older_month() -> None:
    may = Totals("2026-05", 9, {"2026-05": 1, "2026-04": 4})

    assert may.position(datetime(2026, 6, 1, tzinfo=UTC)) == (0, 1)
    assert may.position(datetime(2026, 7, 1, tzinfo=UTC)) == (0, 0)
