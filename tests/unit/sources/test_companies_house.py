"""Companies House officers and appointments, replayed from recorded responses."""

import base64

import httpx

from dossier.contracts.enums import Reliability, SourceState, SourceType, Stance
from dossier.sources.base import signal_id
from dossier.sources.companies_house import CompaniesHouseSource, officer_id_of

API = "https://api.company-information.service.gov.uk"


def _mock_registry(provider_api, recorded) -> dict[str, object]:
    return {
        "search": provider_api.get(f"{API}/search/officers").mock(
            return_value=httpx.Response(
                200, json=recorded("companies_house", "search_officers_jane_doe")
            )
        ),
        "first": provider_api.get(f"{API}/officers/SynthJaneDoe01/appointments").mock(
            return_value=httpx.Response(
                200, json=recorded("companies_house", "appointments_SynthJaneDoe01")
            )
        ),
        "second": provider_api.get(f"{API}/officers/SynthJaneDoe02/appointments").mock(
            return_value=httpx.Response(
                200, json=recorded("companies_house", "appointments_SynthJaneDoe02")
            )
        ),
    }


def _source(make_http, **kwargs) -> CompaniesHouseSource:
    return CompaniesHouseSource(make_http("companies_house"), api_key="ch-synthetic", **kwargs)


async def test_without_a_key_the_registry_is_unavailable(make_http, jane) -> None:
    source = CompaniesHouseSource(make_http("companies_house"), api_key=None)
    result = await source.lookup(jane)
    assert result.check.state is SourceState.UNAVAILABLE
    assert result.check.detail == "no API key configured"


async def test_the_key_is_sent_as_basic_auth_username(
    provider_api, recorded, make_http, jane
) -> None:
    routes = _mock_registry(provider_api, recorded)
    await _source(make_http).lookup(jane)
    expected = "Basic " + base64.b64encode(b"ch-synthetic:").decode()
    assert routes["search"].calls.last.request.headers["Authorization"] == expected
    assert routes["search"].calls.last.request.url.params["q"] == "Jane Doe"


async def test_officers_with_the_name_are_hits_with_their_address(
    provider_api, recorded, make_http, jane
) -> None:
    _mock_registry(provider_api, recorded)
    result = await _source(make_http).lookup(jane)
    assert [(h.display_name, h.location) for h in result.hits] == [
        ("Jane DOE", "1 Example Street, London, EC1A 1AA"),
        ("Jane Elizabeth DOE", "22 Sample Road, Manchester, M1 2AB"),
    ]
    assert result.hits[1].company == "GLOBEX TRADING LIMITED"


async def test_a_directorship_at_a_cv_employer_is_high_reliability_evidence(
    provider_api, recorded, make_http, jane
) -> None:
    _mock_registry(provider_api, recorded)
    query = jane.model_copy(update={"employers": ("Acme",)})
    result = await _source(make_http).lookup(query)
    acme = next(s for s in result.signals if "ACME LTD" in s.statement)
    assert acme.source_type is SourceType.COMPANY_REGISTRY
    assert acme.reliability is Reliability.HIGH
    assert acme.stance is Stance.SUPPORTS
    assert acme.statement == (
        "Companies House lists Jane DOE as director of ACME LTD (company 09999901), "
        "appointed 1 April 2021, still in office."
    )
    # The id hashes the English text as it was with ISO dates: ids (and feedback on them)
    # survive the localised dates.
    assert acme.id == signal_id(
        "companies_house",
        acme.source_url,
        "Companies House lists Jane DOE as director of ACME LTD (company 09999901), "
        "appointed 2021-04-01, still in office.",
    )
    assert acme.source_url == (
        "https://find-and-update.company-information.service.gov.uk/company/09999901/officers"
    )


async def test_other_appointments_of_a_tied_officer_are_mentioned_neutrally(
    provider_api, recorded, make_http, jane
) -> None:
    _mock_registry(provider_api, recorded)
    query = jane.model_copy(update={"employers": ("Acme",)})
    result = await _source(make_http).lookup(query)
    other = next(s for s in result.signals if "DOE CONSULTING" in s.statement)
    assert other.stance is Stance.NEUTRAL
    assert other.claim == "employment.directorships"
    assert other.statement.endswith("resigned 31 December 2020; the CV does not mention it.")


async def test_a_namesake_without_a_cv_employer_states_nothing(
    provider_api, recorded, make_http, jane
) -> None:
    _mock_registry(provider_api, recorded)
    result = await _source(make_http).lookup(jane)
    assert not any("GLOBEX" in s.statement for s in result.signals)
    assert result.check.detail == (
        "2 officer(s) named Jane Doe, 1 with an appointment at an organisation from the CV"
    )


async def test_appointments_are_read_for_at_most_max_officers(
    provider_api, recorded, make_http, jane
) -> None:
    routes = _mock_registry(provider_api, recorded)
    result = await _source(make_http, max_officers=1).lookup(jane)
    assert routes["first"].called
    assert not routes["second"].called
    assert len(result.hits) == 2


async def test_a_refused_key_is_unavailable(provider_api, make_http, jane) -> None:
    provider_api.get(f"{API}/search/officers").mock(
        return_value=httpx.Response(401, json={"error": "Invalid Authorization"})
    )
    result = await _source(make_http).lookup(jane)
    assert result.check.state is SourceState.UNAVAILABLE
    assert result.check.detail == "companies_house: credentials refused (HTTP 401)"


def test_officer_id_is_taken_from_the_appointments_link() -> None:
    assert officer_id_of({"links": {"self": "/officers/AbC123/appointments"}}) == "AbC123"
    assert officer_id_of({"links": {"self": "/company/123"}}) is None
    assert officer_id_of({}) is None
