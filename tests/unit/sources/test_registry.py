"""Building sources from configuration, and asking them all at once."""

import asyncio

import httpx
import pytest
from pydantic import SecretStr

from dossier.contracts.enums import SourceState
from dossier.sources.base import SourceQuery, SourceResult
from dossier.sources.cache import CachedSource, InMemorySourceCache
from dossier.sources.registry import (
    ALL_SOURCES,
    DisabledSource,
    SourcesConfig,
    build_source,
    build_sources,
    lookup_all,
)
from dossier.sources.settings import SourceSettings, build_profile_sources
from dossier.sources.web_search import SearxngSearch, WebSearchSource


class ScriptedSource:
    """Answers once `release` is set (immediately when none), optionally raising."""

    def __init__(
        self,
        name: str,
        *,
        release: asyncio.Event | None = None,
        error: Exception | None = None,
        timeout_seconds: float | None = None,
    ) -> None:
        self.name = name
        self.release = release
        self.error = error
        self.timeout_seconds = timeout_seconds
        self.cancelled = False

    async def lookup(self, query: SourceQuery) -> SourceResult:
        try:
            if self.release is not None:
                await self.release.wait()
        except asyncio.CancelledError:
            self.cancelled = True
            raise
        if self.error is not None:
            raise self.error
        return SourceResult.checked(self.name, detail=f"{self.name} done")


async def test_unconfigured_sources_answer_unavailable_or_skipped_without_any_request(
    provider_api, client, jane
) -> None:
    config = SourcesConfig(enabled=frozenset({"web", "sanctions", "companies_house"}))
    results = await lookup_all(build_sources(config, client), jane)
    assert [(r.name, r.state, r.check.detail) for r in results] == [
        ("github", SourceState.SKIPPED, "disabled by configuration"),
        ("web", SourceState.UNAVAILABLE, "brave: no API key configured"),
        ("sanctions", SourceState.UNAVAILABLE, "no API key configured"),
        ("companies_house", SourceState.UNAVAILABLE, "no API key configured"),
        ("orcid", SourceState.SKIPPED, "disabled by configuration"),
    ]
    assert provider_api.calls.call_count == 0


def test_searxng_is_used_when_no_brave_key_is_set(client) -> None:
    source = build_source("web", SourcesConfig(searxng_base_url="http://searx.test"), client)
    assert isinstance(source, WebSearchSource)
    assert isinstance(source.provider, SearxngSearch)


def test_enabled_sources_are_wrapped_in_the_cache_and_carry_their_timeout(client) -> None:
    config = SourcesConfig(enabled=frozenset({"github"}), timeouts={"github": 12.0})
    github, web, *_ = build_sources(config, client, cache=InMemorySourceCache())
    assert isinstance(github, CachedSource)
    assert github.timeout_seconds == 12.0
    assert isinstance(web, DisabledSource)


def test_an_unknown_source_name_is_a_programming_error(client) -> None:
    config = SourcesConfig(enabled=frozenset({"myspace"}))
    with pytest.raises(ValueError, match="unknown source 'myspace'"):
        build_source("myspace", config, client)


def test_the_http_budget_leaves_room_inside_the_source_timeout() -> None:
    policy = SourcesConfig(timeout_seconds=20.0, request_timeout_seconds=15.0).policy_for("web")
    assert policy.budget_seconds == 18.0
    assert policy.request_timeout_seconds == 15.0


async def test_sources_run_concurrently_and_results_keep_the_sources_order(jane) -> None:
    released = asyncio.Event()
    slow = ScriptedSource("slow", release=released)
    fast = ScriptedSource("fast")
    seen: list[str] = []

    def on_result(result: SourceResult) -> None:
        seen.append(result.name)
        released.set()  # only reachable if "fast" finished while "slow" was waiting

    async with asyncio.timeout(5):
        results = await lookup_all([slow, fast], jane, on_result=on_result)
    assert seen == ["fast", "slow"]
    assert [r.name for r in results] == ["slow", "fast"]


async def test_async_on_result_is_awaited_for_every_source(jane) -> None:
    recorded: list[str] = []

    async def on_result(result: SourceResult) -> None:
        await asyncio.sleep(0)
        recorded.append(result.name)

    await lookup_all([ScriptedSource("a"), ScriptedSource("b")], jane, on_result=on_result)
    assert sorted(recorded) == ["a", "b"]


async def test_a_source_that_overruns_its_own_timeout_fails_alone(jane) -> None:
    hanging = ScriptedSource("hanging", release=asyncio.Event(), timeout_seconds=0.05)
    results = await lookup_all([hanging, ScriptedSource("quick")], jane)
    assert (results[0].state, results[0].check.detail) == (
        SourceState.FAILED,
        "timed out after 0.05 s",
    )
    assert results[1].state is SourceState.CHECKED


async def test_explicit_timeouts_override_what_a_source_declares(jane) -> None:
    hanging = ScriptedSource("hanging", release=asyncio.Event(), timeout_seconds=60)
    [result] = await lookup_all([hanging], jane, timeouts={"hanging": 0.02})
    assert result.check.detail == "timed out after 0.02 s"


async def test_a_source_that_raises_is_failed_and_the_others_still_answer(jane) -> None:
    broken = ScriptedSource("broken", error=RuntimeError("boom"))
    results = await lookup_all([broken, ScriptedSource("fine")], jane)
    assert (results[0].state, results[0].check.detail) == (SourceState.FAILED, "RuntimeError: boom")
    assert results[1].state is SourceState.CHECKED


async def test_a_failing_on_result_cancels_the_remaining_lookups(jane) -> None:
    waiting = ScriptedSource("waiting", release=asyncio.Event())

    def on_result(result: SourceResult) -> None:
        raise OSError("read model down")

    with pytest.raises(OSError, match="read model down"):
        await lookup_all([waiting, ScriptedSource("first")], jane, on_result=on_result)
    assert waiting.cancelled


async def test_cancelling_lookup_all_cancels_every_running_lookup(jane) -> None:
    waiting = ScriptedSource("waiting", release=asyncio.Event())
    task = asyncio.create_task(lookup_all([waiting], jane))
    for _ in range(100):  # a bounded wait for the inner lookup to be scheduled
        if _lookup_started("waiting"):
            break
        await asyncio.sleep(0)
    assert _lookup_started("waiting")
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert waiting.cancelled


def _lookup_started(name: str) -> bool:
    return any(t.get_name() == f"source:{name}" for t in asyncio.all_tasks())


def test_settings_turn_into_a_config_with_secrets_revealed() -> None:
    settings = SourceSettings(
        github_token=SecretStr("ghp_synthetic"),
        sources_enabled="github, orcid",
        source_timeout_seconds=15,
    )
    config = settings.sources_config()
    assert config.github_token == "ghp_synthetic"
    assert config.enabled == frozenset({"github", "orcid"})
    assert config.timeout_for("orcid") == 15


def test_settings_refuse_an_unknown_source_name() -> None:
    with pytest.raises(ValueError, match="unknown source"):
        SourceSettings(sources_enabled="github,friendster").sources_config()


async def test_profile_sources_are_github_and_orcid() -> None:
    async with httpx.AsyncClient() as http_client:
        sources = build_profile_sources(SourceSettings(), http_client)
    assert [s.name for s in sources] == ["github", "orcid"]
    assert set(ALL_SOURCES) >= {s.name for s in sources}


async def test_an_empty_enabled_list_switches_every_source_off(provider_api, client, jane) -> None:
    config = SourceSettings(sources_enabled="").sources_config()
    results = await lookup_all(build_sources(config, client), jane)
    assert {r.state for r in results} == {SourceState.SKIPPED}
    assert len(results) == len(ALL_SOURCES)
    assert provider_api.calls.call_count == 0
