"""The progress events of an analysis, derived from its state alone (pure).

Why ids come from the state, not from a connection: an event stream may be
served by any gateway replica, and a client that reconnects (`Last-Event-ID`)
usually reaches another one. No replica remembers what it sent, so an event's
id must be something every replica computes identically from the read model.

What makes that possible is that the read model only ever grows, in the
pipeline's order:

- stages start in a fixed order (identity → enrichment → report → done) and a
  started stage never un-starts;
- the quick signal is written by identity before it announces the analysis to
  enrichment, so it always exists before enrichment starts;
- signals are appended, never reordered or removed (`$push` guarded by the
  signal id), and only while enrichment runs, i.e. before the report stage
  starts;
- the terminal outcome is decided once and last.

So each event gets a position key `(phase, n)` — `(1, 0)` identity started,
`(1, 1)` the quick signal, `(2, 0)` enrichment started, `(2, 1 + i)` signal
number `i`, `(3, 0)` report, `(4, 0)` done, `(5, 0)` the outcome — and the
events of any later state sort, by key, into an extension of the events of any
earlier state. The wire id is the key written `phase.n` ("2.3"). Resuming after
id `k` means sending every event whose key is greater than `k`: nothing seen is
repeated, nothing unseen is skipped, whichever replica answers.

Reviewer feedback is the one thing after the outcome: while a report is rewritten the
analysis is `processing` again (no outcome event), and each finished rewrite adds
`(6, revision)`, an `analysis.updated` event with the resource — a client resuming
after `5.0` gets the latest rewrite.

The one case the pipeline does not order: a redelivered enrichment message
finding a new signal after the report stage started. Connected clients miss
that late signal as an event (its key sorts before what they saw), but the
terminal event's resource carries it, so nobody loses evidence.
"""

import re
from dataclasses import dataclass

from dossier.contracts.api import Analysis
from dossier.contracts.enums import AnalysisStatus, Stage
from dossier.contracts.progress import (
    AnalysisEnded,
    AnalysisRevised,
    ProgressEventBase,
    QuickSignalArrived,
    SignalArrived,
    StageChanged,
)

EventKey = tuple[int, int]

#: Stages in pipeline order; a stage's phase is its position + 1.
STAGE_PHASES = (Stage.IDENTITY, Stage.ENRICHMENT, Stage.REPORT, Stage.DONE)
OUTCOME_PHASE = len(STAGE_PHASES) + 1
REVISION_PHASE = OUTCOME_PHASE + 1
_QUICK_SIGNAL_PHASE = STAGE_PHASES.index(Stage.IDENTITY) + 1
_SIGNAL_PHASE = STAGE_PHASES.index(Stage.ENRICHMENT) + 1
_EVENT_ID = re.compile(r"^([0-9]{1,3})\.([0-9]{1,9})$")


class InvalidEventIdError(ValueError):
    """A `Last-Event-ID` this API never issued."""


@dataclass(frozen=True)
class KeyedEvent:
    key: EventKey
    payload: ProgressEventBase

    @property
    def id(self) -> str:
        return self.payload.id

    @property
    def type(self) -> str:
        return str(getattr(self.payload, "type", ""))


def event_id(key: EventKey) -> str:
    return f"{key[0]}.{key[1]}"


def parse_event_id(raw: str) -> EventKey:
    """`"2.3"` → `(2, 3)`; anything else raises `InvalidEventIdError`."""
    match = _EVENT_ID.match(raw.strip())
    if match is None:
        msg = f"not an event id of this stream: {raw[:40]!r}"
        raise InvalidEventIdError(msg)
    return int(match.group(1)), int(match.group(2))


def progress_events(analysis: Analysis) -> list[KeyedEvent]:
    """Every event the analysis has produced so far, in canonical order."""
    aid = analysis.id
    events: list[KeyedEvent] = []

    def add(key: EventKey, payload: ProgressEventBase) -> None:
        events.append(KeyedEvent(key, payload))

    reached = STAGE_PHASES.index(analysis.stage) if analysis.stage in STAGE_PHASES else -1
    for position, stage in enumerate(STAGE_PHASES[: reached + 1]):
        key = (position + 1, 0)
        add(key, StageChanged(id=event_id(key), analysis_id=aid, stage=stage))
    if analysis.quick_signal is not None:
        key = (_QUICK_SIGNAL_PHASE, 1)
        add(
            key,
            QuickSignalArrived(
                id=event_id(key), analysis_id=aid, quick_signal=analysis.quick_signal
            ),
        )
    for index, signal in enumerate(analysis.signals):
        key = (_SIGNAL_PHASE, 1 + index)
        add(key, SignalArrived(id=event_id(key), analysis_id=aid, index=index, signal=signal))
    if analysis.status.is_terminal:
        key = (OUTCOME_PHASE, 0)
        add(
            key,
            AnalysisEnded(
                id=event_id(key), analysis_id=aid, type=analysis.status.value, analysis=analysis
            ),
        )
    if analysis.status is AnalysisStatus.COMPLETED and analysis.revision > 0:
        # The report rewritten after feedback: the latest rewrite, after the outcome.
        key = (REVISION_PHASE, analysis.revision)
        add(
            key,
            AnalysisRevised(
                id=event_id(key), analysis_id=aid, revision=analysis.revision, analysis=analysis
            ),
        )
    events.sort(key=lambda e: e.key)
    return events


def events_after(analysis: Analysis, after: EventKey | None) -> list[KeyedEvent]:
    """The events a client that last saw `after` has not seen yet (all of them if None)."""
    events = progress_events(analysis)
    if after is None:
        return events
    return [e for e in events if e.key > after]


def is_finished(analysis: Analysis) -> bool:
    return AnalysisStatus(analysis.status).is_terminal
