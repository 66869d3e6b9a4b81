"""ORCID expanded search, replayed from recorded responses."""

import httpx

from dossier.contracts.enums import Reliability, SourceState, SourceType, Stance
from dossier.sources.base import SourceQuery
from dossier.sources.orcid import OrcidSource, name_query

API = "https://pub.orcid.org/v3.0/expanded-search/"
LINKED = "0000-0002-9079-593X"


async def test_the_search_asks_for_json_by_given_and_family_name(
    provider_api, recorded, make_http, jane
) -> None:
    route = provider_api.get(API).mock(
        return_value=httpx.Response(200, json=recorded("orcid", "expanded_search_jane_doe"))
    )
    await OrcidSource(make_http("orcid")).lookup(jane)
    request = route.calls.last.request
    assert request.headers["Accept"] == "application/json"
    assert request.url.params["q"] == "given-names:Jane AND family-name:Doe"
    assert "q=given-names%3AJane+AND+family-name%3ADoe" in str(request.url)


async def test_every_record_is_a_hit_with_its_institutions(
    provider_api, recorded, make_http, jane
) -> None:
    provider_api.get(API).mock(
        return_value=httpx.Response(200, json=recorded("orcid", "expanded_search_jane_doe"))
    )
    result = await OrcidSource(make_http("orcid")).lookup(jane)
    assert result.check.state is SourceState.CHECKED
    assert [(h.handle, h.company) for h in result.hits] == [
        (LINKED, "University of Bristol"),
        ("0000-0001-5109-3700", "Universidad de Sevilla"),
    ]
    assert result.hits[1].display_name == "Jane M. Doe"
    assert result.hits[1].emails == ("jm.doe@us.example.edu",)


async def test_shared_institutions_support_employment_and_education(
    provider_api, recorded, make_http, jane
) -> None:
    provider_api.get(API).mock(
        return_value=httpx.Response(200, json=recorded("orcid", "expanded_search_jane_doe"))
    )
    result = await OrcidSource(make_http("orcid")).lookup(jane)
    claims = {s.claim: s for s in result.signals}
    assert set(claims) == {"employment", "education"}
    assert all(s.source_type is SourceType.ACADEMIC for s in result.signals)
    assert all(s.reliability is Reliability.LOW for s in result.signals)
    assert claims["education"].statement == (
        f"ORCID record {LINKED} (Jane Doe) lists an affiliation with University of Bristol, "
        "which the CV also names."
    )


async def test_an_orcid_id_linked_from_the_cv_is_looked_up_directly(
    provider_api, recorded, make_http, jane
) -> None:
    route = provider_api.get(API).mock(
        return_value=httpx.Response(200, json=recorded("orcid", "expanded_search_by_orcid"))
    )
    query = jane.model_copy(update={"links": (f"https://orcid.org/{LINKED}",)})
    result = await OrcidSource(make_http("orcid")).lookup(query)
    assert route.calls.last.request.url.params["q"] == f"orcid:{LINKED}"
    [hit] = result.hits
    assert hit.via == "link"
    identity = next(s for s in result.signals if s.claim == "identity.orcid")
    assert identity.reliability is Reliability.HIGH
    assert identity.stance is Stance.SUPPORTS
    affiliation = next(s for s in result.signals if s.claim == "education")
    assert affiliation.reliability is Reliability.MEDIUM


async def test_a_linked_orcid_id_that_is_not_found_is_said_so(
    provider_api, recorded, make_http, jane
) -> None:
    provider_api.get(API).mock(
        return_value=httpx.Response(200, json=recorded("orcid", "expanded_search_empty"))
    )
    query = jane.model_copy(update={"links": (f"orcid.org/{LINKED}",)})
    result = await OrcidSource(make_http("orcid")).lookup(query)
    assert result.hits == []
    assert result.check.detail == f"ORCID iD {LINKED} linked from the CV not found"


async def test_no_record_is_a_checked_empty_result(provider_api, recorded, make_http, jane) -> None:
    provider_api.get(API).mock(
        return_value=httpx.Response(200, json=recorded("orcid", "expanded_search_empty"))
    )
    result = await OrcidSource(make_http("orcid")).lookup(jane)
    assert result.check.state is SourceState.CHECKED
    assert (result.hits, result.signals) == ([], [])


def test_multi_word_names_are_quoted_for_solr() -> None:
    query = SourceQuery(
        full_name="Mary Ann de la Cruz", first_name="Mary Ann", last_name="de la Cruz"
    )
    assert name_query(query) == 'given-names:"Mary Ann" AND family-name:"de la Cruz"'
