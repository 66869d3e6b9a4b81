"""Each consistency check, in both directions, and what every signal carries."""

import datetime as dt

import pytest

from dossier.contracts.api import Signal
from dossier.contracts.claims import CvClaims, Education, Employment, YearMonth
from dossier.contracts.enums import Language, Reliability, SourceType, Stance
from dossier.contracts.events import CandidateProfile
from dossier.identity.domain.consistency import (
    CLAIM_OF_CHECK,
    Check,
    check_of,
    consistency_signals,
    signal_id,
)

TODAY = dt.date(2026, 6, 29)


def ym(text: str) -> YearMonth:
    """`2019-03` or `2019`."""
    year, _, month = text.partition("-")
    return YearMonth(year=int(year), month=int(month) if month else None)


def job(
    employer: str,
    start: str | None,
    end: str | None = None,
    *,
    current: bool = False,
    part_time: bool = False,
    title: str | None = "Engineer",
) -> Employment:
    return Employment(
        employer=employer,
        title=title,
        start=ym(start) if start else None,
        end=ym(end) if end else None,
        current=current,
        part_time=part_time,
    )


def person(**fields: str | None) -> CandidateProfile:
    values: dict[str, str | None] = {"first_name": "Anna", "last_name": "Müller"}
    values.update(fields)
    return CandidateProfile(id="c1", **values)  # type: ignore[arg-type]


def run(
    claims: CvClaims | None,
    candidate: CandidateProfile | None = None,
    language: Language = Language.EN,
) -> list[Signal]:
    return consistency_signals(candidate or person(), claims, language=language, today=TODAY)


def of(signals: list[Signal], check: Check, stance: Stance | None = None) -> list[Signal]:
    return [s for s in signals if check_of(s) is check and (stance is None or s.stance is stance)]


# --- current employer ---------------------------------------------------------------------


def test_current_employer_match_supports_despite_legal_suffix_and_accents() -> None:
    claims = CvClaims(employments=[job("Aérolis SAS", "2020-09", current=True)])
    [signal] = of(run(claims, person(company="aerolis")), Check.CURRENT_EMPLOYER)
    assert signal.stance is Stance.SUPPORTS
    assert signal.source_type is SourceType.REQUEST
    assert signal.claim == "employment.current"


def test_current_employer_mismatch_contradicts_with_high_reliability() -> None:
    claims = CvClaims(employments=[job("Dataveo SA", "2021", current=True)])
    [signal] = of(run(claims, person(company="Orbital Conseil")), Check.CURRENT_EMPLOYER)
    assert signal.stance is Stance.CONTRADICTS
    assert signal.reliability is Reliability.HIGH
    assert "Orbital Conseil" in signal.statement
    assert "Dataveo SA" in signal.statement


def test_requested_employer_whose_job_ended_contradicts_softly() -> None:
    claims = CvClaims(employments=[job("Acme GmbH", "2018-01", "2021-06")])
    [signal] = of(run(claims, person(company="Acme")), Check.CURRENT_EMPLOYER)
    assert signal.stance is Stance.CONTRADICTS
    assert signal.reliability is Reliability.MEDIUM
    assert "06/2021" in signal.statement


def test_requested_employer_absent_from_cv_contradicts_softly() -> None:
    claims = CvClaims(employments=[job("Foo AG", "2018", "2021")])
    [signal] = of(run(claims, person(company="Bar GmbH")), Check.CURRENT_EMPLOYER)
    assert signal.stance is Stance.CONTRADICTS
    assert signal.reliability is Reliability.MEDIUM


def test_one_of_two_current_jobs_matching_is_enough() -> None:
    claims = CvClaims(
        employments=[
            job("Foo AG", "2020", current=True),
            job("Acme GmbH", "2021", current=True, part_time=True),
        ]
    )
    [signal] = of(run(claims, person(company="Acme")), Check.CURRENT_EMPLOYER)
    assert signal.stance is Stance.SUPPORTS


def test_without_requested_company_a_matching_role_supports() -> None:
    claims = CvClaims(
        employments=[job("Foo AG", "2020", current=True, title="Senior Data Engineer")]
    )
    [signal] = of(run(claims, person(role="Data Engineer")), Check.CURRENT_EMPLOYER)
    assert signal.stance is Stance.SUPPORTS


def test_without_company_or_cv_jobs_there_is_no_employer_signal() -> None:
    assert of(run(CvClaims(), person(company="Acme")), Check.CURRENT_EMPLOYER) == []
    claims = CvClaims(employments=[job("Foo AG", "2020", current=True)])
    assert of(run(claims, person()), Check.CURRENT_EMPLOYER) == []


# --- gaps -----------------------------------------------------------------------------------


def test_gap_over_six_months_between_jobs_is_flagged() -> None:
    claims = CvClaims(
        employments=[job("B AG", "2020-03", current=True), job("A AG", "2015-08", "2019-06")]
    )
    [signal] = of(run(claims, language=Language.DE), Check.EMPLOYMENT_GAP)
    assert signal.statement == (
        "Zwischen 06/2019 und 03/2020 klafft im Lebenslauf eine Lücke von 8 Monaten."
    )
    assert signal.stance is Stance.CONTRADICTS
    assert signal.claim == "timeline.gaps"


def test_gap_of_six_months_or_less_is_not_flagged() -> None:
    claims = CvClaims(
        employments=[job("B AG", "2019-12", current=True), job("A AG", "2015-08", "2019-06")]
    )
    assert of(run(claims), Check.EMPLOYMENT_GAP) == []


def test_year_only_dates_are_read_kindly_for_gaps() -> None:
    # 2019 → 2020 could be Dec 2019 → Jan 2020: no gap can be proven.
    claims = CvClaims(employments=[job("B", "2020", current=True), job("A", "2015", "2019")])
    assert of(run(claims), Check.EMPLOYMENT_GAP) == []


def test_studies_fill_a_gap_between_jobs() -> None:
    claims = CvClaims(
        employments=[job("B", "2021-01", current=True), job("A", "2016-01", "2018-06")],
        education=[Education(institution="ETH", start=ym("2018-09"), end=ym("2020-12"))],
    )
    assert of(run(claims), Check.EMPLOYMENT_GAP) == []


def test_long_role_covering_a_short_one_leaves_no_gap() -> None:
    claims = CvClaims(
        employments=[
            job("Long", "2010-01", "2020-12"),
            job("Short", "2012-01", "2012-06", part_time=True),
            job("Next", "2021-02", current=True),
        ]
    )
    assert of(run(claims), Check.EMPLOYMENT_GAP) == []


def test_no_position_since_the_last_end_is_a_gap_to_today() -> None:
    claims = CvClaims(employments=[job("A", "2018-09", "2024-05")])
    [signal] = of(run(claims, language=Language.ES), Check.EMPLOYMENT_GAP)
    assert "05/2024" in signal.statement
    assert "2 años y 1 mes" in signal.statement


def test_recent_end_is_not_a_gap_to_today() -> None:
    claims = CvClaims(employments=[job("A", "2018-09", "2026-02")])
    assert of(run(claims), Check.EMPLOYMENT_GAP) == []


# --- overlaps -------------------------------------------------------------------------------


def test_overlapping_full_time_roles_are_flagged() -> None:
    claims = CvClaims(
        employments=[
            job("Gironde Mutuelle", "2019-09", "2022-06"),
            job("Estuaire Conseil", "2021-01", current=True),
        ]
    )
    [signal] = of(run(claims, language=Language.FR), Check.OVERLAPPING_ROLES)
    assert "18 mois" in signal.statement
    assert "aujourd'hui" in signal.statement


def test_overlap_of_two_months_is_tolerated() -> None:
    claims = CvClaims(
        employments=[job("A", "2019-01", "2021-02"), job("B", "2021-01", current=True)]
    )
    assert of(run(claims), Check.OVERLAPPING_ROLES) == []


def test_part_time_role_alongside_a_job_is_not_an_overlap() -> None:
    claims = CvClaims(
        employments=[
            job("A", "2019-01", current=True),
            job("Freelance", "2020-01", "2023-01", part_time=True),
        ]
    )
    assert of(run(claims), Check.OVERLAPPING_ROLES) == []


def test_promotion_inside_one_company_is_not_an_overlap() -> None:
    claims = CvClaims(
        employments=[job("Acme GmbH", "2019-01", current=True), job("ACME", "2016-01", "2020-01")]
    )
    assert of(run(claims), Check.OVERLAPPING_ROLES) == []


def test_year_only_neighbours_do_not_overlap() -> None:
    claims = CvClaims(employments=[job("A", "2015", "2019"), job("B", "2019", current=True)])
    assert of(run(claims), Check.OVERLAPPING_ROLES) == []


# --- claimed experience ----------------------------------------------------------------------


def test_claim_two_years_beyond_the_timeline_is_inflated() -> None:
    claims = CvClaims(employments=[job("A", "2019-06", current=True)], claimed_years_experience=15)
    [signal] = of(run(claims, language=Language.IT), Check.EXPERIENCE_CLAIM)
    assert signal.stance is Stance.CONTRADICTS
    assert "15 anni" in signal.statement
    assert "7 anni" in signal.statement


def test_claim_within_the_timeline_supports() -> None:
    claims = CvClaims(employments=[job("A", "2017-01", current=True)], claimed_years_experience=10)
    [signal] = of(run(claims), Check.EXPERIENCE_CLAIM)
    assert signal.stance is Stance.SUPPORTS


def test_no_claim_or_no_dates_gives_no_experience_signal() -> None:
    assert of(run(CvClaims(employments=[job("A", "2017")])), Check.EXPERIENCE_CLAIM) == []
    no_dates = CvClaims(employments=[job("A", None)], claimed_years_experience=10)
    assert of(run(no_dates), Check.EXPERIENCE_CLAIM) == []


# --- LinkedIn -----------------------------------------------------------------------------


def test_linkedin_slug_matching_the_name_supports() -> None:
    candidate = person(linkedin_url="https://www.linkedin.com/in/anna-mueller-4b2a91")
    [signal] = of(run(None, candidate), Check.LINKEDIN_SLUG)
    assert signal.stance is Stance.SUPPORTS
    assert signal.source_type is SourceType.REQUEST


def test_linkedin_slug_of_another_name_contradicts() -> None:
    candidate = person(linkedin_url="https://www.linkedin.com/in/markus-hellwig-77a1b2")
    [signal] = of(run(None, candidate, Language.DE), Check.LINKEDIN_SLUG)
    assert signal.stance is Stance.CONTRADICTS
    assert "markus-hellwig-77a1b2" in signal.statement


def test_linkedin_slug_from_the_cv_is_checked_too() -> None:
    claims = CvClaims(links=["https://linkedin.com/in/someone-else"])
    [signal] = of(run(claims), Check.LINKEDIN_SLUG)
    assert signal.stance is Stance.CONTRADICTS
    assert signal.source_type is SourceType.CV


def test_request_and_cv_linkedin_differing_contradicts() -> None:
    candidate = person(linkedin_url="https://www.linkedin.com/in/anna-mueller")
    claims = CvClaims(links=["linkedin.com/in/annamueller-zh"])
    signals = of(run(claims, candidate), Check.LINKEDIN_SLUG, Stance.CONTRADICTS)
    assert len(signals) == 1
    assert "anna-mueller" in signals[0].statement


def test_same_linkedin_in_request_and_cv_gives_one_signal() -> None:
    candidate = person(linkedin_url="https://www.linkedin.com/in/anna-mueller/")
    claims = CvClaims(links=["https://linkedin.com/in/anna-mueller"])
    assert len(of(run(claims, candidate), Check.LINKEDIN_SLUG)) == 1


# --- e-mail domain ---------------------------------------------------------------------------


def test_email_on_current_employer_domain_supports() -> None:
    claims = CvClaims(
        employments=[job("Helvion Software GmbH", "2019", current=True)],
        emails=["anna@helvion.de"],
    )
    [signal] = of(run(claims), Check.EMAIL_DOMAIN)
    assert signal.stance is Stance.SUPPORTS


def test_email_on_another_company_domain_contradicts() -> None:
    claims = CvClaims(
        employments=[job("Aérolis SAS", "2019", current=True)], emails=["m@kelvora.fr"]
    )
    [signal] = of(run(claims), Check.EMAIL_DOMAIN)
    assert signal.stance is Stance.CONTRADICTS
    assert "kelvora.fr" in signal.statement


def test_email_at_a_former_employer_is_neutral() -> None:
    claims = CvClaims(
        employments=[job("New AG", "2022", current=True), job("Oldco GmbH", "2015", "2021")],
        emails=["anna@oldco.de"],
    )
    [signal] = of(run(claims), Check.EMAIL_DOMAIN)
    assert signal.stance is Stance.NEUTRAL


@pytest.mark.parametrize(
    "email", ["anna@gmail.com", "anna@web.de", "anna@student.ethz.ch", "hi@annamueller.dev"]
)
def test_webmail_school_and_personal_domains_give_no_signal(email: str) -> None:
    claims = CvClaims(employments=[job("Foo AG", "2019", current=True)], emails=[email])
    assert of(run(claims), Check.EMAIL_DOMAIN) == []


# --- impossible dates ------------------------------------------------------------------------


def test_start_in_the_future_is_implausible() -> None:
    claims = CvClaims(employments=[job("A", "2027-09", current=True)])
    [signal] = of(run(claims), Check.IMPLAUSIBLE_DATES)
    assert signal.reliability is Reliability.HIGH
    assert "09/2027" in signal.statement


def test_end_in_the_future_is_implausible() -> None:
    claims = CvClaims(employments=[job("A", "2023-01", "2027-12")])
    [signal] = of(run(claims), Check.IMPLAUSIBLE_DATES)
    assert "12/2027" in signal.statement


def test_end_before_start_is_implausible_and_makes_no_phantom_gap() -> None:
    claims = CvClaims(
        employments=[
            job("C", "2019", current=True),
            job("B", "2019", "2016"),
            job("A", "2013", "2016"),
        ]
    )
    signals = run(claims)
    [signal] = of(signals, Check.IMPLAUSIBLE_DATES)
    assert "2016" in signal.statement
    assert of(signals, Check.EMPLOYMENT_GAP) == []


def test_education_ending_before_it_starts_is_implausible() -> None:
    claims = CvClaims(education=[Education(institution="Uni", start=ym("2015"), end=ym("2012"))])
    assert len(of(run(claims), Check.IMPLAUSIBLE_DATES)) == 1


def test_this_month_and_past_dates_are_plausible() -> None:
    claims = CvClaims(employments=[job("A", "2020-01", "2026-06")])
    assert of(run(claims), Check.IMPLAUSIBLE_DATES) == []


# --- what every signal carries ---------------------------------------------------------------


def messy_claims() -> CvClaims:
    return CvClaims(
        employments=[
            job("Dataveo SA", "2027-01", current=True),
            job("Foo AG", "2016-01", "2019-12"),
            job("Bar AG", "2019-01", "2020-06"),
        ],
        emails=["x@kelvora.fr"],
        links=["https://linkedin.com/in/someone-else"],
        claimed_years_experience=20,
    )


@pytest.mark.parametrize("language", list(Language))
def test_ids_are_stable_and_independent_of_language(language: Language) -> None:
    english = run(messy_claims(), person(company="Orbital"), Language.EN)
    other = run(messy_claims(), person(company="Orbital"), language)
    assert [s.id for s in english] == [s.id for s in other]
    assert len({s.id for s in english}) == len(english)


def test_every_signal_has_an_id_a_known_claim_and_a_stance() -> None:
    signals = run(messy_claims(), person(company="Orbital"))
    assert {check_of(s) for s in signals} >= {
        Check.CURRENT_EMPLOYER,
        Check.IMPLAUSIBLE_DATES,
        Check.OVERLAPPING_ROLES,
        Check.EXPERIENCE_CLAIM,
        Check.LINKEDIN_SLUG,
        Check.EMAIL_DOMAIN,
    }
    for signal in signals:
        assert signal.id is not None
        assert signal.id.startswith("sig_")
        assert signal.claim in CLAIM_OF_CHECK.values()
        assert signal.stance is not None
        assert signal.source_type in (SourceType.CV, SourceType.REQUEST)


def test_signal_id_depends_on_the_facts() -> None:
    assert signal_id("employment_gap", "06/2019", "03/2020") == signal_id(
        "employment_gap", "06/2019", "03/2020"
    )
    assert signal_id("employment_gap", "06/2019", "03/2020") != signal_id(
        "employment_gap", "06/2019", "04/2020"
    )


def test_without_a_cv_only_the_linkedin_address_is_checked() -> None:
    assert run(None, person(company="Acme")) == []
