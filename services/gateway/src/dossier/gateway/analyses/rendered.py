"""Finished analyses, rendered once per process: a poll of one is a keyed read and a lookup.

A decided analysis never changes (its view is frozen at the decision; erasure
removes it, and the read before each lookup then finds nothing). So its JSON
body and ETag can be kept, keyed by the analysis, its `updated_at` and the PDF
link served with it — the link is signed with an expiry rounded up to a minute,
so one rendering serves every poll of that minute. Analyses still running are
rendered on every poll (their estimate and signals move).
"""

from collections import OrderedDict
from dataclasses import dataclass

MAX_ENTRIES = 2048


@dataclass(frozen=True)
class Rendered:
    etag: str
    body: bytes


class RenderedAnalyses:
    """A small LRU of rendered finished analyses (per process)."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self._entries: OrderedDict[tuple[str, str, str | None], Rendered] = OrderedDict()
        self._max = max_entries

    def get(self, key: tuple[str, str, str | None]) -> Rendered | None:
        found = self._entries.get(key)
        if found is not None:
            self._entries.move_to_end(key)
        return found

    def put(self, key: tuple[str, str, str | None], rendered: Rendered) -> None:
        self._entries[key] = rendered
        self._entries.move_to_end(key)
        while len(self._entries) > self._max:
            self._entries.popitem(last=False)
