"""Look up once: enrichment answers from identity's results, failures included, and states
the same evidence it would have obtained by asking the provider again."""

import pytest

from dossier.contracts.enums import SourceState
from dossier.sources.base import SourceQuery, SourceResult
from dossier.sources.github import GitHubSource
from dossier.sources.prior import with_prior_results
from tests.unit.sources.test_github import _mock_jane_search


class MustNotBeAsked:
    name = "github"

    async def lookup(self, query: SourceQuery) -> SourceResult:
        raise AssertionError("the provider was asked again")


@pytest.mark.parametrize(
    "prior",
    [
        SourceResult.failed("github", "github: timed out after 10 s (attempt 1, not retried)"),
        SourceResult.unavailable("github", "github: circuit open after 5 consecutive failure(s)"),
    ],
)
async def test_a_failure_identity_met_is_not_retried_in_enrichment(jane, prior) -> None:
    (source,) = with_prior_results([MustNotBeAsked()], [prior])
    assert await source.lookup(jane) == prior


async def test_a_source_identity_did_not_ask_is_asked(jane) -> None:
    asked = MustNotBeAsked()
    assert with_prior_results([asked], []) == [asked]


@pytest.mark.parametrize(
    "verdicts",
    [
        (),
        (("github", "octo-jane", "match"),),
        (("github", "Octo-Jane", "homonym"),),
        (("github", "jdoe-berlin", "match"),),
        (("github", "octo-jane", "possible"), ("github", "jdoe-berlin", "homonym")),
    ],
)
async def test_identity_answer_restated_equals_asking_github_again(
    provider_api, recorded, make_http, jane, verdicts
) -> None:
    routes = _mock_jane_search(provider_api, recorded)
    github = GitHubSource(make_http("github"))
    identity_answer = await github.lookup(jane.model_copy(update={"for_identity": True}))
    asked_by_identity = sum(route.call_count for route in routes.values())  # type: ignore[attr-defined]

    evidence_query = jane.model_copy(update={"profile_verdicts": verdicts})
    (reused,) = with_prior_results([MustNotBeAsked()], [identity_answer])
    from_identity = await reused.lookup(evidence_query)
    asked_again = await github.lookup(evidence_query)

    assert from_identity.state is SourceState.CHECKED
    assert from_identity.hits == asked_again.hits
    assert [s.id for s in from_identity.signals] == [s.id for s in asked_again.signals]
    assert asked_by_identity == 5  # search, two profiles, the repositories of both
