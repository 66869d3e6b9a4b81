"""Comparing names, employers, e-mail domains and places the way people write them."""

import pytest

from dossier.identity.domain.names import (
    linkedin_slug,
    person_names_match,
    slug_name_agreement,
)
from dossier.identity.domain.organisations import (
    companies_match,
    company_key,
    domain_matches_company,
    is_academic_domain,
    is_webmail,
    organisation_label,
)
from dossier.identity.domain.places import city_key, looks_like_location, same_city
from dossier.sources.names import fold


def test_fold_removes_accents_and_case() -> None:
    assert fold("Zürich Straße Élodie Ñandú") == "zurich strasse elodie nandu"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Acme GmbH", "ACME"),
        ("Acme AG", "acme s.a."),
        ("Lumenta S.p.A.", "Lumenta"),
        ("Nubiral Datos S.L.", "Nubiral Datos"),
        ("Vialis SAS", "vialis"),
        ("Northwind Analytics Ltd", "Northwind Analytics"),
        ("Brisa Logística S.A.", "Brisa Logistica"),
        ("Helvion Software GmbH", "Helvion Software"),
        ("Acme Inc.", "Acme, Inc"),
        ("Neckarbau GmbH & Co. KG", "Neckarbau"),
        ("Acme Labs", "Acme"),
        ("Northwind Analytcs", "Northwind Analytics"),
    ],
)
def test_companies_match_despite_suffixes_case_accents_and_typos(a: str, b: str) -> None:
    assert companies_match(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Orbital Conseil", "Dataveo SA"),
        ("Acme GmbH", "Apex GmbH"),
        ("AB", "ABC Corp"),
        (None, "X"),
    ],
)
def test_different_companies_do_not_match(a: str | None, b: str) -> None:
    assert not companies_match(a, b)


def test_company_key_drops_legal_suffixes() -> None:
    assert company_key("Société Générale S.A.") == "societe generale"
    assert company_key("Levante Cerámica S.L.U.") == "levante ceramica"


@pytest.mark.parametrize(
    ("domain", "company"),
    [
        ("acme.com", "Acme GmbH"),
        ("acme-software.ch", "Acme Software AG"),
        ("mail.vialis.fr", "Vialis SAS"),
        ("northwind.co.uk", "Northwind Analytics Ltd"),
        ("nwa.com", "Northwind Web Agency"),
    ],
)
def test_email_domain_matches_its_company(domain: str, company: str) -> None:
    assert domain_matches_company(domain, company)


def test_email_domain_of_another_company_does_not_match() -> None:
    assert not domain_matches_company("kelvora.fr", "Aérolis SAS")


def test_webmail_and_academic_domains_are_recognised() -> None:
    assert is_webmail("gmail.com")
    assert is_webmail("web.de")
    assert not is_webmail("acme.com")
    assert is_academic_domain("student.ethz.ch")
    assert is_academic_domain("ox.ac.uk")
    assert is_academic_domain("uni-hamburg.de")
    assert not is_academic_domain("acme.de")


def test_organisation_label_skips_country_second_levels() -> None:
    assert organisation_label("mail.acme-software.co.uk") == "acme-software"
    assert organisation_label("acme.de") == "acme"


@pytest.mark.parametrize(
    ("display", "expected"),
    [
        ("Anna Müller", True),
        ("Anna Mueller", True),
        ("ANNA MULLER", True),
        ("A. Müller", True),
        ("Müller, Anna", True),
        ("Anna Maria Müller", True),
        ("Anna Schmidt", False),
        ("Paul Müller", False),
    ],
)
def test_person_names_match_with_umlauts_initials_and_order(display: str, expected: bool) -> None:
    assert person_names_match("Anna", "Müller", display) is expected


def test_compound_surname_matches_on_one_part() -> None:
    assert person_names_match("Lucía", "Ortega Salvat", "Lucia Ortega")


def test_linkedin_slug_is_read_from_any_linkedin_url() -> None:
    assert (
        linkedin_slug("https://www.linkedin.com/in/anna-mueller-4b2a91/") == "anna-mueller-4b2a91"
    )
    assert linkedin_slug("de.linkedin.com/in/lena-brueckner") == "lena-brueckner"
    assert linkedin_slug("https://github.com/anna") is None


@pytest.mark.parametrize(
    ("slug", "agreement"),
    [
        ("anna-mueller-4b2a91", "both"),
        ("annamuller", "both"),
        ("mueller-anna", "both"),
        ("amueller", "both"),
        ("anna-schmidt", "first"),
        ("a-b-mueller-x", "last"),
        ("markus-hellwig-77a1b2", "none"),
    ],
)
def test_slug_agreement_with_the_name(slug: str, agreement: str) -> None:
    assert slug_name_agreement(slug, "Anna", "Müller") == agreement


def test_slug_with_accents_encoded_matches() -> None:
    assert slug_name_agreement("luc%C3%ADa-ortega-salvat", "Lucía", "Ortega Salvat") == "both"


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Zürich", "Zurich, Switzerland", True),
        ("8005 Zürich", "Zurigo", True),
        ("Genève", "Geneva, CH", True),
        ("München, Deutschland", "Munich, Germany", True),
        ("Milano", "Milan, Italy", True),
        ("Sevilla, España", "Seville", True),
        ("Bristol, UK", "Sydney, Australia", False),
        ("Hamburg", "Graz, Austria", False),
    ],
)
def test_same_city_across_languages(a: str, b: str, same: bool) -> None:
    assert same_city(a, b) is same


def test_unknown_or_remote_location_says_nothing() -> None:
    assert same_city("Zürich", None) is None
    assert same_city("Remote", "Berlin") is None
    assert city_key("Switzerland") is None


def test_header_fragments_that_look_like_locations() -> None:
    assert looks_like_location("Zürich, Switzerland")
    assert looks_like_location("Lyon")
    assert not looks_like_location("IT")
    assert not looks_like_location("Senior Backend Engineer")
