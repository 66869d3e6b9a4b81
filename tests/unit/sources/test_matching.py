"""The text comparisons every connector relies on."""

import pytest

from dossier.sources.matching import (
    github_login_from,
    host_of,
    location_matches,
    name_matches,
    orcid_id_from,
    org_key,
    org_matches,
    same_link,
    text_mentions_name,
    text_mentions_org,
)
from dossier.sources.names import fold_words


def test_fold_removes_case_accents_and_punctuation() -> None:
    assert fold_words("  Zoë  O'Brien-Müller ") == "zoe o brien muller"


def test_registry_style_names_match_in_any_order() -> None:
    assert name_matches("Jane Doe", "DOE, Jane")
    assert name_matches("Jane Doe", "Jane Elizabeth DOE")
    assert not name_matches("Jane Doe", "John DOE")
    assert not name_matches("Jane Doe", None)


def test_a_snippet_names_the_person_only_with_both_names() -> None:
    assert text_mentions_name("Talk by Jane Doe on Python", "Jane", "Doe")
    assert not text_mentions_name("Talk by Jane Smith and John Doe", "Jane", "Dow")
    assert not text_mentions_name("Janet Doerr", "Jane", "Doe")


def test_legal_forms_do_not_count_in_organisation_names() -> None:
    assert org_key("ACME Ltd.") == "acme"
    assert org_key("Globex GmbH & Co") == "globex"


@pytest.mark.parametrize(
    ("stated", "expected"),
    [("@acme", "Acme"), ("ACME LTD", "Acme"), ("Acme Robotics", "Acme"), ("Initech", None)],
)
def test_stated_organisations_match_known_ones(stated: str, expected: str | None) -> None:
    assert org_matches(stated, ["Acme"]) == expected


def test_an_organisation_is_found_in_running_text() -> None:
    assert text_mentions_org("She joined ACME in 2021", ["Globex", "Acme Ltd"]) == "Acme Ltd"
    assert text_mentions_org("She joined Acmeco in 2021", ["Acme"]) is None


def test_locations_agree_on_the_city_and_unknown_is_none() -> None:
    assert location_matches("Greater London", "London, UK") is True
    assert location_matches("Berlin, Germany", "London, UK") is False
    assert location_matches(None, "London") is None


def test_links_compare_without_scheme_www_or_trailing_slash() -> None:
    assert same_link("https://www.JaneDoe.dev/", "janedoe.dev")
    assert not same_link("https://janedoe.dev/blog", "janedoe.dev")
    assert host_of("https://www.acme.com/team") == "acme.com"


def test_github_logins_are_read_only_from_profile_links() -> None:
    assert github_login_from("https://github.com/octo-jane") == "octo-jane"
    assert github_login_from("github.com/octo-jane/raft-lab") == "octo-jane"
    assert github_login_from("https://github.com/orgs/acme") is None
    assert github_login_from("https://gitlab.com/octo-jane") is None


def test_orcid_ids_are_read_from_orcid_links() -> None:
    assert orcid_id_from("https://orcid.org/0000-0002-9079-593X") == "0000-0002-9079-593X"
    assert orcid_id_from("https://example.org/0000-0002-9079-593X") is None
