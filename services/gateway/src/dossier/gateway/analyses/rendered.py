"""Finished analyses, rendered once per process: a poll of one is an existence check and a lookup.

A decided analysis never changes (its view is frozen at the decision; erasure
removes it). So its JSON body and ETag can be kept, with whose it is and the PDF
link served with it — the link is signed with an expiry rounded up to a minute,
so one rendering serves every poll of that minute. A poll that finds a rendering
here needs only to know the analysis still exists: one keyed read of its small
`analyses` document instead of the whole finished analysis (FerretDB's cost grows
with the size of what it decodes). Analyses still running are rendered on every
poll (their estimate and signals move).
"""

from collections import OrderedDict
from dataclasses import dataclass

MAX_ENTRIES = 2048


@dataclass(frozen=True)
class Rendered:
    etag: str
    body: bytes


@dataclass(frozen=True)
class FinishedRendering:
    """A finished analysis as served, and whose it is (checked before it is served)."""

    partner_id: str
    environment: str
    pdf_url: str | None
    rendered: Rendered
    revision: int = 0  # the report's rewrites after feedback when rendered


class RenderedAnalyses:
    """A small LRU of rendered finished analyses (per process), by analysis id."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self._entries: OrderedDict[str, FinishedRendering] = OrderedDict()
        self._max = max_entries

    def get(self, analysis_id: str) -> FinishedRendering | None:
        found = self._entries.get(analysis_id)
        if found is not None:
            self._entries.move_to_end(analysis_id)
        return found

    def put(self, analysis_id: str, rendering: FinishedRendering) -> None:
        self._entries[analysis_id] = rendering
        self._entries.move_to_end(analysis_id)
        while len(self._entries) > self._max:
            self._entries.popitem(last=False)

    def forget(self, analysis_id: str) -> None:
        self._entries.pop(analysis_id, None)
