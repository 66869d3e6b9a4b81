"""Cache keys, the in-memory cache and the caching wrapper around a source."""

import datetime as dt

from dossier.contracts.enums import Language, Reliability, SourceState, SourceType
from dossier.sources.base import SourceQuery, SourceResult, make_signal
from dossier.sources.cache import (
    CachedSource,
    InMemorySourceCache,
    cache_key,
    candidate_key,
    query_digest,
)

START = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


class ManualTime:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> dt.datetime:
        return self.now


class CountingSource:
    """A source that answers from a script and counts how often it was asked."""

    def __init__(self, *results: SourceResult) -> None:
        self.name = "counting"
        self.calls = 0
        self._results = list(results)

    async def lookup(self, query: SourceQuery) -> SourceResult:
        self.calls += 1
        return self._results[min(self.calls, len(self._results)) - 1]


class BrokenCache:
    async def get(self, key: str) -> dict | None:
        raise ConnectionError("cache down")

    async def put(self, key: str, value: dict, ttl: float) -> None:
        raise ConnectionError("cache down")


def _checked() -> SourceResult:
    signal = make_signal(
        source="counting",
        source_type=SourceType.WEB,
        statement="A page names Jane Doe.",
        reliability=Reliability.LOW,
        url="https://example.org/jane",
    )
    return SourceResult.checked("counting", signals=[signal], detail="1 result")


def test_candidate_key_ignores_case_accents_and_spacing() -> None:
    assert candidate_key("  Zoë   Martín ") == candidate_key("ZOE MARTIN")
    assert candidate_key("Zoe Martin") != candidate_key("Zoe Martins")


def test_query_digest_ignores_case_and_list_order_but_not_content(jane) -> None:
    shuffled = jane.model_copy(
        update={"employers": ("doe consulting", "ACME"), "full_name": "jane doe"}
    )
    assert query_digest(shuffled) == query_digest(jane)
    assert query_digest(jane.model_copy(update={"location": "Paris"})) != query_digest(jane)
    assert query_digest(jane.model_copy(update={"language": Language.DE})) != query_digest(jane)


def test_cache_key_starts_with_the_candidate_so_erasure_can_find_it(jane) -> None:
    key = cache_key("github", jane)
    assert key.startswith(candidate_key("Jane Doe") + ":github:")


async def test_an_entry_is_returned_until_it_expires() -> None:
    time = ManualTime()
    cache = InMemorySourceCache(now=time)
    await cache.put("k", {"a": 1}, ttl=60)
    time.now = START + dt.timedelta(seconds=59)
    assert await cache.get("k") == {"a": 1}
    time.now = START + dt.timedelta(seconds=60)
    assert await cache.get("k") is None


async def test_purge_removes_only_expired_entries() -> None:
    time = ManualTime()
    cache = InMemorySourceCache(now=time)
    await cache.put("short", {"a": 1}, ttl=10)
    await cache.put("long", {"b": 2}, ttl=1000)
    time.now = START + dt.timedelta(seconds=11)
    assert await cache.purge_expired() == 1
    assert await cache.get("long") == {"b": 2}


async def test_delete_matching_erases_one_candidate_only(jane) -> None:
    cache = InMemorySourceCache()
    other = SourceQuery(full_name="John Roe")
    await cache.put(cache_key("github", jane), {"x": 1}, ttl=60)
    await cache.put(cache_key("orcid", jane), {"x": 2}, ttl=60)
    await cache.put(cache_key("github", other), {"x": 3}, ttl=60)
    assert await cache.delete_matching(candidate_key("Jane Doe")) == 2
    assert await cache.get(cache_key("github", other)) == {"x": 3}


async def test_a_second_lookup_is_answered_from_the_cache(jane) -> None:
    inner = CountingSource(_checked())
    cached = CachedSource(inner, InMemorySourceCache(), ttl_seconds=3600)
    first = await cached.lookup(jane)
    second = await cached.lookup(jane)
    assert inner.calls == 1
    assert second == first
    assert second.signals[0].id == first.signals[0].id


async def test_failed_or_unavailable_answers_are_not_cached(jane) -> None:
    inner = CountingSource(SourceResult.unavailable("counting", "rate limited"), _checked())
    cached = CachedSource(inner, InMemorySourceCache(), ttl_seconds=3600)
    first = await cached.lookup(jane)
    second = await cached.lookup(jane)
    assert first.state is SourceState.UNAVAILABLE
    assert second.state is SourceState.CHECKED
    assert inner.calls == 2


async def test_a_different_query_is_not_served_someone_elses_answer(jane) -> None:
    inner = CountingSource(_checked())
    cached = CachedSource(inner, InMemorySourceCache(), ttl_seconds=3600)
    await cached.lookup(jane)
    await cached.lookup(SourceQuery(full_name="John Roe"))
    assert inner.calls == 2


async def test_a_broken_cache_does_not_fail_the_lookup(jane) -> None:
    inner = CountingSource(_checked())
    result = await CachedSource(inner, BrokenCache(), ttl_seconds=60).lookup(jane)
    assert result.state is SourceState.CHECKED
    assert inner.calls == 1


async def test_an_unreadable_entry_is_ignored_and_replaced(jane) -> None:
    cache = InMemorySourceCache()
    await cache.put(cache_key("counting", jane), {"check": "garbage"}, ttl=60)
    inner = CountingSource(_checked())
    result = await CachedSource(inner, cache, ttl_seconds=60).lookup(jane)
    assert result.state is SourceState.CHECKED
    assert await cache.get(cache_key("counting", jane)) == result.model_dump(mode="json")


def test_identity_verdicts_are_part_of_the_question_in_any_order() -> None:
    base = SourceQuery(full_name="Jane Doe")
    one = base.model_copy(
        update={"profile_verdicts": (("github", "a", "match"), ("github", "b", "homonym"))}
    )
    same = base.model_copy(
        update={"profile_verdicts": (("github", "B", "homonym"), ("github", "a", "match"))}
    )
    assert query_digest(one) == query_digest(same)
    assert query_digest(one) != query_digest(base)
