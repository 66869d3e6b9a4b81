"""How long each phase of a run took recently: the input of completion estimates.

Each stage records its own phase for a sample of analyses (one in
`SAMPLE_EVERY`, chosen by the analysis id) into a ring of `RING_SIZE` documents
per phase, `_id` = `<phase>:<slot>`. A record is a blind replace by `_id` — no
read, no filter, no sort — so two replicas writing one slot at once both leave
a valid sample (the last one wins), and the gateway reads a phase's ring with
`RING_SIZE` keyed reads. Nothing grows with the number of analyses.

Phases: `queued` (accepted → identity starts, recorded by identity),
`identity`, `enrichment` and `report` (each stage's own time, from entering
the stage to handing over).
"""

import asyncio
import hashlib
from collections.abc import Iterable
from datetime import datetime

from pymongo.asynchronous.database import AsyncDatabase

from dossier.contracts.timestamps import utcnow
from dossier.runtime.collections import STAGE_TIMINGS
from dossier.runtime.mongo import Document

PHASES = ("queued", "identity", "enrichment", "report")
RING_SIZE = 16
SAMPLE_EVERY = 4


def sample_slot(analysis_id: str) -> int | None:
    """The ring slot this analysis writes, or None when it is not sampled (pure)."""
    digest = int.from_bytes(hashlib.blake2b(analysis_id.encode(), digest_size=8).digest())
    if digest % SAMPLE_EVERY:
        return None
    return (digest // SAMPLE_EVERY) % RING_SIZE


class StageTimings:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._ring = db[STAGE_TIMINGS]

    async def record(self, analysis_id: str, durations: dict[str, float]) -> None:
        """Record this analysis's phase durations (seconds) if it is sampled."""
        slot = sample_slot(analysis_id)
        if slot is None:
            return
        now = utcnow()
        await asyncio.gather(
            *(
                self._ring.replace_one(
                    {"_id": f"{phase}:{slot}"},
                    {"phase": phase, "seconds": max(seconds, 0.0), "at": now},
                    upsert=True,
                )
                for phase, seconds in durations.items()
            )
        )

    async def recent(self, phases: Iterable[str] = PHASES) -> dict[str, list[float]]:
        """Every recorded sample of each phase (at most `RING_SIZE` each)."""
        ids = [(phase, f"{phase}:{slot}") for phase in phases for slot in range(RING_SIZE)]
        found = await asyncio.gather(*(self._ring.find_one({"_id": i}) for _, i in ids))
        samples: dict[str, list[float]] = {phase: [] for phase, _ in ids}
        for (phase, _), doc in zip(ids, found, strict=True):
            if doc is not None:
                samples[phase].append(float(doc["seconds"]))
        return samples


def seconds_since(start: datetime, end: datetime | None = None) -> float:
    return ((end or utcnow()) - start).total_seconds()
