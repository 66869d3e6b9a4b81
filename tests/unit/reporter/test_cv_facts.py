"""Tying findings to CV entries, and finding employment gaps worth asking about."""

from collections.abc import Callable

from dossier.contracts.api import Signal
from dossier.contracts.claims import CvClaims, Employment, YearMonth
from dossier.contracts.enums import Stance
from dossier.reporter.domain.cv_facts import (
    education_for,
    employment_for,
    employment_gaps,
    gap_for,
)


def ym(year: int, month: int) -> YearMonth:
    return YearMonth(year=year, month=month)


def job(
    employer: str, start: YearMonth, end: YearMonth | None = None, current: bool = False
) -> Employment:
    return Employment(employer=employer, start=start, end=end, current=current)


def test_gap_over_six_months_is_flagged() -> None:
    claims = CvClaims(
        employments=[job("A", ym(2015, 1), ym(2018, 1)), job("B", ym(2018, 9), current=True)]
    )

    gaps = employment_gaps(claims)

    assert [(g.after.employer, g.before.employer, g.months) for g in gaps] == [("A", "B", 7)]


def test_gap_of_six_months_is_not_flagged() -> None:
    claims = CvClaims(employments=[job("A", ym(2015, 1), ym(2018, 1)), job("B", ym(2018, 8))])

    assert employment_gaps(claims) == []


def test_overlapping_positions_leave_no_gap() -> None:
    claims = CvClaims(
        employments=[
            job("A", ym(2010, 1), ym(2020, 1)),
            job("B", ym(2012, 1), ym(2013, 1)),
            job("C", ym(2020, 3), current=True),
        ]
    )

    assert employment_gaps(claims) == []


def test_gaps_are_found_in_cv_order_whatever_the_listing_order() -> None:
    claims = CvClaims(
        employments=[
            job("C", ym(2021, 1), current=True),
            job("A", ym(2010, 1), ym(2012, 1)),
            job("B", ym(2013, 6), ym(2019, 12)),
        ]
    )

    gaps = employment_gaps(claims)

    assert [(g.after.employer, g.before.employer) for g in gaps] == [("A", "B"), ("B", "C")]


def test_gap_finding_picks_the_gap_whose_year_it_mentions(
    make_signal: Callable[..., Signal],
) -> None:
    claims = CvClaims(
        employments=[
            job("A", ym(2010, 1), ym(2012, 1)),
            job("B", ym(2014, 6), ym(2019, 1)),
            job("C", ym(2019, 12), current=True),
        ]
    )
    finding = make_signal("g", Stance.CONTRADICTS, claim="employment.gap", statement="Gap in 2019")

    gap = gap_for(claims, finding)

    assert gap is not None
    assert (gap.after.employer, gap.before.employer) == ("B", "C")


def test_employment_found_by_claim_index(make_signal: Callable[..., Signal]) -> None:
    claims = CvClaims(employments=[job("A", ym(2010, 1)), job("B", ym(2012, 1))])

    found = employment_for(
        claims, make_signal("s", Stance.CONTRADICTS, claim="employment[1].dates")
    )

    assert found is not None
    assert found.employer == "B"


def test_current_employment_found_by_claim_name(make_signal: Callable[..., Signal]) -> None:
    claims = CvClaims(employments=[job("A", ym(2010, 1)), job("B", ym(2012, 1), current=True)])

    found = employment_for(claims, make_signal("s", Stance.SUPPORTS, claim="employment.current"))

    assert found is not None
    assert found.employer == "B"


def test_employment_found_by_the_longest_employer_named(
    make_signal: Callable[..., Signal],
) -> None:
    claims = CvClaims(employments=[job("Acme", ym(2010, 1)), job("Acme Labs", ym(2012, 1))])
    finding = make_signal(
        "s", Stance.CONTRADICTS, claim="employment", statement="Never worked at ACME LABS."
    )

    found = employment_for(claims, finding)

    assert found is not None
    assert found.employer == "Acme Labs"


def test_no_entry_when_nothing_points_at_one(make_signal: Callable[..., Signal]) -> None:
    claims = CvClaims(employments=[job("Acme", ym(2010, 1))])
    finding = make_signal("s", Stance.CONTRADICTS, claim="education", statement="Unrelated.")

    assert employment_for(claims, finding) is None
    assert education_for(claims, finding) is None
    assert employment_for(None, finding) is None
