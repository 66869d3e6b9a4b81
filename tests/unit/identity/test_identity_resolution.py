"""Identity verdicts for profile hits, and the quick signal."""

import dataclasses
import datetime as dt

import pytest

from dossier.contracts.claims import CvClaims, Employment, YearMonth
from dossier.contracts.enums import Confidence, Language, Level, Reliability, SourceType, Stance
from dossier.contracts.events import CandidateProfile, IdentityResolution
from dossier.identity.domain.identity_resolution import (
    KnownFacts,
    ProfileHit,
    Verdict,
    assess_hit,
    profile_signal_id,
    resolve_identity,
    without_dismissed,
)
from dossier.identity.domain.messages import CATALOGUE, message
from dossier.identity.domain.phrasebook import IdentityPhrasebook

TODAY = dt.date(2026, 6, 29)

CANDIDATE = CandidateProfile(
    id="c1", first_name="Lena", last_name="Brückner", company="Helvion Software",
    location="München", role="Engineer",
)  # fmt: skip
CLAIMS = CvClaims(
    employments=[
        Employment(employer="Helvion Software GmbH", start=YearMonth(year=2019), current=True),
        Employment(employer="Isarbank AG", start=YearMonth(year=2014), end=YearMonth(year=2019)),
    ],
    links=["https://github.com/lbrueckner", "https://lena.dev"],
    emails=["lena@helvion.de"],
    location="München, Deutschland",
)
KNOWN = KnownFacts.gather(CANDIDATE, CLAIMS)


def hit(**fields: object) -> ProfileHit:
    values: dict[str, object] = {
        "source": "github",
        "handle": "someone",
        "display_name": "Lena Brückner",
    }
    values.update(fields)
    return ProfileHit.model_validate(values)


def resolve(
    hits: list[ProfileHit],
    *,
    candidate: CandidateProfile = CANDIDATE,
    claims: CvClaims | None = CLAIMS,
    language: Language = Language.EN,
) -> IdentityResolution:
    return resolve_identity(candidate, claims, hits, language=language, today=TODAY)


# --- verdicts -------------------------------------------------------------------------------


def test_profile_linked_from_the_cv_is_a_match() -> None:
    found = assess_hit(hit(url="https://github.com/LBrueckner/"), KNOWN)
    assert found.verdict is Verdict.MATCH
    assert found.strong


def test_profile_the_source_reached_through_a_link_is_a_match() -> None:
    assert assess_hit(hit(via="link"), KNOWN).verdict is Verdict.MATCH


def test_profile_linking_back_to_the_cv_site_is_a_match() -> None:
    assert assess_hit(hit(links=("https://www.lena.dev/",)), KNOWN).verdict is Verdict.MATCH


def test_same_email_is_a_match() -> None:
    assert assess_hit(hit(emails=("LENA@helvion.de",)), KNOWN).verdict is Verdict.MATCH


def test_same_employer_is_a_match() -> None:
    found = assess_hit(hit(company="@helvion-software"), KNOWN)
    assert found.verdict is Verdict.MATCH
    assert not found.strong


def test_employer_named_in_the_bio_is_a_match() -> None:
    assert assess_hit(hit(bio="Backend @ Helvion Software."), KNOWN).verdict is Verdict.MATCH


def test_former_employer_counts_as_the_same_employer() -> None:
    assert assess_hit(hit(company="Isarbank"), KNOWN).verdict is Verdict.MATCH


def test_same_city_in_another_language_is_a_match() -> None:
    assert assess_hit(hit(location="Munich, Germany"), KNOWN).verdict is Verdict.MATCH


def test_name_alone_is_possible() -> None:
    assert assess_hit(hit(), KNOWN).verdict is Verdict.POSSIBLE


@pytest.mark.parametrize(
    "fields",
    [
        {"location": "Graz, Austria"},
        {"company": "Styria Soft"},
        {"location": "Graz", "company": "Styria Soft"},
    ],
)
def test_same_name_in_another_city_or_company_is_a_homonym(fields: dict[str, str]) -> None:
    assert assess_hit(hit(**fields), KNOWN).verdict is Verdict.HOMONYM


def test_weak_corroboration_mixed_with_a_contradiction_is_only_possible() -> None:
    found = assess_hit(hit(company="Helvion Software", location="Graz"), KNOWN)
    assert found.verdict is Verdict.POSSIBLE


def test_link_outweighs_a_stale_city() -> None:
    found = assess_hit(hit(url="https://github.com/lbrueckner", location="Berlin"), KNOWN)
    assert found.verdict is Verdict.MATCH


def test_another_name_that_nothing_links_to_is_left_out() -> None:
    assert assess_hit(hit(display_name="Paul Schmidt"), KNOWN).verdict is None


def test_handle_spelling_the_name_counts_as_the_name() -> None:
    found = assess_hit(hit(display_name=None, handle="lena-brueckner"), KNOWN)
    assert found.verdict is Verdict.POSSIBLE


# --- resolution and quick signal --------------------------------------------------------------


def test_corroborated_match_on_a_consistent_cv_is_green_with_high_confidence() -> None:
    resolution = resolve([hit(handle="lbrueckner", url="https://github.com/lbrueckner")])
    assert resolution.quick_signal.level is Level.GREEN
    assert resolution.quick_signal.identity_confidence is Confidence.HIGH
    assert [m.verdict for m in resolution.matches] == ["match"]


def test_each_match_adds_one_supporting_signal_with_its_source() -> None:
    resolution = resolve([hit(handle="lbrueckner", url="https://github.com/lbrueckner")])
    [signal] = [s for s in resolution.signals if s.claim == "identity.profile"]
    assert signal.source_type is SourceType.GITHUB
    assert signal.source_url == "https://github.com/lbrueckner"
    assert signal.stance is Stance.SUPPORTS
    assert signal.reliability is Reliability.HIGH
    assert "lbrueckner" in signal.statement


def test_weak_match_gives_medium_reliability_and_medium_confidence() -> None:
    resolution = resolve([hit(company="Helvion Software")], claims=None)
    [signal] = [s for s in resolution.signals if s.claim == "identity.profile"]
    assert signal.reliability is Reliability.MEDIUM
    assert resolution.quick_signal.identity_confidence is Confidence.MEDIUM


def test_homonyms_never_add_evidence_and_lower_confidence() -> None:
    linked = hit(handle="lbrueckner", url="https://github.com/lbrueckner")
    namesake = hit(source="web", handle="lena-b-graz", location="Graz", company="Styria Soft")
    alone = resolve([linked])
    with_namesake = resolve([linked, namesake])
    assert [s.id for s in with_namesake.signals] == [s.id for s in alone.signals]
    assert with_namesake.quick_signal.level is Level.ORANGE
    assert alone.quick_signal.identity_confidence is Confidence.HIGH
    assert with_namesake.quick_signal.identity_confidence is Confidence.MEDIUM


def test_only_homonyms_is_orange_with_low_confidence() -> None:
    resolution = resolve([hit(location="Graz, Austria"), hit(handle="x", company="Styria")])
    assert resolution.quick_signal.level is Level.ORANGE
    assert resolution.quick_signal.identity_confidence is Confidence.LOW
    assert resolution.quick_signal.reason == message("qs.orange.homonyms", Language.EN)
    assert all(m.verdict == "homonym" for m in resolution.matches)
    assert not [s for s in resolution.signals if s.claim == "identity.profile"]


def test_no_hits_is_orange_for_thin_evidence() -> None:
    resolution = resolve([])
    assert resolution.quick_signal.level is Level.ORANGE
    assert resolution.quick_signal.reason == message("qs.orange.thin", Language.EN)
    assert resolution.quick_signal.identity_confidence is Confidence.LOW


def test_contradicted_current_employer_is_red() -> None:
    other = CANDIDATE.model_copy(update={"company": "Orbital Conseil"})
    resolution = resolve([hit(url="https://github.com/lbrueckner")], candidate=other)
    assert resolution.quick_signal.level is Level.RED
    assert resolution.quick_signal.identity_confidence is Confidence.LOW
    assert resolution.quick_signal.reason == message("qs.red.employer", Language.EN)


def test_impossible_dates_are_red() -> None:
    future = CLAIMS.model_copy(
        update={
            "employments": [
                *CLAIMS.employments,
                Employment(employer="X", start=YearMonth(year=2030)),
            ]
        }
    )
    resolution = resolve([], claims=future)
    assert resolution.quick_signal.level is Level.RED
    assert resolution.quick_signal.reason == message("qs.red.dates", Language.EN)


def test_minor_identity_contradiction_is_orange_even_with_a_match() -> None:
    wrong = CANDIDATE.model_copy(update={"linkedin_url": "https://linkedin.com/in/paul-schmidt"})
    resolution = resolve([hit(url="https://github.com/lbrueckner")], candidate=wrong)
    assert resolution.quick_signal.level is Level.ORANGE
    assert resolution.quick_signal.reason == message("qs.orange.identity", Language.EN)


def test_timeline_issue_with_a_match_is_orange_and_says_so() -> None:
    gappy = CLAIMS.model_copy(
        update={
            "employments": [
                Employment(employer="Helvion Software GmbH", start=YearMonth(year=2021, month=6), current=True),
                Employment(employer="Isarbank AG", start=YearMonth(year=2014), end=YearMonth(year=2019, month=1)),
            ]
        }
    )  # fmt: skip
    resolution = resolve([hit(url="https://github.com/lbrueckner")], claims=gappy)
    assert resolution.quick_signal.level is Level.ORANGE
    assert resolution.quick_signal.reason == message("qs.orange.timeline_matched", Language.EN)


def test_resolution_signals_hold_identity_checks_but_not_timeline_ones() -> None:
    resolution = resolve([])
    claims = {s.claim for s in resolution.signals}
    assert "employment.current" in claims
    assert "contact.email_domain" in claims
    assert not any(c and c.startswith("timeline.gaps") for c in claims)


def test_same_hit_twice_gives_one_signal() -> None:
    linked = hit(handle="lbrueckner", url="https://github.com/lbrueckner")
    resolution = resolve([linked, linked])
    assert len([s for s in resolution.signals if s.claim == "identity.profile"]) == 1


@pytest.mark.parametrize("language", list(Language))
def test_reason_and_statements_are_in_the_requested_language(language: Language) -> None:
    resolution = resolve([hit(url="https://github.com/lbrueckner")], language=language)
    assert resolution.quick_signal.reason in {
        getattr(CATALOGUE[language], f.name)
        for f in dataclasses.fields(IdentityPhrasebook)
        if f.name.startswith("qs_")
    }
    match_signal = next(s for s in resolution.signals if s.claim == "identity.profile")
    assert message("fact.link", language) in match_signal.statement


def test_without_cv_or_hits_the_request_alone_is_thin() -> None:
    resolution = resolve([], claims=None)
    assert resolution.quick_signal.level is Level.ORANGE
    assert resolution.matches == []


# --- profiles a reviewer dismissed ----------------------------------------------------------


def test_a_profile_signal_id_is_the_id_its_match_signal_gets() -> None:
    linked = hit(handle="lbrueckner", url="https://github.com/lbrueckner", via="link")
    resolution = resolve([linked])
    profile = next(s for s in resolution.signals if s.claim == "identity.profile")

    assert profile.id == profile_signal_id(linked)


def test_a_dismissed_profile_is_not_attached_again() -> None:
    linked = hit(handle="lbrueckner", url="https://github.com/lbrueckner", via="link")
    other = hit(source="orcid", handle="0000-0001", display_name="Lena Brückner")

    kept = without_dismissed([linked, other], {profile_signal_id(linked)})
    resolution = resolve(kept)

    assert kept == [other]
    assert profile_signal_id(linked) not in {s.id for s in resolution.signals}
    assert "lbrueckner" not in {m.handle for m in resolution.matches}


def test_nothing_dismissed_keeps_every_hit() -> None:
    hits = [hit(handle="a"), hit(handle="b")]

    assert without_dismissed(hits, frozenset()) == hits
