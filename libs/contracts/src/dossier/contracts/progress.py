"""Live progress: the events of `GET /api/v1/analyses/{id}/events` (Server-Sent Events).

Each SSE message carries `id:` (resume with `Last-Event-ID`), `event:` (the
`type` below) and one JSON `data:` line — one of these models. Field names
follow the analysis resource: snake_case at the top, camelCase inside
`quick_signal`, `signal` and the resource's nested objects.

The order is the pipeline's: `stage` identity, `quick_signal`, `stage`
enrichment, each `signal` in the order it was found, `stage` report, `stage`
done, then exactly one terminal event (`completed`, `failed` or `canceled`)
carrying the whole analysis, after which the server closes the stream. A report
rewritten after reviewer feedback adds one `analysis.updated` event per rewrite,
after the terminal one (the analysis shows `processing` again while it is rewritten).
"""

from typing import Annotated, Literal

from pydantic import Field

from dossier.contracts.api import Analysis, QuickSignal, Signal, WireModel
from dossier.contracts.enums import Stage

#: The SSE `event:` names, one per kind of progress.
PROGRESS_EVENT_TYPES = (
    "stage",
    "quick_signal",
    "signal",
    "completed",
    "failed",
    "canceled",
    "analysis.updated",
)


class ProgressEventBase(WireModel):
    id: str = Field(description="The SSE event id; send it back as `Last-Event-ID` to resume.")
    analysis_id: str


class StageChanged(ProgressEventBase):
    """The analysis entered a stage (identity → enrichment → report → done)."""

    type: Literal["stage"] = "stage"
    stage: Stage


class QuickSignalArrived(ProgressEventBase):
    """The traffic-light quick signal, available once identity is resolved."""

    type: Literal["quick_signal"] = "quick_signal"
    quick_signal: QuickSignal


class SignalArrived(ProgressEventBase):
    """One more piece of evidence; `index` is its position in the resource's `signals`."""

    type: Literal["signal"] = "signal"
    index: int = Field(ge=0)
    signal: Signal


class AnalysisEnded(ProgressEventBase):
    """The terminal outcome, with the whole resource (report and metadata when completed)."""

    type: Literal["completed", "failed", "canceled"]
    analysis: Analysis


class AnalysisRevised(ProgressEventBase):
    """The report of a completed analysis was rewritten after reviewer feedback: one per
    rewrite (`revision`), after `completed`, with the whole resource as it is now."""

    type: Literal["analysis.updated"] = "analysis.updated"
    revision: int = Field(ge=1)
    analysis: Analysis


ProgressEvent = Annotated[
    StageChanged | QuickSignalArrived | SignalArrived | AnalysisEnded | AnalysisRevised,
    Field(discriminator="type"),
]
"""The `data:` of one event of the analysis event stream."""
