"""The source interface: results, stable signal ids, and never raising."""

from dossier.contracts.enums import Reliability, SourceState, SourceType
from dossier.sources.base import (
    DETAIL_MAX_CHARS,
    Source,
    SourceQuery,
    SourceResult,
    SourceUnavailableError,
    guarded,
    make_signal,
    signal_id,
)
from dossier.sources.github import GitHubSource


def test_signal_ids_are_stable_and_depend_on_source_url_and_fact() -> None:
    base = signal_id("github", "https://github.com/octo-jane", "fact")
    assert base == signal_id("github", "https://github.com/octo-jane", "fact")
    assert base.startswith("sig_")
    assert base != signal_id("orcid", "https://github.com/octo-jane", "fact")
    assert base != signal_id("github", "https://github.com/other", "fact")
    assert base != signal_id("github", "https://github.com/octo-jane", "other fact")


def test_a_signal_speaks_camel_case_on_the_wire() -> None:
    signal = make_signal(
        source="web",
        source_type=SourceType.WEB,
        statement="A page names Jane Doe.",
        reliability=Reliability.LOW,
        url="https://example.org",
    )
    dumped = signal.model_dump(mode="json", exclude_none=True)
    assert dumped["sourceType"] == "web"
    assert dumped["sourceUrl"] == "https://example.org"


def test_the_organisations_of_a_query_put_the_company_first_without_repeats() -> None:
    query = SourceQuery(full_name="Jane Doe", company="Acme", employers=("ACME", "Globex", ""))
    assert query.organisations() == ["Acme", "Globex"]


async def test_guarded_keeps_the_state_of_a_source_error() -> None:
    async def lookup() -> SourceResult:
        raise SourceUnavailableError("no API key configured")

    result = await guarded("web", lookup)
    assert (result.state, result.check.detail) == (SourceState.UNAVAILABLE, "no API key configured")


async def test_guarded_turns_any_other_error_into_a_short_failed_detail() -> None:
    async def lookup() -> SourceResult:
        raise KeyError("x" * 500)

    result = await guarded("web", lookup)
    assert result.state is SourceState.FAILED
    assert result.check.detail is not None
    assert result.check.detail.startswith("KeyError: ")
    assert len(result.check.detail) <= DETAIL_MAX_CHARS


def test_connectors_satisfy_the_source_protocol(make_http) -> None:
    assert isinstance(GitHubSource(make_http("github")), Source)
