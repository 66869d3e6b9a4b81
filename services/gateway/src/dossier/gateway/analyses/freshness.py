"""Whether a completed report may answer a create request instead of a new run (pure).

Reuse is the default and free. A request may narrow it: `max_age_days` accepts only a
report generated less than that many days ago; `refresh` accepts none. A report that is
not acceptable is replaced by a new analysis, the next generation of the reuse key,
billed like any new report.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from dossier.runtime.mongo import Document


@dataclass(frozen=True)
class Freshness:
    """What one create request accepts in place of a new analysis."""

    max_age_days: int | None = None
    refresh: bool = False

    def accepts(self, completed: Document, *, now: datetime) -> bool:
        """Whether this completed analysis may be returned (reused) for the request."""
        if self.refresh:
            return False
        if self.max_age_days is None:
            return True
        generated = generated_at(completed)
        return generated is None or now - generated < timedelta(days=self.max_age_days)


def generated_at(completed: Document) -> datetime | None:
    """When the report was written: its `metadata.generated_at`, else when the analysis
    was decided (`updated_at`)."""
    metadata = completed.get("metadata") or {}
    stamp = metadata.get("generated_at") or completed.get("updated_at")
    return stamp if isinstance(stamp, datetime) else None
