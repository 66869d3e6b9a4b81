"""Web search: pages that name the candidate together with an employer from the CV.

The search engine is a small `WebSearchProvider` (Brave's API, or a SearXNG
instance); `WebSearchSource` turns its results into evidence. A page counts as
evidence only when it names the person (first and last name) *and* one of the
organisations on the CV; pages naming only the person are kept as hits for the
identity stage. How much a page is worth depends on who publishes it.
"""

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from dossier.contracts.api import Signal
from dossier.contracts.enums import Language, Reliability, SourceType, Stance
from dossier.sources.base import (
    GuardedSource,
    ProfileHit,
    SourceFailedError,
    SourceQuery,
    SourceResult,
    SourceUnavailableError,
    make_signal,
)
from dossier.sources.http import SourceHttp
from dossier.sources.matching import (
    host_of,
    org_key,
    same_link,
    text_mentions_name,
    text_mentions_org,
)
from dossier.sources.names import fold_words
from dossier.sources.wording import phrase, statement

NAME = "web"
BRAVE_BASE_URL = "https://api.search.brave.com"

#: Publishers whose pages are checked or edited by someone other than the candidate.
REPUTABLE_DOMAINS = frozenset(
    {
        "reuters.com",
        "bloomberg.com",
        "ft.com",
        "wsj.com",
        "nytimes.com",
        "theguardian.com",
        "bbc.co.uk",
        "bbc.com",
        "lemonde.fr",
        "faz.net",
        "nzz.ch",
        "elpais.com",
        "corriere.it",
        "techcrunch.com",
        "wikipedia.org",
    }
)

#: Sites where people describe themselves: useful, but self-declared.
PROFILE_DOMAINS = frozenset(
    {
        "linkedin.com",
        "github.com",
        "gitlab.com",
        "crunchbase.com",
        "xing.com",
        "stackoverflow.com",
        "medium.com",
        "dev.to",
        "orcid.org",
        "researchgate.net",
        "scholar.google.com",
    }
)

_OFFICIAL_SUFFIXES = (".gov", ".gov.uk", ".edu", ".ac.uk", ".admin.ch", ".gouv.fr", ".bund.de")


@dataclass(frozen=True)
class WebResult:
    title: str
    url: str
    snippet: str


class WebSearchProvider(Protocol):
    name: str

    async def search(self, text: str, *, count: int, language: Language) -> list[WebResult]: ...


def strip_markup(text: str) -> str:
    """Search snippets come with `<strong>` highlights and HTML entities."""
    return " ".join(html.unescape(re.sub(r"<[^<>]+>", "", text)).split())


class BraveSearch:
    """Brave Search API (`X-Subscription-Token`). Without a key it is unavailable."""

    name = "brave"

    def __init__(
        self, http: SourceHttp, *, api_key: str | None, base_url: str = BRAVE_BASE_URL
    ) -> None:
        self._http = http
        self._key = api_key
        self._base = base_url.rstrip("/")

    async def search(self, text: str, *, count: int, language: Language) -> list[WebResult]:
        if not self._key:
            raise SourceUnavailableError("brave: no API key configured")
        body = await self._http.get_json(
            f"{self._base}/res/v1/web/search",
            budget=self._http.budget(),
            params={"q": text, "count": min(count, 20), "search_lang": language.value},
            headers={"Accept": "application/json", "X-Subscription-Token": self._key},
        )
        results = (body.get("web") or {}).get("results") or []
        return [_result(r, snippet_field="description") for r in results if r.get("url")]


class SearxngSearch:
    """A SearXNG instance's JSON API (`format=json` must be enabled on the instance)."""

    name = "searxng"

    def __init__(self, http: SourceHttp, *, base_url: str | None) -> None:
        self._http = http
        self._base = base_url.rstrip("/") if base_url else None

    async def search(self, text: str, *, count: int, language: Language) -> list[WebResult]:
        if not self._base:
            raise SourceUnavailableError("searxng: no base URL configured")
        response = await self._http.request(
            "GET",
            f"{self._base}/search",
            budget=self._http.budget(),
            params={"q": text, "format": "json", "language": language.value},
            headers={"Accept": "application/json"},
        )
        if response.status_code == 403:
            raise SourceFailedError("searxng: JSON format is not enabled on the instance")
        body = self._http.decode(response)
        results = body.get("results") or []
        return [_result(r, snippet_field="content") for r in results if r.get("url")][:count]


def _result(raw: dict[str, Any], *, snippet_field: str) -> WebResult:
    return WebResult(
        title=strip_markup(str(raw.get("title") or "")),
        url=str(raw["url"]),
        snippet=strip_markup(str(raw.get(snippet_field) or "")),
    )


def reliability_for(host: str, organisations: Sequence[str]) -> Reliability:
    """What a page is worth by who publishes it.

    High: the employer's own site, official and academic sites, reputable press.
    Medium: profile sites, where people write about themselves. Low: the rest.
    """
    if is_organisation_site(host, organisations):
        return Reliability.HIGH
    if host.endswith(_OFFICIAL_SUFFIXES) or _within(host, REPUTABLE_DOMAINS):
        return Reliability.HIGH
    if _within(host, PROFILE_DOMAINS):
        return Reliability.MEDIUM
    return Reliability.LOW


def _within(host: str, domains: frozenset[str]) -> bool:
    return any(host == d or host.endswith(f".{d}") for d in domains)


def is_organisation_site(host: str, organisations: Sequence[str]) -> bool:
    """ "acme.com", "careers.acme.co.uk", "acme-robotics.io" belong to "Acme Robotics Ltd"."""
    labels = [fold_words(label).replace(" ", "") for label in host.split(".")[:-1]]
    for name in organisations:
        squashed = org_key(name).replace(" ", "")
        if squashed and len(squashed) >= 3 and squashed in labels:
            return True
    return False


def search_text(query: SourceQuery) -> str:
    """The candidate's name in quotes, with the most telling organisation when known."""
    organisations = query.organisations()
    text = f'"{query.full_name}"'
    return f'{text} "{organisations[0]}"' if organisations else text


def _first_last(query: SourceQuery) -> tuple[str | None, str | None]:
    if query.first_name and query.last_name:
        return query.first_name, query.last_name
    parts = query.full_name.split()
    return (parts[0], parts[-1]) if len(parts) > 1 else (query.full_name, None)


class WebSearchSource(GuardedSource):
    name = NAME

    def __init__(
        self,
        provider: WebSearchProvider,
        *,
        count: int = 10,
        timeout_seconds: float | None = None,
    ) -> None:
        self.provider = provider
        self._count = count
        self.timeout_seconds = timeout_seconds

    async def _lookup(self, query: SourceQuery) -> SourceResult:
        results = await self.provider.search(
            search_text(query), count=self._count, language=query.language
        )
        hits, signals = evidence_from(results, query)
        detail = statement(
            "detail.web_search",
            query.language,
            provider=self.provider.name,
            results=len(results),
            hits=len(hits),
            signals=len(signals),
        )
        return SourceResult.checked(self.name, hits=hits, signals=signals, detail=detail)


def evidence_from(
    results: Sequence[WebResult], query: SourceQuery
) -> tuple[list[ProfileHit], list[Signal]]:
    """Pages naming the candidate become hits; those also naming an employer, signals."""
    first, last = _first_last(query)
    organisations = query.organisations()
    hits: list[ProfileHit] = []
    signals: list[Signal] = []
    for result in results:
        text = f"{result.title} {result.snippet}"
        if not text_mentions_name(text, first, last):
            continue
        host = host_of(result.url)
        linked = any(same_link(result.url, link) for link in _known_links(query))
        hits.append(
            ProfileHit(
                source=NAME,
                handle=host,
                url=result.url,
                display_name=result.title or None,
                bio=result.snippet or None,
                via="link" if linked else "search",
            )
        )
        organisation = text_mentions_org(text, organisations)
        if organisation is None and is_organisation_site(host, organisations):
            organisation = organisations[0]
        if organisation is None:
            continue
        title = result.title if len(result.title) <= 80 else result.title[:79] + "…"
        signals.append(
            make_signal(
                source=NAME,
                source_type=SourceType.WEB,
                statement=phrase(
                    "web_search.page_names_candidate",
                    host=host,
                    full_name=query.full_name,
                    organisation=organisation,
                    title=title,
                ),
                reliability=reliability_for(host, organisations),
                url=result.url,
                claim="employment",
                stance=Stance.SUPPORTS,
                fact=f"{query.full_name}|{organisation}",
                language=query.language,
            )
        )
    return hits, signals


def _known_links(query: SourceQuery) -> list[str]:
    return [*query.links, *([query.linkedin_url] if query.linkedin_url else [])]
