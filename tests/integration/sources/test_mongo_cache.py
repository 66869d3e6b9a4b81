"""The source cache against a real MongoDB-protocol server (FerretDB in CI)."""

import datetime as dt
from typing import Any

import pytest

from dossier.contracts.enums import Reliability, SourceState, SourceType
from dossier.sources.base import SourceQuery, SourceResult, make_signal
from dossier.sources.cache import CachedSource, MongoSourceCache, cache_key, candidate_key

pytestmark = pytest.mark.integration

START = dt.datetime(2025, 1, 1, 12, 0, tzinfo=dt.UTC)
JANE = SourceQuery(full_name="Jane Doe", company="Acme", location="London, UK")
JOHN = SourceQuery(full_name="John Roe")


class ManualTime:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> dt.datetime:
        return self.now


class CountingSource:
    name = "github"

    def __init__(self) -> None:
        self.calls = 0

    async def lookup(self, query: SourceQuery) -> SourceResult:
        self.calls += 1
        signal = make_signal(
            source="github",
            source_type=SourceType.GITHUB,
            statement=f"GitHub profile found for {query.full_name}.",
            reliability=Reliability.LOW,
            url="https://github.com/octo-jane",
        )
        return SourceResult.checked("github", signals=[signal], detail="1 profile")


async def test_a_stored_entry_is_read_back_until_it_expires(mongo_db: Any) -> None:
    time = ManualTime()
    cache = MongoSourceCache(mongo_db["source_cache"], now=time)
    await cache.put("k1", {"check": {"name": "github"}, "n": 1}, ttl=60)
    assert await cache.get("k1") == {"check": {"name": "github"}, "n": 1}
    time.now = START + dt.timedelta(seconds=61)
    assert await cache.get("k1") is None


async def test_entries_are_stored_with_key_value_and_expiry(mongo_db: Any) -> None:
    cache = MongoSourceCache(mongo_db["source_cache"], now=ManualTime())
    key = cache_key("github", JANE)
    await cache.put(key, {"a": 1}, ttl=3600)
    document = await mongo_db["source_cache"].find_one({"_id": key})
    assert document["value"] == {"a": 1}
    assert document["candidate"] == candidate_key("Jane Doe")
    expires_at = document["expires_at"]
    if expires_at.tzinfo is None:
        expires_at = expires_at.replace(tzinfo=dt.UTC)
    assert expires_at == START + dt.timedelta(hours=1)


async def test_putting_again_replaces_the_entry(mongo_db: Any) -> None:
    cache = MongoSourceCache(mongo_db["source_cache"], now=ManualTime())
    await cache.put("k", {"v": 1}, ttl=60)
    await cache.put("k", {"v": 2}, ttl=60)
    assert await cache.get("k") == {"v": 2}
    assert await mongo_db["source_cache"].count_documents({}) == 1


async def test_purge_deletes_only_expired_entries(mongo_db: Any) -> None:
    time = ManualTime()
    cache = MongoSourceCache(mongo_db["source_cache"], now=time)
    await cache.put("short", {"v": 1}, ttl=10)
    await cache.put("long", {"v": 2}, ttl=10_000)
    time.now = START + dt.timedelta(seconds=30)
    assert await cache.purge_expired() == 1
    assert await cache.get("long") == {"v": 2}
    assert await mongo_db["source_cache"].count_documents({}) == 1


async def test_delete_matching_erases_every_entry_about_one_candidate(mongo_db: Any) -> None:
    cache = MongoSourceCache(mongo_db["source_cache"], now=ManualTime())
    await cache.put(cache_key("github", JANE), {"v": 1}, ttl=60)
    await cache.put(cache_key("orcid", JANE), {"v": 2}, ttl=60)
    await cache.put(cache_key("github", JOHN), {"v": 3}, ttl=60)
    assert await cache.delete_matching(candidate_key("  JANE doe ")) == 2
    assert await cache.get(cache_key("github", JANE)) is None
    assert await cache.get(cache_key("github", JOHN)) == {"v": 3}


async def test_a_cached_source_answers_the_second_time_from_mongo(mongo_db: Any) -> None:
    inner = CountingSource()
    cache = MongoSourceCache(mongo_db["source_cache"])
    first = await CachedSource(inner, cache, ttl_seconds=600).lookup(JANE)
    # A fresh wrapper, as another process (identity, then enrichment) would have.
    second = await CachedSource(inner, cache, ttl_seconds=600).lookup(JANE)
    assert inner.calls == 1
    assert second.state is SourceState.CHECKED
    assert second == first
