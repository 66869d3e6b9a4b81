"""An analysis followed live: each look re-reads only the documents that can still change.

An analysis moves through identity → enrichment → report → outcome, and each
stage's document is written by that stage alone. While it is in one stage, only
that stage's document, the next stage's (when it starts) and the outcome can
change; the accepted request and earlier stages cannot. So a look at an analysis
in the report stage is one keyed read (its outcome), not five. Erasure deletes
every document of the analysis: a stage document that vanishes, or the accepted
document missing at a periodic existence check, ends the view.
"""

import asyncio
import time
from collections.abc import Callable

from dossier.contracts.enums import Stage
from dossier.runtime.mongo import Document
from dossier.runtime.read_model import STAGE_ORDER, AnalysisReadModel, assemble, stage_doc_id


def changing_stages(started: list[str]) -> tuple[Stage, ...]:
    """The stages whose documents can still change, given those already started (pure)."""
    current = max((STAGE_ORDER.index(Stage(s)) for s in started), default=0)
    return STAGE_ORDER[current : current + 2]


class LiveAnalysis:
    """One analysis as a client following it sees it, for one stream."""

    def __init__(
        self,
        read_model: AnalysisReadModel,
        analysis_id: str,
        *,
        exists_every_seconds: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._read_model, self._id = read_model, analysis_id
        self._accepted: Document | None = None
        self._stages: dict[str, Document] = {}
        self._exists_every, self._clock = exists_every_seconds, clock
        self._checked_at = 0.0

    async def look(self) -> Document | None:
        """The analysis as served now (None once it no longer exists)."""
        first = self._accepted is None
        watched = STAGE_ORDER if first else changing_stages(list(self._stages))
        check = first or self._clock() - self._checked_at >= self._exists_every
        outcome, accepted, *found = await asyncio.gather(
            self._read_model.outcomes.find_one({"_id": self._id}),
            self._accepted_now(check=check),
            *(
                self._read_model.stages.find_one({"_id": stage_doc_id(self._id, s)})
                for s in watched
            ),
        )
        if check:
            self._checked_at = self._clock()
        if accepted is None:
            return None
        self._accepted = accepted
        if outcome is not None and "analysis" in outcome:
            return assemble(outcome["analysis"], outcome["stages"], outcome)
        for stage, doc in zip(watched, found, strict=True):
            if doc is not None:
                self._stages[stage.value] = doc
            elif stage.value in self._stages:
                return None  # a stage document it had is gone: erased
        return assemble(accepted, self._stages, outcome)

    async def _accepted_now(self, *, check: bool) -> Document | None:
        """The accepted request: read once, then only checked to still exist, now and then."""
        if self._accepted is None:
            return await self._read_model.accepted(self._id)
        if check and not await self._read_model.exists(self._id):
            return None
        return self._accepted
