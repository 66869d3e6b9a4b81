"""Which sources exist, how they are configured, and how to ask them all at once.

`build_sources` turns a plain `SourcesConfig` into ready connectors (each behind
the cache when one is given). Every known source is always in the list: one that
is switched off answers `skipped`, one without a key answers `unavailable`, so a
report can say what was and was not checked.

`lookup_all` asks them concurrently, each under its own timeout, and hands each
result to `on_result` the moment it arrives, so signals reach the read model
while slower sources are still working.
"""

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import httpx

from dossier.sources.base import Source, SourceQuery, SourceResult
from dossier.sources.breaker import BreakerObserver, BreakerPolicy, CircuitBreaker
from dossier.sources.cache import CachedSource, SourceCache
from dossier.sources.companies_house import DEFAULT_BASE_URL as COMPANIES_HOUSE_URL
from dossier.sources.companies_house import CompaniesHouseSource
from dossier.sources.github import DEFAULT_BASE_URL as GITHUB_URL
from dossier.sources.github import GitHubSource
from dossier.sources.http import Clock, HttpPolicy, SourceHttp
from dossier.sources.orcid import DEFAULT_BASE_URL as ORCID_URL
from dossier.sources.orcid import OrcidSource
from dossier.sources.sanctions import HOSTED_BASE_URL as OPENSANCTIONS_URL
from dossier.sources.sanctions import OpenSanctionsSource
from dossier.sources.web_search import (
    BRAVE_BASE_URL,
    BraveSearch,
    SearxngSearch,
    WebSearchProvider,
    WebSearchSource,
)

log = logging.getLogger(__name__)

GITHUB = "github"
WEB = "web"
SANCTIONS = "sanctions"
COMPANIES_HOUSE = "companies_house"
ORCID = "orcid"
ALL_SOURCES = (GITHUB, WEB, SANCTIONS, COMPANIES_HOUSE, ORCID)

#: Sources that find profiles of the person (for identity resolution).
PROFILE_SOURCES = (GITHUB, ORCID)

#: Time a whole lookup keeps beyond its HTTP budget, so rate-limit decisions are
#: taken by the connector (as `unavailable`) before the outer timeout cuts it off.
_TIMEOUT_MARGIN_SECONDS = 2.0

OnResult = Callable[[SourceResult], Awaitable[None] | None]


@dataclass(frozen=True)
class SourcesConfig:
    """Where each provider is, the keys we hold, and how patient to be."""

    github_base_url: str = GITHUB_URL
    github_token: str | None = None
    brave_base_url: str = BRAVE_BASE_URL
    brave_api_key: str | None = None
    searxng_base_url: str | None = None
    opensanctions_base_url: str | None = OPENSANCTIONS_URL
    opensanctions_api_key: str | None = None
    sanctions_threshold: float = 0.7
    companies_house_base_url: str = COMPANIES_HOUSE_URL
    companies_house_api_key: str | None = None
    orcid_base_url: str = ORCID_URL
    orcid_token: str | None = None
    enabled: frozenset[str] = frozenset(ALL_SOURCES)
    timeout_seconds: float = 30.0
    timeouts: Mapping[str, float] = field(default_factory=dict)
    request_timeout_seconds: float = 10.0
    max_attempts: int = 3
    cache_ttl_seconds: float = 86_400.0
    breaker_failures: int = 5
    breaker_cooldown_seconds: float = 30.0

    def breaker_policy(self) -> BreakerPolicy:
        return BreakerPolicy(
            failures=self.breaker_failures, cooldown_seconds=self.breaker_cooldown_seconds
        )

    def timeout_for(self, name: str) -> float:
        return self.timeouts.get(name, self.timeout_seconds)

    def policy_for(self, name: str) -> HttpPolicy:
        timeout = self.timeout_for(name)
        return HttpPolicy(
            request_timeout_seconds=min(self.request_timeout_seconds, timeout),
            max_attempts=self.max_attempts,
            budget_seconds=max(1.0, timeout - _TIMEOUT_MARGIN_SECONDS),
        )


class DisabledSource:
    """A source switched off by configuration: it says so instead of vanishing."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.timeout_seconds = 1.0

    async def lookup(self, query: SourceQuery) -> SourceResult:
        return SourceResult.skipped(self.name, "disabled by configuration")


def _web_provider(config: SourcesConfig, http: SourceHttp) -> WebSearchProvider:
    """Brave when a key is set, else SearXNG when an instance is set, else keyless Brave
    (which answers `unavailable: no API key configured`)."""
    if not config.brave_api_key and config.searxng_base_url:
        return SearxngSearch(http, base_url=config.searxng_base_url)
    return BraveSearch(http, api_key=config.brave_api_key, base_url=config.brave_base_url)


def build_source(
    name: str,
    config: SourcesConfig,
    client: httpx.AsyncClient,
    *,
    clock: Clock | None = None,
    breaker_observer: BreakerObserver | None = None,
) -> Source:
    """One connector, configured, with its own circuit breaker (one per source per process:
    see `dossier.sources.breaker`); unknown names are a programming error."""
    if name not in config.enabled:
        return DisabledSource(name)
    breaker = (
        CircuitBreaker(name, config.breaker_policy(), observer=breaker_observer)
        if clock is None
        else CircuitBreaker(
            name,
            config.breaker_policy(),
            monotonic=clock.monotonic,
            wall=clock.time,
            observer=breaker_observer,
        )
    )
    http = SourceHttp(
        client, provider=name, policy=config.policy_for(name), clock=clock, breaker=breaker
    )
    timeout = config.timeout_for(name)
    if name == GITHUB:
        return GitHubSource(
            http,
            base_url=config.github_base_url,
            token=config.github_token,
            timeout_seconds=timeout,
        )
    if name == WEB:
        return WebSearchSource(_web_provider(config, http), timeout_seconds=timeout)
    if name == SANCTIONS:
        return OpenSanctionsSource(
            http,
            base_url=config.opensanctions_base_url,
            api_key=config.opensanctions_api_key,
            threshold=config.sanctions_threshold,
            timeout_seconds=timeout,
        )
    if name == COMPANIES_HOUSE:
        return CompaniesHouseSource(
            http,
            api_key=config.companies_house_api_key,
            base_url=config.companies_house_base_url,
            timeout_seconds=timeout,
        )
    if name == ORCID:
        return OrcidSource(
            http, base_url=config.orcid_base_url, token=config.orcid_token, timeout_seconds=timeout
        )
    msg = f"unknown source {name!r}; known: {', '.join(ALL_SOURCES)}"
    raise ValueError(msg)


def build_sources(
    config: SourcesConfig,
    client: httpx.AsyncClient,
    *,
    cache: SourceCache | None = None,
    names: Iterable[str] = ALL_SOURCES,
    clock: Clock | None = None,
    breaker_observer: BreakerObserver | None = None,
) -> list[Source]:
    """The named sources, in order, each cached for `config.cache_ttl_seconds` when a cache
    is given."""
    sources: list[Source] = []
    for name in names:
        source = build_source(name, config, client, clock=clock, breaker_observer=breaker_observer)
        if cache is not None and not isinstance(source, DisabledSource):
            source = CachedSource(
                source,
                cache,
                ttl_seconds=config.cache_ttl_seconds,
                timeout_seconds=config.timeout_for(name),
            )
        sources.append(source)
    return sources


def timeout_of(source: Source, default: float) -> float:
    """A source's own `timeout_seconds` when it declares one, else the default."""
    declared = getattr(source, "timeout_seconds", None)
    return float(declared) if isinstance(declared, int | float) and declared > 0 else default


async def _bounded_lookup(source: Source, query: SourceQuery, limit_seconds: float) -> SourceResult:
    try:
        async with asyncio.timeout(limit_seconds):
            return await source.lookup(query)
    except TimeoutError:
        return SourceResult.failed(source.name, f"timed out after {limit_seconds:g} s")
    except Exception as error:
        # Sources are not supposed to raise; one that does must not sink the others.
        log.warning("source raised", exc_info=True, extra={"source": source.name})
        return SourceResult.failed(source.name, f"{type(error).__name__}: {error}")


async def lookup_all(
    sources: Sequence[Source],
    query: SourceQuery,
    *,
    on_result: OnResult | None = None,
    default_timeout: float = 30.0,
    timeouts: Mapping[str, float] | None = None,
) -> list[SourceResult]:
    """Ask every source concurrently; results come back in the order of `sources`.

    `on_result` (plain or async) is called once per source as soon as it answers. If it
    raises, the remaining lookups are cancelled and the error propagates: a caller that
    cannot record evidence should not pretend the stage succeeded. Cancelling
    `lookup_all` cancels every lookup still running.
    """
    overrides = timeouts or {}

    async def run(index: int, source: Source) -> tuple[int, SourceResult]:
        timeout = overrides.get(source.name, timeout_of(source, default_timeout))
        return index, await _bounded_lookup(source, query, timeout)

    tasks = [asyncio.create_task(run(i, s), name=f"source:{s.name}") for i, s in enumerate(sources)]
    results: list[SourceResult | None] = [None] * len(sources)
    try:
        for finished in asyncio.as_completed(tasks):
            index, result = await finished
            results[index] = result
            if on_result is not None:
                outcome = on_result(result)
                if inspect.isawaitable(outcome):
                    await outcome
    finally:
        pending = [task for task in tasks if not task.done()]
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)
    return [result for result in results if result is not None]
