"""OpenSanctions (yente) screening, replayed from recorded match responses."""

import json

import httpx

from dossier.contracts.enums import Reliability, SourceState, SourceType, Stance
from dossier.sources.sanctions import OpenSanctionsSource, country_code

HOSTED = "https://api.opensanctions.org"
YENTE = "http://yente.example.test:8000"


def _source(make_http, base_url: str | None = YENTE, **kwargs) -> OpenSanctionsSource:
    return OpenSanctionsSource(make_http("sanctions"), base_url=base_url, **kwargs)


async def test_without_a_url_the_source_is_unavailable(make_http, jane) -> None:
    result = await _source(make_http, base_url=None).lookup(jane)
    assert result.check.state is SourceState.UNAVAILABLE
    assert result.check.detail == "no OpenSanctions (yente) URL configured"


async def test_the_hosted_api_without_a_key_is_unavailable(make_http, jane) -> None:
    result = await _source(make_http, base_url=HOSTED).lookup(jane)
    assert result.check.state is SourceState.UNAVAILABLE
    assert result.check.detail == "no API key configured"


async def test_the_query_names_a_person_with_the_country_of_the_location(
    provider_api, recorded, make_http, jane
) -> None:
    route = provider_api.post(f"{HOSTED}/match/default").mock(
        return_value=httpx.Response(200, json=recorded("opensanctions", "match_no_hit"))
    )
    await _source(make_http, base_url=HOSTED, api_key="os-synthetic").lookup(jane)
    request = route.calls.last.request
    assert request.headers["Authorization"] == "ApiKey os-synthetic"
    assert json.loads(request.content) == {
        "queries": {
            "q1": {"schema": "Person", "properties": {"name": ["Jane Doe"], "country": ["gb"]}}
        }
    }


async def test_a_self_hosted_yente_needs_no_key(provider_api, recorded, make_http, jane) -> None:
    route = provider_api.post(f"{YENTE}/match/default").mock(
        return_value=httpx.Response(200, json=recorded("opensanctions", "match_no_hit"))
    )
    result = await _source(make_http).lookup(jane)
    assert result.check.state is SourceState.CHECKED
    assert "Authorization" not in route.calls.last.request.headers


async def test_no_match_is_a_citable_clear_result(provider_api, recorded, make_http, jane) -> None:
    provider_api.post(f"{YENTE}/match/default").mock(
        return_value=httpx.Response(200, json=recorded("opensanctions", "match_no_hit"))
    )
    result = await _source(make_http).lookup(jane)
    assert result.check.detail == "no match at or above 0.7 (best score 0.41)"
    assert result.hits == []
    [signal] = result.signals
    assert signal.source_type is SourceType.SANCTIONS
    assert signal.stance is Stance.SUPPORTS
    assert signal.reliability is Reliability.HIGH
    assert signal.statement == (
        "No match for Jane Doe on the sanctions and PEP lists screened by OpenSanctions."
    )


async def test_a_strong_sanctions_match_is_a_high_reliability_risk(
    provider_api, recorded, make_http, jane
) -> None:
    provider_api.post(f"{YENTE}/match/default").mock(
        return_value=httpx.Response(200, json=recorded("opensanctions", "match_sanctioned"))
    )
    result = await _source(make_http).lookup(jane)
    [signal] = result.signals
    assert signal.stance is Stance.CONTRADICTS
    assert signal.reliability is Reliability.HIGH
    assert signal.claim == "sanctions"
    assert signal.source_url == "https://www.opensanctions.org/entities/NK-fake1234synthetic/"
    assert signal.statement == (
        "OpenSanctions lists a possible match for Jane Doe: Jane Doe (sanctions list; datasets: "
        "gb_hmt_sanctions, eu_fsf, us_ofac_sdn and 1 more; match score 0.93)."
    )
    [hit] = result.hits
    assert (hit.handle, hit.location) == ("NK-fake1234synthetic", "gb")


async def test_a_pep_namesake_in_another_country_is_neutral_and_medium(
    provider_api, recorded, make_http, jane
) -> None:
    provider_api.post(f"{YENTE}/match/default").mock(
        return_value=httpx.Response(200, json=recorded("opensanctions", "match_pep_other_country"))
    )
    result = await _source(make_http).lookup(jane)
    [signal] = result.signals
    assert signal.stance is Stance.NEUTRAL
    assert signal.reliability is Reliability.MEDIUM
    assert "politically exposed person" in signal.statement
    assert signal.statement.endswith("listed for CA while the candidate is in GB.")


async def test_matches_below_the_threshold_do_not_count(
    provider_api, recorded, make_http, jane
) -> None:
    provider_api.post(f"{YENTE}/match/default").mock(
        return_value=httpx.Response(200, json=recorded("opensanctions", "match_sanctioned"))
    )
    result = await _source(make_http, threshold=0.95).lookup(jane)
    assert result.hits == []
    [signal] = result.signals
    assert signal.stance is Stance.SUPPORTS


async def test_server_error_then_success_is_retried(
    provider_api, recorded, make_http, jane
) -> None:
    route = provider_api.post(f"{YENTE}/match/default").mock(
        side_effect=[
            httpx.Response(503),
            httpx.Response(200, json=recorded("opensanctions", "match_no_hit")),
        ]
    )
    result = await _source(make_http).lookup(jane)
    assert result.check.state is SourceState.CHECKED
    assert route.call_count == 2


def test_country_codes_come_from_the_last_known_place_word() -> None:
    assert country_code("London, UK") == "gb"
    assert country_code("Zürich, Schweiz") == "ch"
    assert country_code("Lyon, France") == "fr"
    assert country_code("Atlantis") is None
    assert country_code(None) is None
