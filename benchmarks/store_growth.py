"""Store growth: how GET and reuse latency change as other partners' analyses pile up.

Seeding is layout-agnostic (the storage layout is being redesigned): a few real
analyses run through the pipeline for a second partner; every document of every
collection that mentions that partner or those analyses becomes a template, and each
copy of the templates (see `cloning`) is a new foreign partner with as many analyses,
bulk-inserted. The main partner's own completed analysis is then read and reused at
each size.
"""

import math
import time
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

import bson
from pymongo import MongoClient
from pymongo.database import Database
from pymongo.errors import BulkWriteError

from benchmarks.cloning import Document, DocumentCloner, mentions, owned_tokens
from dossier.runtime.collections import IDEMPOTENCY, RATE_LIMITS

DUPLICATE_KEY = 11000


@dataclass(frozen=True)
class TemplateSet:
    cloner: DocumentCloner
    analyses_per_copy: int
    documents_per_copy: Counter[str]  # collection → documents in one copy
    tokens: int
    left_out_large: Counter[str]  # collection → template documents over the size limit
    left_out_singletons: Counter[str]  # collection → template documents keyed by no token


#: Collections whose documents expire within minutes by design (rate-limit windows,
#: idempotency records): a real store holds only the live ones, so copies are not made —
#: thousands of already-expired copies would only measure the expiry sweep.
TRANSIENT = frozenset({RATE_LIMITS, IDEMPOTENCY})


def collect_templates(
    db: Database[Document], seeds: Iterable[str], analyses: int, *, max_document_bytes: int
) -> TemplateSet:
    """Read the whole store; the documents mentioning a seed are the templates."""
    needles = tuple(seeds)
    templates: list[tuple[str, Document]] = []
    others: list[Document] = []
    large: Counter[str] = Counter()
    for name in sorted(db.list_collection_names()):
        if name.startswith("system.") or name in TRANSIENT:
            continue
        for doc in db[name].find():
            if not mentions(doc, needles):
                others.append(doc)
            elif len(bson.encode(doc)) > max_document_bytes:
                large[name] += 1
            else:
                templates.append((name, doc))
    tokens = owned_tokens([doc for _, doc in templates], others) | set(needles)
    cloner = DocumentCloner(templates, tokens)
    return TemplateSet(
        cloner=cloner,
        analyses_per_copy=analyses,
        documents_per_copy=Counter(name for name, _ in cloner.recipes),
        tokens=len(tokens),
        left_out_large=large,
        left_out_singletons=Counter(name for name, _ in cloner.singletons),
    )


@dataclass
class SeedingRound:
    foreign_analyses: int  # in the store after this round
    seconds: float
    inserted: int
    duplicates: int


@dataclass
class Seeder:
    """Inserts copies of the templates until the store holds the asked-for count."""

    db: Database[Document]
    templates: TemplateSet
    batch: int = 1000
    copies: int = 0
    rounds: list[SeedingRound] = field(default_factory=list)

    @property
    def foreign_analyses(self) -> int:
        return self.copies * self.templates.analyses_per_copy

    def grow_to(self, foreign_analyses: int) -> SeedingRound:
        target = math.ceil(foreign_analyses / self.templates.analyses_per_copy)
        started = time.perf_counter()
        counts: Counter[str] = Counter()
        buffers: dict[str, list[Document]] = {}
        # One insert in flight while the next batch is built: cloning costs CPU here,
        # inserting costs it in FerretDB.
        with ThreadPoolExecutor(1) as pool:
            pending: Future[Counter[str]] | None = None

            def flush(collection: str) -> None:
                nonlocal pending
                if pending is not None:
                    counts.update(pending.result())
                pending = pool.submit(self._insert, collection, buffers.pop(collection))

            for number in range(self.copies + 1, target + 1):
                for collection, doc in self.templates.cloner.copy(number):
                    buffers.setdefault(collection, []).append(doc)
                    if len(buffers[collection]) >= self.batch:
                        flush(collection)
            for collection in list(buffers):
                flush(collection)
            if pending is not None:
                counts.update(pending.result())
        self.copies = max(self.copies, target)
        done = SeedingRound(
            self.foreign_analyses,
            time.perf_counter() - started,
            counts["inserted"],
            counts["duplicates"],
        )
        self.rounds.append(done)
        return done

    def _insert(self, collection: str, docs: list[Document]) -> Counter[str]:
        try:
            result = self.db[collection].insert_many(docs, ordered=False)
            return Counter(inserted=len(result.inserted_ids))
        except BulkWriteError as exc:
            errors = exc.details.get("writeErrors", [])
            duplicates = sum(e.get("code") == DUPLICATE_KEY for e in errors)
            if duplicates != len(errors):
                raise
            return Counter(inserted=len(docs) - duplicates, duplicates=duplicates)


def document_count(db: Database[Document]) -> int:
    return sum(db[name].estimated_document_count() for name in db.list_collection_names())


def open_store(mongo_url: str, database: str) -> tuple[MongoClient[Document], Database[Document]]:
    client: MongoClient[Document] = MongoClient(mongo_url, tz_aware=True)
    return client, client[database]
