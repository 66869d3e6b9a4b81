"""Typical phase durations for completion estimates, kept briefly in memory.

The samples come from the stages' timing rings (`dossier.runtime.stage_timings`:
a fixed number of keyed reads, whatever the store holds). Every gateway replica
keeps its own copy for `eta_cache_seconds`: estimates may differ between
replicas for that long, which costs at most a `200` where a `304` would have
done.
"""

import asyncio
import logging
import time
from collections.abc import Callable, Mapping

from pymongo.errors import PyMongoError

from dossier.gateway.analyses.eta import typical_of
from dossier.runtime.stage_timings import StageTimings

log = logging.getLogger(__name__)


class TypicalDurations:
    """Median phase durations, recomputed at most every `ttl_seconds` per process."""

    def __init__(
        self,
        timings: StageTimings,
        *,
        ttl_seconds: float,
        defaults: Mapping[str, float],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._timings, self._ttl = timings, ttl_seconds
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
            samples = await self._timings.recent()
        except PyMongoError:
            # An estimate is a courtesy: keep the last one (or the defaults) rather than fail GET.
            log.warning("could not read recent stage durations", exc_info=True)
            return self._value or typical_of({}, self._defaults)
        return typical_of(samples, self._defaults)
