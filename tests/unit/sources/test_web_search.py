"""Web search through Brave and SearXNG, replayed from recorded responses."""

import time

import httpx

from dossier.contracts.enums import Language, Reliability, SourceState, Stance
from dossier.sources.web_search import (
    BraveSearch,
    SearxngSearch,
    WebSearchSource,
    is_organisation_site,
    reliability_for,
    search_text,
    strip_markup,
)

BRAVE = "https://api.search.brave.com/res/v1/web/search"
SEARXNG = "https://searx.example.test"


async def test_brave_without_a_key_is_unavailable_and_sends_nothing(make_http, jane) -> None:
    source = WebSearchSource(BraveSearch(make_http("web"), api_key=None))
    result = await source.lookup(jane)
    assert result.check.state is SourceState.UNAVAILABLE
    assert result.check.detail == "brave: no API key configured"


async def test_brave_request_carries_the_key_the_quoted_name_and_the_language(
    provider_api, recorded, make_http, jane
) -> None:
    route = provider_api.get(BRAVE).mock(
        return_value=httpx.Response(200, json=recorded("brave", "web_search_jane_doe"))
    )
    query = jane.model_copy(update={"language": Language.FR})
    await WebSearchSource(BraveSearch(make_http("web"), api_key="brv-synthetic")).lookup(query)
    request = route.calls.last.request
    assert request.headers["X-Subscription-Token"] == "brv-synthetic"
    assert request.url.params["q"] == '"Jane Doe" "Acme"'
    assert request.url.params["search_lang"] == "fr"


async def test_pages_naming_the_candidate_with_an_employer_become_signals(
    provider_api, recorded, make_http, jane
) -> None:
    provider_api.get(BRAVE).mock(
        return_value=httpx.Response(200, json=recorded("brave", "web_search_jane_doe"))
    )
    source = WebSearchSource(BraveSearch(make_http("web"), api_key="brv-synthetic"))
    result = await source.lookup(jane)
    assert result.check.state is SourceState.CHECKED
    by_url = {s.source_url: s for s in result.signals}
    assert set(by_url) == {
        "https://www.acme.com/about/team",
        "https://uk.linkedin.com/in/jane-doe-eng",
    }
    team_page = by_url["https://www.acme.com/about/team"]
    assert team_page.reliability is Reliability.HIGH
    assert team_page.stance is Stance.SUPPORTS
    assert (
        team_page.statement
        == 'A page on acme.com names Jane Doe together with Acme ("Our team – Acme").'
    )
    assert by_url["https://uk.linkedin.com/in/jane-doe-eng"].reliability is Reliability.MEDIUM


async def test_pages_naming_only_the_candidate_are_hits_not_evidence(
    provider_api, recorded, make_http, jane
) -> None:
    provider_api.get(BRAVE).mock(
        return_value=httpx.Response(200, json=recorded("brave", "web_search_jane_doe"))
    )
    source = WebSearchSource(BraveSearch(make_http("web"), api_key="brv-synthetic"))
    result = await source.lookup(jane)
    hit_urls = [h.url for h in result.hits]
    assert "https://pycon-example.org/2023/speakers" in hit_urls
    assert "https://news-example.com/acme-results" not in hit_urls
    assert result.check.detail == "brave: 4 result(s), 3 naming the candidate, 2 with an employer"


async def test_brave_rate_limit_of_one_second_is_waited_out(
    provider_api, recorded, make_http, jane, clock
) -> None:
    provider_api.get(BRAVE).mock(
        side_effect=[
            httpx.Response(429, headers={"Retry-After": "1"}),
            httpx.Response(200, json=recorded("brave", "web_search_jane_doe")),
        ]
    )
    source = WebSearchSource(BraveSearch(make_http("web"), api_key="brv-synthetic"))
    result = await source.lookup(jane)
    assert result.check.state is SourceState.CHECKED
    assert clock.sleeps == [1.0]


async def test_searxng_results_are_read_from_its_json_format(
    provider_api, recorded, make_http, jane
) -> None:
    route = provider_api.get(f"{SEARXNG}/search").mock(
        return_value=httpx.Response(200, json=recorded("searxng", "search_jane_doe"))
    )
    source = WebSearchSource(SearxngSearch(make_http("web"), base_url=SEARXNG))
    result = await source.lookup(jane)
    assert route.calls.last.request.url.params["format"] == "json"
    [signal] = result.signals
    assert signal.source_url == "https://www.reuters.com/technology/acme-payments-2024-03-01/"
    assert signal.reliability is Reliability.HIGH


async def test_a_result_that_is_a_link_from_the_cv_is_marked_as_such(
    provider_api, recorded, make_http, jane
) -> None:
    provider_api.get(f"{SEARXNG}/search").mock(
        return_value=httpx.Response(200, json=recorded("searxng", "search_jane_doe"))
    )
    source = WebSearchSource(SearxngSearch(make_http("web"), base_url=SEARXNG))
    result = await source.lookup(jane)
    personal = next(h for h in result.hits if h.url == "https://janedoe.dev/")
    assert personal.via == "link"


async def test_searxng_without_an_instance_is_unavailable(make_http, jane) -> None:
    result = await WebSearchSource(SearxngSearch(make_http("web"), base_url=None)).lookup(jane)
    assert result.check.state is SourceState.UNAVAILABLE
    assert result.check.detail == "searxng: no base URL configured"


async def test_searxng_refusing_json_is_failed(provider_api, make_http, jane) -> None:
    provider_api.get(f"{SEARXNG}/search").mock(return_value=httpx.Response(403, text="Forbidden"))
    result = await WebSearchSource(SearxngSearch(make_http("web"), base_url=SEARXNG)).lookup(jane)
    assert result.check.state is SourceState.FAILED
    assert result.check.detail == "searxng: JSON format is not enabled on the instance"


def test_search_text_quotes_the_name_and_the_first_organisation(jane) -> None:
    assert search_text(jane) == '"Jane Doe" "Acme"'
    alone = jane.model_copy(update={"company": None, "employers": ()})
    assert search_text(alone) == '"Jane Doe"'


def test_the_employer_own_site_is_recognised_in_any_subdomain() -> None:
    assert is_organisation_site("careers.acme.co.uk", ["Acme Ltd"])
    assert is_organisation_site("acmerobotics.io", ["Acme Robotics"])
    assert not is_organisation_site("notacme.com", ["Acme"])


def test_reliability_depends_on_the_publisher() -> None:
    assert reliability_for("acme.com", ["Acme"]) is Reliability.HIGH
    assert reliability_for("gov.uk.example.com", ["Acme"]) is Reliability.LOW
    assert reliability_for("ons.gov.uk", ["Acme"]) is Reliability.HIGH
    assert reliability_for("en.wikipedia.org", ["Acme"]) is Reliability.HIGH
    assert reliability_for("de.linkedin.com", ["Acme"]) is Reliability.MEDIUM
    assert reliability_for("random-blog.net", ["Acme"]) is Reliability.LOW


def test_markup_and_entities_are_removed_from_snippets() -> None:
    assert strip_markup("<strong>Jane</strong> &amp; co") == "Jane & co"


def test_markup_stripping_is_linear_on_unclosed_brackets() -> None:
    """`<[^>]+>` restarts at every `<` of an unclosed run and reads to its end: quadratic."""
    started = time.process_time()
    assert strip_markup("<" * 50_000 + "x") == "<" * 50_000 + "x"
    assert time.process_time() - started < 0.5
