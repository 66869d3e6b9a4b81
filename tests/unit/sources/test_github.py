"""GitHubSource against recorded GitHub REST responses."""

import httpx

from dossier.contracts.enums import Reliability, SourceState, Stance
from dossier.sources.base import SourceQuery
from dossier.sources.github import GitHubSource, top_languages

API = "https://api.github.com"
NOW = 1_700_000_000


def _mock_jane_search(provider_api, recorded) -> dict[str, object]:
    return {
        "search": provider_api.get(f"{API}/search/users").mock(
            return_value=httpx.Response(200, json=recorded("github", "search_users_jane_doe"))
        ),
        "octo": provider_api.get(f"{API}/users/octo-jane").mock(
            return_value=httpx.Response(200, json=recorded("github", "user_octo-jane"))
        ),
        "berlin": provider_api.get(f"{API}/users/jdoe-berlin").mock(
            return_value=httpx.Response(200, json=recorded("github", "user_jdoe-berlin"))
        ),
        "octo_repos": provider_api.get(f"{API}/users/octo-jane/repos").mock(
            return_value=httpx.Response(200, json=recorded("github", "repos_octo-jane"))
        ),
        "berlin_repos": provider_api.get(f"{API}/users/jdoe-berlin/repos").mock(
            return_value=httpx.Response(200, json=[])
        ),
    }


async def test_search_keeps_namesakes_as_hits_with_their_location(
    provider_api, recorded, make_http, jane
) -> None:
    _mock_jane_search(provider_api, recorded)
    result = await GitHubSource(make_http("github")).lookup(jane)
    assert result.check.state is SourceState.CHECKED
    assert [(h.handle, h.location) for h in result.hits] == [
        ("octo-jane", "London, UK"),
        ("jdoe-berlin", "Berlin, Germany"),
    ]
    assert all(h.via == "search" for h in result.hits)


async def test_signals_are_stated_only_about_the_corroborated_profile(
    provider_api, recorded, make_http, jane
) -> None:
    routes = _mock_jane_search(provider_api, recorded)
    result = await GitHubSource(make_http("github")).lookup(jane)
    assert result.signals
    assert all("octo-jane" in s.statement for s in result.signals)
    assert not routes["berlin_repos"].called


async def test_a_profile_identity_judged_a_homonym_never_becomes_evidence(
    provider_api, recorded, make_http, jane
) -> None:
    routes = _mock_jane_search(provider_api, recorded)
    query = jane.model_copy(update={"profile_verdicts": (("github", "Octo-Jane", "homonym"),)})
    result = await GitHubSource(make_http("github")).lookup(query)
    assert [h.handle for h in result.hits] == ["octo-jane", "jdoe-berlin"]
    assert result.signals == []
    assert not routes["octo_repos"].called


async def test_a_profile_identity_matched_is_evidence_even_without_local_corroboration(
    provider_api, recorded, make_http, jane
) -> None:
    routes = _mock_jane_search(provider_api, recorded)
    query = jane.model_copy(update={"profile_verdicts": (("github", "jdoe-berlin", "match"),)})
    result = await GitHubSource(make_http("github")).lookup(query)
    assert any("jdoe-berlin" in s.statement for s in result.signals)
    assert routes["berlin_repos"].called


async def test_corroborated_profile_states_employer_location_blog_and_languages(
    provider_api, recorded, make_http, jane
) -> None:
    _mock_jane_search(provider_api, recorded)
    result = await GitHubSource(make_http("github")).lookup(jane)
    statements = {s.claim: s.statement for s in result.signals}
    assert statements["employment.current"] == (
        "GitHub profile octo-jane lists employer acme, matching the CV (Acme)."
    )
    assert statements["location"].endswith("London, UK, matching London, UK.")
    assert "janedoe.dev" in statements["identity.links"]
    assert statements["skills"] == (
        "Most-used languages in octo-jane's public GitHub repositories: Python, Go, Shell."
    )
    assert statements["identity.github"] == (
        "GitHub profile octo-jane (found by name) has 42 public repositories since 2014, "
        "last pushed to in May 2024."
    )


async def test_profile_found_by_name_is_low_reliability(
    provider_api, recorded, make_http, jane
) -> None:
    _mock_jane_search(provider_api, recorded)
    result = await GitHubSource(make_http("github")).lookup(jane)
    assert {s.reliability for s in result.signals} == {Reliability.LOW}
    assert all(s.source_url == "https://github.com/octo-jane" for s in result.signals)


async def test_login_linked_from_the_cv_is_fetched_without_searching(
    provider_api, recorded, make_http, jane
) -> None:
    routes = _mock_jane_search(provider_api, recorded)
    query = jane.model_copy(update={"links": ("https://github.com/octo-jane/", "janedoe.dev")})
    result = await GitHubSource(make_http("github")).lookup(query)
    assert not routes["search"].called
    assert [(h.handle, h.via) for h in result.hits] == [("octo-jane", "link")]
    presence = next(s for s in result.signals if s.claim == "identity.github")
    assert presence.reliability is Reliability.HIGH
    assert presence.stance is Stance.SUPPORTS
    assert "(linked from the CV)" in presence.statement


async def test_linked_login_that_does_not_exist_contradicts_the_cv(
    provider_api, recorded, make_http, jane
) -> None:
    provider_api.get(f"{API}/users/ghost-jane").mock(
        return_value=httpx.Response(404, json=recorded("github", "not_found"))
    )
    query = jane.model_copy(update={"links": ("github.com/ghost-jane",)})
    result = await GitHubSource(make_http("github")).lookup(query)
    assert result.check.state is SourceState.CHECKED
    assert result.hits == []
    [signal] = result.signals
    assert signal.stance is Stance.CONTRADICTS
    assert signal.statement == "The GitHub profile ghost-jane linked from the CV does not exist."


async def test_linked_profile_of_someone_else_contradicts_identity(
    provider_api, recorded, make_http, jane
) -> None:
    provider_api.get(f"{API}/users/not-jane").mock(
        return_value=httpx.Response(200, json=recorded("github", "user_not-jane"))
    )
    provider_api.get(f"{API}/users/not-jane/repos").mock(return_value=httpx.Response(200, json=[]))
    query = jane.model_copy(update={"links": ("https://github.com/not-jane",)})
    result = await GitHubSource(make_http("github")).lookup(query)
    identity = next(s for s in result.signals if s.claim == "identity.links")
    assert identity.stance is Stance.CONTRADICTS
    assert "belongs to Robert Smith, not Jane Doe" in identity.statement


async def test_common_name_search_is_narrowed_by_city(provider_api, recorded, make_http) -> None:
    def search(request: httpx.Request) -> httpx.Response:
        if "location:" in request.url.params["q"]:
            return httpx.Response(200, json=recorded("github", "search_users_common_name_london"))
        return httpx.Response(200, json=recorded("github", "search_users_common_name"))

    search_route = provider_api.get(f"{API}/search/users").mock(side_effect=search)
    provider_api.get(f"{API}/users/jsmith-ldn").mock(
        return_value=httpx.Response(200, json=recorded("github", "user_jsmith-ldn"))
    )
    provider_api.get(f"{API}/users/jsmith-ldn/repos").mock(
        return_value=httpx.Response(200, json=[])
    )
    query = SourceQuery(full_name="John Smith", location="London, UK")
    result = await GitHubSource(make_http("github")).lookup(query)
    assert search_route.call_count == 2
    assert search_route.calls.last.request.url.params["q"] == (
        'John Smith in:name type:user location:"London"'
    )
    assert [h.handle for h in result.hits] == ["jsmith-ldn"]


async def test_token_is_sent_as_a_bearer_header(provider_api, recorded, make_http, jane) -> None:
    routes = _mock_jane_search(provider_api, recorded)
    await GitHubSource(make_http("github"), token="ghp_synthetic").lookup(jane)
    request = routes["search"].calls.last.request
    assert request.headers["Authorization"] == "Bearer ghp_synthetic"


async def test_without_a_token_no_authorization_is_sent(
    provider_api, recorded, make_http, jane
) -> None:
    routes = _mock_jane_search(provider_api, recorded)
    result = await GitHubSource(make_http("github")).lookup(jane)
    assert result.check.state is SourceState.CHECKED
    assert "Authorization" not in routes["search"].calls.last.request.headers


async def test_rate_limit_with_a_distant_reset_is_unavailable(
    provider_api, recorded, make_http, jane
) -> None:
    provider_api.get(f"{API}/search/users").mock(
        return_value=httpx.Response(
            403,
            headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(NOW + 3600)},
            json=recorded("github", "rate_limit_exceeded"),
        )
    )
    result = await GitHubSource(make_http("github")).lookup(jane)
    assert result.check.state is SourceState.UNAVAILABLE
    assert result.check.detail == "github: rate limited until 2023-11-14T23:13:20Z"


async def test_server_error_then_success_is_retried(
    provider_api, recorded, make_http, jane, clock
) -> None:
    _mock_jane_search(provider_api, recorded)
    provider_api.get(f"{API}/search/users").mock(
        side_effect=[
            httpx.Response(502),
            httpx.Response(200, json=recorded("github", "search_users_jane_doe")),
        ]
    )
    result = await GitHubSource(make_http("github")).lookup(jane)
    assert result.check.state is SourceState.CHECKED
    assert len(result.hits) == 2
    assert len(clock.sleeps) == 1


async def test_timeouts_end_as_failed_with_a_short_detail(provider_api, make_http, jane) -> None:
    provider_api.get(f"{API}/search/users").mock(side_effect=httpx.ConnectTimeout("timed out"))
    result = await GitHubSource(make_http("github")).lookup(jane)
    assert result.check.state is SourceState.FAILED
    assert result.check.detail is not None
    assert result.check.detail.startswith("github: timed out")


async def test_unexpected_payload_is_failed_not_raised(provider_api, make_http, jane) -> None:
    provider_api.get(f"{API}/search/users").mock(
        return_value=httpx.Response(200, json={"items": [{"login": "x"}], "total_count": "many"})
    )
    result = await GitHubSource(make_http("github")).lookup(jane)
    assert result.check.state is SourceState.FAILED
    assert result.check.detail is not None
    assert "ValueError" in result.check.detail


async def test_the_same_finding_keeps_the_same_signal_id(
    provider_api, recorded, make_http, jane
) -> None:
    _mock_jane_search(provider_api, recorded)
    first = await GitHubSource(make_http("github")).lookup(jane)
    second = await GitHubSource(make_http("github")).lookup(jane)
    assert [s.id for s in first.signals] == [s.id for s in second.signals]
    assert all(s.id and s.id.startswith("sig_") for s in first.signals)
    assert len({s.id for s in first.signals}) == len(first.signals)


def test_forks_do_not_count_towards_languages(recorded) -> None:
    assert "JavaScript" not in top_languages(recorded("github", "repos_octo-jane"), limit=10)
