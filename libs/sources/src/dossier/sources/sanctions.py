"""Sanctions and PEP screening through OpenSanctions' matching API (yente).

Works against the hosted API (`api.opensanctions.org`, which needs a key) or a
self-hosted yente (no key). A match at or above the threshold becomes a signal
naming the lists; no match is itself a useful, citable fact ("screened, nothing
found"), so it is stated too.

The screening is by name (and country when the location gives one). A strong
name match whose countries disagree with the candidate's is probably a namesake:
it is still reported, at Medium reliability, so that someone confirms it.
"""

from collections.abc import Sequence
from typing import Any

from dossier.contracts.api import Signal
from dossier.contracts.enums import Reliability, SourceType, Stance
from dossier.language.numbers import number
from dossier.sources.base import (
    GuardedSource,
    ProfileHit,
    SourceQuery,
    SourceResult,
    SourceUnavailableError,
    make_signal,
)
from dossier.sources.http import SourceHttp
from dossier.sources.matching import host_of
from dossier.sources.names import fold_words
from dossier.sources.wording import Phrase, Value, counted, phrase, statement

NAME = "sanctions"
HOSTED_BASE_URL = "https://api.opensanctions.org"
ENTITY_URL = "https://www.opensanctions.org/entities/{id}/"
SITE_URL = "https://www.opensanctions.org/"

#: Country words people write in a location, mapped to ISO codes yente understands.
COUNTRY_CODES = {
    "uk": "gb",
    "united kingdom": "gb",
    "great britain": "gb",
    "england": "gb",
    "scotland": "gb",
    "wales": "gb",
    "gb": "gb",
    "usa": "us",
    "us": "us",
    "united states": "us",
    "france": "fr",
    "germany": "de",
    "deutschland": "de",
    "switzerland": "ch",
    "schweiz": "ch",
    "suisse": "ch",
    "svizzera": "ch",
    "italy": "it",
    "italia": "it",
    "spain": "es",
    "espana": "es",
    "netherlands": "nl",
    "belgium": "be",
    "austria": "at",
    "ireland": "ie",
    "portugal": "pt",
    "poland": "pl",
    "sweden": "se",
    "canada": "ca",
    "russia": "ru",
}

#: The topics a recruiter is told about, and whether each is a risk (contradicts "clear").
#: Each is worded as `sanctions.topic.<topic>` in `wording.CATALOGUE`.
TOPICS: dict[str, bool] = {
    "sanction": True,
    "sanction.linked": True,
    "debarment": True,
    "crime": True,
    "wanted": True,
    "role.pep": False,
    "role.rca": False,
}


def country_code(location: str | None) -> str | None:
    """The ISO code of the country named last in a location ("London, UK" → "gb")."""
    if not location:
        return None
    parts = [fold_words(part) for part in location.split(",") if part.strip()]
    for part in reversed(parts):
        if part in COUNTRY_CODES:
            return COUNTRY_CODES[part]
    return None


def match_request(query: SourceQuery) -> dict[str, Any]:
    properties: dict[str, list[str]] = {"name": [query.full_name]}
    country = country_code(query.location)
    if country:
        properties["country"] = [country]
    return {"queries": {"q1": {"schema": "Person", "properties": properties}}}


class OpenSanctionsSource(GuardedSource):
    name = NAME

    def __init__(
        self,
        http: SourceHttp,
        *,
        base_url: str | None,
        api_key: str | None = None,
        threshold: float = 0.7,
        dataset: str = "default",
        timeout_seconds: float | None = None,
    ) -> None:
        self._http = http
        self._base = base_url.rstrip("/") if base_url else None
        self._key = api_key
        self._threshold = threshold
        self._dataset = dataset
        self.timeout_seconds = timeout_seconds

    async def _lookup(self, query: SourceQuery) -> SourceResult:
        if not self._base:
            raise SourceUnavailableError("no OpenSanctions (yente) URL configured")
        if host_of(self._base) == host_of(HOSTED_BASE_URL) and not self._key:
            raise SourceUnavailableError("no API key configured")
        headers = {"Accept": "application/json"}
        if self._key:
            headers["Authorization"] = f"ApiKey {self._key}"
        body = await self._http.post_json(
            f"{self._base}/match/{self._dataset}",
            match_request(query),
            budget=self._http.budget(),
            headers=headers,
        )
        response = (body.get("responses") or {}).get("q1") or {}
        results: list[dict[str, Any]] = response.get("results") or []
        return screening_result(results, query, threshold=self._threshold)


def screening_result(
    results: Sequence[dict[str, Any]], query: SourceQuery, *, threshold: float
) -> SourceResult:
    """Matches at or above the threshold become hits and signals; none is a "clear" signal."""
    matches = [r for r in results if float(r.get("score") or 0.0) >= threshold]
    best = max((float(r.get("score") or 0.0) for r in results), default=0.0)
    if not matches:
        signal = make_signal(
            source=NAME,
            source_type=SourceType.SANCTIONS,
            statement=phrase("sanctions.clear", full_name=query.full_name),
            reliability=Reliability.HIGH,
            url=SITE_URL,
            claim="sanctions",
            stance=Stance.SUPPORTS,
            fact=f"clear|{fold_words(query.full_name)}",
            language=query.language,
        )
        detail = statement(
            "detail.sanctions.clear",
            query.language,
            threshold=number(threshold, query.language),
            best=float(best),
        )
        return SourceResult.checked(NAME, signals=[signal], detail=detail)
    country = country_code(query.location)
    hits = [_hit(match) for match in matches]
    signals = [_match_signal(match, query, country) for match in matches]
    detail = statement(
        "detail.sanctions.matches", query.language, count=len(matches), best=float(best)
    )
    return SourceResult.checked(NAME, hits=hits, signals=signals, detail=detail)


def _values(entity: dict[str, Any], prop: str) -> list[str]:
    values = (entity.get("properties") or {}).get(prop) or []
    return [str(v) for v in values]


def _hit(entity: dict[str, Any]) -> ProfileHit:
    entity_id = str(entity.get("id") or "")
    return ProfileHit(
        source=NAME,
        handle=entity_id or None,
        url=ENTITY_URL.format(id=entity_id) if entity_id else None,
        display_name=entity.get("caption"),
        location=", ".join(_values(entity, "country")) or None,
        bio="; ".join(_values(entity, "position")[:2]) or None,
    )


def _datasets(datasets: Sequence[str]) -> Value:
    """The first three dataset names, then how many more; a phrase when there are none."""
    if not datasets:
        return phrase("sanctions.datasets_unspecified")
    shown = ", ".join(datasets[:3])
    more = len(datasets) - 3
    if more >= 1:
        return counted("sanctions.more_datasets", more, shown=shown, count=more)
    return shown


def _match_signal(entity: dict[str, Any], query: SourceQuery, country: str | None) -> Signal:
    topics = [t for t in _values(entity, "topics") if t in TOPICS]
    labels: tuple[Phrase, ...] = tuple(phrase(f"sanctions.topic.{t}") for t in topics) or (
        phrase("sanctions.topic.other"),
    )
    is_risk = any(TOPICS[t] for t in topics) or not topics
    countries = [c.lower() for c in _values(entity, "country")]
    likely_namesake = bool(country and countries and country not in countries)
    datasets = [str(d) for d in entity.get("datasets") or []]
    score = float(entity.get("score") or 0.0)
    caption = entity.get("caption") or query.full_name
    namesake: Value = ""
    if country and likely_namesake:
        listed = ", ".join(c.upper() for c in countries)
        namesake = phrase("sanctions.namesake", listed=listed, country=country.upper())
    entity_id = str(entity.get("id") or "")
    return make_signal(
        source=NAME,
        source_type=SourceType.SANCTIONS,
        statement=phrase(
            "sanctions.possible_match",
            full_name=query.full_name,
            caption=str(caption),
            labels=labels,
            datasets=_datasets(datasets),
            score=score,
            namesake=namesake,
        ),
        reliability=Reliability.MEDIUM if likely_namesake else Reliability.HIGH,
        url=ENTITY_URL.format(id=entity_id) if entity_id else SITE_URL,
        claim="sanctions",
        stance=Stance.CONTRADICTS if is_risk else Stance.NEUTRAL,
        fact=f"match|{entity_id}",
        language=query.language,
    )
