"""Timing and outcome of every lookup, reported to whoever observes (Prometheus, in services).

The sources lib stays free of a metrics library: the caller passes an `Observer`.
"""

import time
from collections.abc import Callable

from dossier.contracts.enums import SourceState
from dossier.sources.base import Source, SourceQuery, SourceResult

Observer = Callable[[str, SourceState, float], None]


class MeteredSource:
    """Wraps a source; reports (name, state, seconds) after each lookup."""

    def __init__(self, source: Source, observe: Observer) -> None:
        self._source = source
        self._observe = observe
        self.name = source.name

    async def lookup(self, query: SourceQuery) -> SourceResult:
        started = time.perf_counter()
        result = await self._source.lookup(query)
        self._observe(self.name, result.state, time.perf_counter() - started)
        return result


def metered(sources: list[Source], observe: Observer) -> list[Source]:
    return [MeteredSource(source, observe) for source in sources]
