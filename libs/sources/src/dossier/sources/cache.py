"""A cache of source answers, so a candidate looked up twice costs one provider call.

Keys start with a hash of the candidate's normalised name
(`<candidate_key>:<source>:<query digest>`), so erasing one person's data is one
`delete_matching(candidate_key(name))`. Expiry is a stored timestamp checked on
read; on MongoDB a TTL index removes expired entries (`dossier.runtime.indexes`).
FerretDB has no TTL indexes: there an expired entry stays until it is replaced or
erased, or `purge_expired()` runs (nothing schedules it yet).

Only `checked` answers are cached: an unavailable or failed source is asked again
next time, when it may have recovered.
"""

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Callable
from typing import Any, Protocol

from pymongo.asynchronous.collection import AsyncCollection

from dossier.contracts.enums import SourceState
from dossier.sources.base import Source, SourceQuery, SourceResult
from dossier.sources.names import fold_words

log = logging.getLogger(__name__)

Document = dict[str, Any]
Now = Callable[[], dt.datetime]

#: Bump when the cached value's shape changes, so old entries stop matching.
#: v2: statements localized; identity verdicts in the query. v3: `for_identity` in the query
#: (identity-stage GitHub answers state evidence about every profile whose name matches).
CACHE_SCHEMA = "v3"


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class SourceCache(Protocol):
    async def get(self, key: str) -> dict[str, Any] | None: ...

    async def put(self, key: str, value: dict[str, Any], ttl: float) -> None: ...


class ErasableSourceCache(SourceCache, Protocol):
    """A cache that can also forget: expired entries, or everything about one candidate."""

    async def purge_expired(self) -> int: ...

    async def delete_matching(self, candidate: str) -> int: ...


def candidate_key(full_name: str) -> str:
    """A short hash of the normalised name: stable across spellings of case and accents."""
    return hashlib.sha256(fold_words(full_name).encode()).hexdigest()[:20]


def _normalised(value: Any) -> Any:
    """Case- and accent-folded strings; lists sorted (order never changes the question)."""
    if isinstance(value, str):
        return fold_words(value)
    if isinstance(value, list):
        return sorted((_normalised(v) for v in value), key=json.dumps)
    if isinstance(value, dict):
        return {k: _normalised(v) for k, v in value.items()}
    return value


def query_digest(query: SourceQuery) -> str:
    """A hash of every field of the query, normalised, so equal questions share an entry."""
    encoded = json.dumps(_normalised(query.model_dump(mode="json")), sort_keys=True)
    return hashlib.sha256(encoded.encode()).hexdigest()[:24]


def cache_key(source: str, query: SourceQuery) -> str:
    return f"{candidate_key(query.full_name)}:{source}:{CACHE_SCHEMA}:{query_digest(query)}"


def _as_utc(value: dt.datetime) -> dt.datetime:
    """Clients without `tz_aware` hand back naive UTC datetimes."""
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


class MongoSourceCache:
    """Entries `{_id: key, candidate, value, expires_at}` in one collection."""

    def __init__(self, collection: AsyncCollection[Document], *, now: Now = utcnow) -> None:
        self._collection = collection
        self._now = now

    async def get(self, key: str) -> dict[str, Any] | None:
        document = await self._collection.find_one({"_id": key})
        if document is None:
            return None
        expires_at = document.get("expires_at")
        if not isinstance(expires_at, dt.datetime) or _as_utc(expires_at) <= self._now():
            return None
        value = document.get("value")
        return value if isinstance(value, dict) else None

    async def put(self, key: str, value: dict[str, Any], ttl: float) -> None:
        expires_at = self._now() + dt.timedelta(seconds=ttl)
        await self._collection.replace_one(
            {"_id": key},
            {"candidate": key.split(":", 1)[0], "value": value, "expires_at": expires_at},
            upsert=True,
        )

    async def purge_expired(self) -> int:
        result = await self._collection.delete_many({"expires_at": {"$lte": self._now()}})
        return result.deleted_count

    async def delete_matching(self, candidate: str) -> int:
        """Forget every entry about one candidate (`candidate_key(name)`)."""
        result = await self._collection.delete_many({"candidate": candidate})
        return result.deleted_count


class InMemorySourceCache:
    """The same behaviour in a dict, for tests and for running without MongoDB."""

    def __init__(self, *, now: Now = utcnow) -> None:
        self._entries: dict[str, tuple[dict[str, Any], dt.datetime]] = {}
        self._now = now

    async def get(self, key: str) -> dict[str, Any] | None:
        entry = self._entries.get(key)
        if entry is None or entry[1] <= self._now():
            return None
        return entry[0]

    async def put(self, key: str, value: dict[str, Any], ttl: float) -> None:
        self._entries[key] = (value, self._now() + dt.timedelta(seconds=ttl))

    async def purge_expired(self) -> int:
        now = self._now()
        expired = [key for key, (_, expires_at) in self._entries.items() if expires_at <= now]
        for key in expired:
            del self._entries[key]
        return len(expired)

    async def delete_matching(self, candidate: str) -> int:
        doomed = [key for key in self._entries if key.split(":", 1)[0] == candidate]
        for key in doomed:
            del self._entries[key]
        return len(doomed)


class CachedSource:
    """A source whose successful answers are remembered for `ttl_seconds`.

    A cache that is down never fails a lookup: the source is asked as if nothing
    were cached, and the failure is logged.
    """

    def __init__(
        self,
        source: Source,
        cache: SourceCache,
        *,
        ttl_seconds: float,
        timeout_seconds: float | None = None,
    ) -> None:
        self.inner = source
        self.name = source.name
        self._cache = cache
        self._ttl = ttl_seconds
        self.timeout_seconds = timeout_seconds or getattr(source, "timeout_seconds", None)

    async def lookup(self, query: SourceQuery) -> SourceResult:
        key = cache_key(self.name, query)
        try:
            cached = await self._cache.get(key)
        except Exception:
            log.warning("source cache read failed", exc_info=True, extra={"source": self.name})
            cached = None
        if cached is not None:
            try:
                return SourceResult.model_validate(cached)
            except ValueError:
                log.warning("source cache entry unreadable", extra={"source": self.name})
        result = await self.inner.lookup(query)
        if result.state is SourceState.CHECKED:
            try:
                await self._cache.put(key, result.model_dump(mode="json"), self._ttl)
            except Exception:
                log.warning("source cache write failed", exc_info=True, extra={"source": self.name})
        return result
