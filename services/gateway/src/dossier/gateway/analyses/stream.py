"""One client's event stream: re-read the analysis, send what is new, close at the end.

Nothing is held between reads — no MongoDB cursor, no subscription — only the
id of the last event sent, so a stream costs one read-model read per poll and
disappears with its request: when the client goes away the server cancels the
request, which cancels the pending read or sleep here. A stream also ends after
`max_seconds` (the client reconnects with `Last-Event-ID` and loses nothing),
so no connection lives forever behind a proxy.
"""

import asyncio
import time
from collections.abc import AsyncGenerator, Awaitable, Callable
from dataclasses import dataclass

from fastapi.sse import ServerSentEvent
from prometheus_client import Gauge

from dossier.contracts.api import Analysis
from dossier.gateway.analyses.progress import EventKey, events_after, is_finished

KEEPALIVE = "keepalive"

#: Open streams in this process: back to zero when clients leave, or something leaks.
OPEN_STREAMS = Gauge("dossier_event_streams_open", "Analysis event streams being served.")


@dataclass(frozen=True)
class StreamTiming:
    poll_seconds: float = 0.5
    heartbeat_seconds: float = 15.0
    max_seconds: float = 600.0
    retry_ms: int = 3000


async def progress_stream(
    load: Callable[[], Awaitable[Analysis | None]],
    *,
    after: EventKey | None,
    timing: StreamTiming,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> AsyncGenerator[ServerSentEvent, None]:
    """The SSE messages for one connection, starting after event `after`.

    `load` returns the analysis as served now (None once it no longer exists).
    """
    OPEN_STREAMS.inc()
    try:
        yield ServerSentEvent(retry=timing.retry_ms)
        opened = quiet_since = clock()
        cursor = after
        while True:
            analysis = await load()
            if analysis is None:
                return
            for event in events_after(analysis, cursor):
                yield ServerSentEvent(id=event.id, event=event.type, data=event.payload)
                cursor = event.key
                quiet_since = clock()
            if is_finished(analysis):
                return
            now = clock()
            if now - opened >= timing.max_seconds:
                return
            if now - quiet_since >= timing.heartbeat_seconds:
                yield ServerSentEvent(comment=KEEPALIVE)
                quiet_since = now
            await sleep(timing.poll_seconds)
    finally:
        OPEN_STREAMS.dec()
