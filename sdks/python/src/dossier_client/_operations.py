"""Each API operation as data: the request it sends and how its answer is read.

Shared by the sync and async resources, which only add the sending.
"""

from __future__ import annotations

import json
import uuid
from collections import OrderedDict
from datetime import date
from typing import Any
from urllib.parse import quote

import httpx
from pydantic import BaseModel

from dossier_client._transport import Call
from dossier_client.models import (
    Analysis,
    AnalysisAccepted,
    AnalysisEnded,
    AnalysisRevised,
    DossierModel,
    QuickSignalArrived,
    ReusedAnalysis,
    SignalArrived,
    StageChanged,
)

ANALYSES = "/api/v1/analyses"
TERMINAL_STATUSES = frozenset({"completed", "failed", "canceled"})
TERMINAL_EVENTS = TERMINAL_STATUSES
ProgressEvent = StageChanged | QuickSignalArrived | SignalArrived | AnalysisEnded | AnalysisRevised
_EVENT_MODELS: dict[str, type[DossierModel]] = {
    "stage": StageChanged,
    "quick_signal": QuickSignalArrived,
    "signal": SignalArrived,
    "completed": AnalysisEnded,
    "failed": AnalysisEnded,
    "canceled": AnalysisEnded,
    "analysis.updated": AnalysisRevised,
}


def segment(value: str) -> str:
    """One path segment, escaped."""
    return quote(str(value), safe="")


def body_value(value: Any) -> Any:
    """A request body part from a plain dict or one of the SDK's models."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_none=True)
    if isinstance(value, date):
        return value.isoformat()
    return value


def body(**fields: Any) -> dict[str, Any]:
    """A JSON body of the fields given (None: left out, so the server's default holds)."""
    return {name: body_value(value) for name, value in fields.items() if value is not None}


def create_analysis(
    *,
    language: str | None,
    client: Any,
    candidate: Any,
    refresh: bool | None,
    max_age_days: int | None,
    idempotency_key: str | None,
) -> Call:
    key = idempotency_key or str(uuid.uuid4())
    return Call(
        "POST",
        ANALYSES,
        json=body(
            language=language,
            client=client,
            candidate=candidate,
            refresh=refresh,
            max_age_days=max_age_days,
        ),
        headers={"Idempotency-Key": key},
    )


def created(response: httpx.Response) -> AnalysisAccepted | ReusedAnalysis:
    """202: a new analysis (or one already running, `reused`); 200: a completed report."""
    if response.status_code == 200:
        return ReusedAnalysis.model_validate_json(response.content)
    return AnalysisAccepted.model_validate_json(response.content)


class ETagCache:
    """The last ETag and body seen per analysis id, so a poll can be a `304` (bounded)."""

    def __init__(self, size: int = 512) -> None:
        self._size = size
        self._entries: OrderedDict[str, tuple[str, Analysis]] = OrderedDict()

    def headers(self, analysis_id: str) -> dict[str, str]:
        entry = self._entries.get(analysis_id)
        return {"If-None-Match": entry[0]} if entry else {}

    def read(self, analysis_id: str, response: httpx.Response) -> Analysis:
        if response.status_code == 304:
            entry = self._entries.get(analysis_id)
            if entry is not None:
                self._entries.move_to_end(analysis_id)
                return entry[1]
        analysis = Analysis.model_validate_json(response.content)
        etag = response.headers.get("etag")
        if etag:
            self._entries[analysis_id] = (etag, analysis)
            self._entries.move_to_end(analysis_id)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
        return analysis


def get_analysis(analysis_id: str, cache: ETagCache) -> Call:
    return Call("GET", f"{ANALYSES}/{segment(analysis_id)}", headers=cache.headers(analysis_id))


def list_analyses(
    *,
    client_id: str | None,
    candidate_id: str | None,
    status: str | None,
    limit: int | None,
    cursor: str | None,
) -> Call:
    params = {
        "client_id": client_id,
        "candidate_id": candidate_id,
        "status": body_value(status),
        "limit": limit,
        "cursor": cursor,
    }
    return Call("GET", ANALYSES, params=params)


def stream_call(analysis_id: str, last_event_id: str | None) -> Call:
    headers = {"Accept": "text/event-stream"}
    if last_event_id:
        headers["Last-Event-ID"] = last_event_id
    return Call("GET", f"{ANALYSES}/{segment(analysis_id)}/events", headers=headers)


def progress_event(data: str) -> ProgressEvent | DossierModel:
    """One event's `data:` as its model (an unknown type as a plain `DossierModel`)."""
    parsed: dict[str, Any] = json.loads(data)
    model = _EVENT_MODELS.get(str(parsed.get("type")), DossierModel)
    return model.model_validate(parsed)


def is_terminal_event(event: Any) -> bool:
    return getattr(event, "type", None) in TERMINAL_EVENTS
