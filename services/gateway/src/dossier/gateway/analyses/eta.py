"""When will a running analysis finish? Estimated from recent stage durations (pure).

An analysis passes four phases: waiting in the queue (created → identity
starts), identity, enrichment and report (→ completion). Each phase's typical
duration is the median over recently completed analyses — the median, because
one slow source or a cold start must not move every estimate. Phases with too
little history fall back to configured defaults.

The estimate is the expected end of the current phase (its start plus its
typical duration) plus the typical durations of the phases after it. A phase
that already runs longer than usual is assumed to end now, so the estimate
never lies in the past. The result is rounded up to a few seconds: estimates
then stay put between polls unless something really changed, which keeps the
resource's ETag (and `304 Not Modified`) useful while an analysis runs.
"""

import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from dossier.contracts.enums import Stage

QUEUED = "queued"
#: The phases of a run, in order; stage phases carry their stage's name.
PHASES = (QUEUED, Stage.IDENTITY.value, Stage.ENRICHMENT.value, Stage.REPORT.value)

#: Used for any phase without enough history (and no configured default).
DEFAULT_PHASE_SECONDS: Mapping[str, float] = {
    QUEUED: 2.0,
    Stage.IDENTITY.value: 5.0,
    Stage.ENRICHMENT.value: 30.0,
    Stage.REPORT.value: 10.0,
}


@dataclass(frozen=True)
class Timeline:
    """When one completed analysis crossed each phase boundary (None: not recorded)."""

    created_at: datetime
    identity_started_at: datetime | None = None
    enrichment_started_at: datetime | None = None
    report_started_at: datetime | None = None
    finished_at: datetime | None = None

    def phase_durations(self) -> dict[str, float]:
        """Seconds spent in each phase whose both ends are known (clock skew → dropped)."""
        bounds = (
            self.created_at,
            self.identity_started_at,
            self.enrichment_started_at,
            self.report_started_at,
            self.finished_at,
        )
        durations: dict[str, float] = {}
        for phase, start, end in zip(PHASES, bounds, bounds[1:], strict=False):
            if start is None or end is None:
                continue
            seconds = (end - start).total_seconds()
            if seconds >= 0:
                durations[phase] = seconds
        return durations


def typical_durations(
    timelines: Iterable[Timeline],
    defaults: Mapping[str, float] | None = None,
    *,
    min_samples: int = 3,
) -> dict[str, float]:
    """The median duration of each phase over whole timelines (see `typical_of`)."""
    samples: dict[str, list[float]] = {phase: [] for phase in PHASES}
    for timeline in timelines:
        for phase, seconds in timeline.phase_durations().items():
            samples[phase].append(seconds)
    return typical_of(samples, defaults, min_samples=min_samples)


def typical_of(
    samples: Mapping[str, Sequence[float]],
    defaults: Mapping[str, float] | None = None,
    *,
    min_samples: int = 3,
) -> dict[str, float]:
    """The median of each phase's samples, or its default with fewer than `min_samples`."""
    fallback = {**DEFAULT_PHASE_SECONDS, **(defaults or {})}
    result = {}
    for phase in PHASES:
        values = samples.get(phase, ())
        enough = len(values) >= max(min_samples, 1)
        result[phase] = statistics.median(values) if enough else fallback[phase]
    return result


def round_up(moment: datetime, step_seconds: float) -> datetime:
    """`moment` rounded up to a multiple of `step_seconds` since the epoch (UTC)."""
    if step_seconds <= 0:
        return moment
    stamp = moment.timestamp()
    return datetime.fromtimestamp(math.ceil(stamp / step_seconds) * step_seconds, UTC)


def estimate_completion(
    *,
    now: datetime,
    stage: Stage | None,
    phase_started_at: datetime,
    durations: Mapping[str, float],
    granularity_seconds: float = 5.0,
) -> datetime | None:
    """When the analysis should complete, or None when no phase remains.

    `stage` is the analysis's current stage (None while queued) and
    `phase_started_at` when it entered it (its creation while queued).
    """
    phase = QUEUED if stage is None else stage.value
    if phase not in PHASES:
        return None
    typical = {**DEFAULT_PHASE_SECONDS, **durations}
    position = PHASES.index(phase)
    current_ends = max(phase_started_at + timedelta(seconds=typical[phase]), now)
    later = sum(typical[p] for p in PHASES[position + 1 :])
    return round_up(current_ends + timedelta(seconds=later), granularity_seconds)
