"""Source statements in the report's language: the catalogue, and each connector's
recorded responses rendered in French and German with the same ids as in English."""

import dataclasses
from collections.abc import Awaitable, Callable
from datetime import date

import httpx
import pytest

from dossier.contracts.api import Signal
from dossier.contracts.enums import Language
from dossier.language.catalogue import catalogue_problems
from dossier.sources.base import SourceQuery, SourceResult
from dossier.sources.companies_house import CompaniesHouseSource
from dossier.sources.github import GitHubSource
from dossier.sources.orcid import OrcidSource
from dossier.sources.phrasebook import SourcePhrasebook
from dossier.sources.sanctions import OpenSanctionsSource
from dossier.sources.web_search import BraveSearch, WebSearchSource
from dossier.sources.wording import CATALOGUE, counted, phrase, statement

GITHUB = "https://api.github.com"
ORCID = "https://pub.orcid.org/v3.0/expanded-search/"
YENTE = "http://yente.example.test:8000"
REGISTRY = "https://api.company-information.service.gov.uk"
BRAVE = "https://api.search.brave.com/res/v1/web/search"
LINKED_ORCID = "0000-0002-9079-593X"
OTHER_LANGUAGES = [Language.FR, Language.DE, Language.IT, Language.ES]

Lookup = Callable[[SourceQuery], Awaitable[SourceResult]]


async def _in(language: Language, lookup: Lookup, query: SourceQuery) -> list[Signal]:
    result = await lookup(query.model_copy(update={"language": language}))
    assert result.signals
    return result.signals


async def _same_ids_as_english(language: Language, lookup: Lookup, query: SourceQuery) -> None:
    english = await _in(Language.EN, lookup, query)
    other = await _in(language, lookup, query)
    assert [s.id for s in other] == [s.id for s in english]
    assert [s.statement for s in other] != [s.statement for s in english]


# ---- the catalogue ----------------------------------------------------------------------


def test_the_catalogue_is_complete_with_the_same_placeholders_in_every_language() -> None:
    assert catalogue_problems(CATALOGUE) == []


KINDS = [f.name for f in dataclasses.fields(SourcePhrasebook)]


@pytest.mark.parametrize(
    "kind", [k for k in KINDS if getattr(CATALOGUE[Language.EN], k).endswith(".")]
)
def test_every_sentence_is_translated_not_copied(kind: str) -> None:
    english = getattr(CATALOGUE[Language.EN], kind)
    assert all(getattr(CATALOGUE[lang], kind) != english for lang in OTHER_LANGUAGES)


def test_fragments_are_rendered_in_the_sentences_language() -> None:
    period = phrase("companies_house.period.ended", start=date(2016, 3, 1), end=date(2019, 6, 30))
    assert statement("cv.not_mentioned", "de") == "im Lebenslauf nicht erwähnt"
    assert period.render(Language.FR) == "en fonction du 1 mars 2016 au 30 juin 2019"
    assert period.render(Language.ES) == "en el cargo del 1 de marzo de 2016 al 30 de junio de 2019"
    assert period.render(Language.EN) == "appointed 1 March 2016, resigned 30 June 2019"


def test_an_id_hashes_the_english_text_with_iso_dates_as_before() -> None:
    period = phrase("companies_house.period.current", start=date(2021, 4, 1))
    assert period.id_text() == "appointed 2021-04-01, still in office"


@pytest.mark.parametrize(
    ("count", "language", "text"),
    [
        (1, Language.FR, "1 dépôt public"),
        (2, Language.FR, "2 dépôts publics"),
        (1, Language.EN, "1 public repository"),
        (21, Language.EN, "21 public repositories"),
        (1, Language.DE, "1 öffentliches Repository"),
    ],
)
def test_counted_phrases_follow_the_languages_plural_rule(
    count: int, language: Language, text: str
) -> None:
    assert counted("github.repositories", count, count=count).render(language) == text


def test_scores_take_the_decimal_comma_outside_english() -> None:
    values = {"full_name": "A", "caption": "A", "labels": ("x",), "datasets": "d", "namesake": ""}
    english = statement("sanctions.possible_match", Language.EN, score=0.931, **values)
    german = statement("sanctions.possible_match", Language.DE, score=0.931, **values)
    assert english.endswith("match score 0.93).")
    assert german.endswith("Trefferwert 0,93).")


def test_an_unknown_kind_is_refused_when_the_phrase_is_made() -> None:
    with pytest.raises(KeyError):
        phrase("github.no_such_statement")


# ---- GitHub -----------------------------------------------------------------------------


def _github(provider_api, recorded, make_http) -> Lookup:
    for name in ("octo-jane", "jdoe-berlin"):
        provider_api.get(f"{GITHUB}/users/{name}").mock(
            return_value=httpx.Response(200, json=recorded("github", f"user_{name}"))
        )
    provider_api.get(f"{GITHUB}/search/users").mock(
        return_value=httpx.Response(200, json=recorded("github", "search_users_jane_doe"))
    )
    provider_api.get(f"{GITHUB}/users/octo-jane/repos").mock(
        return_value=httpx.Response(200, json=recorded("github", "repos_octo-jane"))
    )
    provider_api.get(f"{GITHUB}/users/jdoe-berlin/repos").mock(
        return_value=httpx.Response(200, json=[])
    )
    return GitHubSource(make_http("github")).lookup


async def test_github_profile_in_french(provider_api, recorded, make_http, jane) -> None:
    signals = await _in(Language.FR, _github(provider_api, recorded, make_http), jane)
    statements = {s.claim: s.statement for s in signals}
    assert statements["identity.github"] == (
        "Le profil GitHub octo-jane (trouvé par recherche sur le nom, créé en 2014) "
        "compte 42 dépôts publics ; dernière activité : mai 2024."
    )
    assert statements["employment.current"] == (
        "Le profil GitHub octo-jane indique l'employeur acme, conforme au CV (Acme)."
    )


async def test_github_profile_in_german(provider_api, recorded, make_http, jane) -> None:
    signals = await _in(Language.DE, _github(provider_api, recorded, make_http), jane)
    statements = {s.claim: s.statement for s in signals}
    assert statements["location"] == (
        "Das GitHub-Profil octo-jane gibt als Standort London, UK an, passend zu London, UK."
    )
    assert statements["skills"] == (
        "Meistgenutzte Programmiersprachen in den öffentlichen GitHub-Repositories von "
        "octo-jane: Python, Go, Shell."
    )


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
async def test_github_ids_do_not_depend_on_the_language(
    provider_api, recorded, make_http, jane, language
) -> None:
    await _same_ids_as_english(language, _github(provider_api, recorded, make_http), jane)


async def test_a_missing_linked_github_profile_in_german(
    provider_api, recorded, make_http, jane
) -> None:
    provider_api.get(f"{GITHUB}/users/ghost-jane").mock(
        return_value=httpx.Response(404, json=recorded("github", "not_found"))
    )
    query = jane.model_copy(update={"links": ("github.com/ghost-jane",)})
    lookup = GitHubSource(make_http("github")).lookup
    [english] = await _in(Language.EN, lookup, query)
    [german] = await _in(Language.DE, lookup, query)
    assert (
        german.statement == "Das im Lebenslauf verlinkte GitHub-Profil ghost-jane existiert nicht."
    )
    assert german.id == english.id


# ---- ORCID ------------------------------------------------------------------------------


def _orcid(provider_api, recorded, make_http) -> Lookup:
    provider_api.get(ORCID).mock(
        return_value=httpx.Response(200, json=recorded("orcid", "expanded_search_jane_doe"))
    )
    return OrcidSource(make_http("orcid")).lookup


async def test_orcid_affiliation_in_french_and_german(
    provider_api, recorded, make_http, jane
) -> None:
    lookup = _orcid(provider_api, recorded, make_http)
    french = {s.claim: s.statement for s in await _in(Language.FR, lookup, jane)}
    german = {s.claim: s.statement for s in await _in(Language.DE, lookup, jane)}
    assert french["education"] == (
        f"Le profil ORCID {LINKED_ORCID} (Jane Doe) mentionne une affiliation à "
        "University of Bristol, que le CV cite également."
    )
    assert german["education"] == (
        f"Der ORCID-Eintrag {LINKED_ORCID} (Jane Doe) nennt eine Affiliation mit "
        "University of Bristol, die auch im Lebenslauf genannt wird."
    )


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
async def test_orcid_ids_do_not_depend_on_the_language(
    provider_api, recorded, make_http, jane, language
) -> None:
    await _same_ids_as_english(language, _orcid(provider_api, recorded, make_http), jane)


# ---- OpenSanctions ----------------------------------------------------------------------


def _sanctions(provider_api, recorded, make_http, response: str) -> Lookup:
    provider_api.post(f"{YENTE}/match/default").mock(
        return_value=httpx.Response(200, json=recorded("opensanctions", response))
    )
    return OpenSanctionsSource(make_http("sanctions"), base_url=YENTE).lookup


async def test_a_sanctions_match_in_french(provider_api, recorded, make_http, jane) -> None:
    lookup = _sanctions(provider_api, recorded, make_http, "match_sanctioned")
    [signal] = await _in(Language.FR, lookup, jane)
    assert signal.statement == (
        "OpenSanctions signale une correspondance possible pour Jane Doe : Jane Doe "
        "(liste de sanctions ; jeux de données : gb_hmt_sanctions, eu_fsf, us_ofac_sdn et 1 autre"
        " ; score de correspondance 0,93)."
    )


async def test_a_pep_namesake_in_german(provider_api, recorded, make_http, jane) -> None:
    lookup = _sanctions(provider_api, recorded, make_http, "match_pep_other_country")
    [signal] = await _in(Language.DE, lookup, jane)
    assert signal.statement == (
        "OpenSanctions meldet einen möglichen Treffer für Jane Doe: Jane Doe (politisch "
        "exponierte Person; Datensätze: wd_peps, ca_ontario_mpps; Trefferwert 0,82), "
        "Land des Eintrags: CA, Land des Kandidaten: GB."
    )


async def test_a_clear_screening_in_german(provider_api, recorded, make_http, jane) -> None:
    lookup = _sanctions(provider_api, recorded, make_http, "match_no_hit")
    [signal] = await _in(Language.DE, lookup, jane)
    assert signal.statement == (
        "Kein Treffer für Jane Doe auf den über OpenSanctions geprüften Sanktions- und PEP-Listen."
    )


@pytest.mark.parametrize(
    "response", ["match_sanctioned", "match_pep_other_country", "match_no_hit"]
)
@pytest.mark.parametrize("language", OTHER_LANGUAGES)
async def test_sanctions_ids_do_not_depend_on_the_language(
    provider_api, recorded, make_http, jane, language, response
) -> None:
    lookup = _sanctions(provider_api, recorded, make_http, response)
    await _same_ids_as_english(language, lookup, jane)


# ---- Companies House --------------------------------------------------------------------


def _registry(provider_api, recorded, make_http) -> Lookup:
    provider_api.get(f"{REGISTRY}/search/officers").mock(
        return_value=httpx.Response(
            200, json=recorded("companies_house", "search_officers_jane_doe")
        )
    )
    for officer in ("SynthJaneDoe01", "SynthJaneDoe02"):
        provider_api.get(f"{REGISTRY}/officers/{officer}/appointments").mock(
            return_value=httpx.Response(
                200, json=recorded("companies_house", f"appointments_{officer}")
            )
        )
    return CompaniesHouseSource(make_http("companies_house"), api_key="ch-synthetic").lookup


async def test_a_directorship_in_french(provider_api, recorded, make_http, jane) -> None:
    query = jane.model_copy(update={"employers": ("Acme",)})
    signals = await _in(Language.FR, _registry(provider_api, recorded, make_http), query)
    statements = [s.statement for s in signals]
    assert statements[0] == (
        "Au registre de Companies House, Jane DOE figure comme administrateur de la société "
        "ACME LTD (n° 09999901), en fonction depuis le 1 avril 2021."
    )
    assert (
        "Au registre de Companies House, Jane DOE figure aussi comme administrateur de la "
        "société DOE CONSULTING LIMITED (n° 09999902), en fonction du 12 septembre 2017 au "
        "31 décembre 2020 ; le CV n'en fait pas mention."
    ) in statements


async def test_a_directorship_in_german(provider_api, recorded, make_http, jane) -> None:
    query = jane.model_copy(update={"employers": ("Acme",)})
    signals = await _in(Language.DE, _registry(provider_api, recorded, make_http), query)
    assert signals[0].statement == (
        "Companies House führt Jane DOE als Geschäftsführer der ACME LTD "
        "(Firmennummer 09999901), seit 1. April 2021 im Amt."
    )


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
async def test_registry_ids_do_not_depend_on_the_language(
    provider_api, recorded, make_http, jane, language
) -> None:
    query = jane.model_copy(update={"employers": ("Acme",)})
    await _same_ids_as_english(language, _registry(provider_api, recorded, make_http), query)


# ---- web search -------------------------------------------------------------------------


def _web(provider_api, recorded, make_http) -> Lookup:
    provider_api.get(BRAVE).mock(
        return_value=httpx.Response(200, json=recorded("brave", "web_search_jane_doe"))
    )
    return WebSearchSource(BraveSearch(make_http("web"), api_key="brv-synthetic")).lookup


async def test_a_team_page_in_french_and_german(provider_api, recorded, make_http, jane) -> None:
    lookup = _web(provider_api, recorded, make_http)
    team = "https://www.acme.com/about/team"
    french = {s.source_url: s.statement for s in await _in(Language.FR, lookup, jane)}
    german = {s.source_url: s.statement for s in await _in(Language.DE, lookup, jane)}
    assert french[team] == (
        "Une page du site acme.com cite Jane Doe en lien avec Acme (“Our team – Acme”)."
    )
    assert german[team] == (
        "Eine Seite auf acme.com nennt Jane Doe zusammen mit Acme (‚Our team – Acme‘)."
    )


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
async def test_web_ids_do_not_depend_on_the_language(
    provider_api, recorded, make_http, jane, language
) -> None:
    await _same_ids_as_english(language, _web(provider_api, recorded, make_http), jane)


# ---- check details ----------------------------------------------------------------------


async def test_a_lookups_detail_is_in_the_querys_language(
    provider_api, recorded, make_http, jane
) -> None:
    lookup = _registry(provider_api, recorded, make_http)
    french = await lookup(jane.model_copy(update={"language": Language.FR}))
    german = await lookup(jane.model_copy(update={"language": Language.DE}))
    assert french.check.detail == (
        "mandataires nommés Jane Doe : 2, dont 1 avec un mandat dans une organisation du CV"
    )
    assert german.check.detail is not None
    assert german.check.detail.startswith("Organmitglieder namens Jane Doe: 2")
