"""Recent stage durations for completion estimates: the query, and a short in-memory cache.

The timelines come from the read model's stage documents (each stage's
`started_at`; the report stage's `updated_at`, written with the report just
before completion is decided) and the analysis's `created_at`. Every gateway
replica keeps its own copy for `eta_cache_seconds`: estimates may differ
between replicas for that long, which costs at most a `200` where a `304`
would have done.
"""

import asyncio
import logging
import time
from collections.abc import Callable, Mapping
from datetime import datetime

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import PyMongoError

from dossier.contracts.enums import Stage
from dossier.gateway.analyses.eta import Timeline, typical_durations
from dossier.runtime.collections import ANALYSES, ANALYSIS_STAGES
from dossier.runtime.mongo import Document

log = logging.getLogger(__name__)


class StageTimelines:
    """Reads the timelines of the most recently completed analyses."""

    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._stages = db[ANALYSIS_STAGES]
        self._analyses = db[ANALYSES]

    async def recent(self, limit: int) -> list[Timeline]:
        reports = (
            await self._stages.find(
                {"stage": Stage.REPORT.value, "report": {"$exists": True}},
                {"analysis_id": 1, "started_at": 1, "updated_at": 1},
            )
            .sort("updated_at", -1)
            .limit(limit)
            .to_list()
        )
        ids = [d["analysis_id"] for d in reports if "analysis_id" in d]
        if not ids:
            return []
        earlier: dict[tuple[str, str], datetime] = {}
        async for doc in self._stages.find(
            {
                "analysis_id": {"$in": ids},
                "stage": {"$in": [Stage.IDENTITY.value, Stage.ENRICHMENT.value]},
            },
            {"analysis_id": 1, "stage": 1, "started_at": 1},
        ):
            if doc.get("started_at") is not None:
                earlier[(doc["analysis_id"], doc["stage"])] = doc["started_at"]
        created = {
            d["_id"]: d["created_at"]
            async for d in self._analyses.find({"_id": {"$in": ids}}, {"created_at": 1})
        }
        return [
            Timeline(
                created_at=created[report["analysis_id"]],
                identity_started_at=earlier.get((report["analysis_id"], Stage.IDENTITY.value)),
                enrichment_started_at=earlier.get((report["analysis_id"], Stage.ENRICHMENT.value)),
                report_started_at=report.get("started_at"),
                finished_at=report.get("updated_at"),
            )
            for report in reports
            if report["analysis_id"] in created
        ]


class TypicalDurations:
    """Median phase durations, recomputed at most every `ttl_seconds` per process."""

    def __init__(
        self,
        timelines: StageTimelines,
        *,
        history: int,
        ttl_seconds: float,
        defaults: Mapping[str, float],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._timelines, self._history, self._ttl = timelines, history, ttl_seconds
        self._defaults = dict(defaults)
        self._clock = clock
        self._lock = asyncio.Lock()
        self._value: dict[str, float] | None = None
        self._expires = 0.0

    async def get(self) -> dict[str, float]:
        if self._value is not None and self._clock() < self._expires:
            return self._value
        async with self._lock:  # one refresh at a time; the others wait and reuse it
            if self._value is not None and self._clock() < self._expires:
                return self._value
            self._value = await self._compute()
            self._expires = self._clock() + self._ttl
            return self._value

    async def _compute(self) -> dict[str, float]:
        try:
            recent = await self._timelines.recent(self._history)
        except PyMongoError:
            # An estimate is a courtesy: keep the last one (or the defaults) rather than fail GET.
            log.warning("could not read recent stage durations", exc_info=True)
            return self._value or typical_durations([], self._defaults)
        return typical_durations(recent, self._defaults)
