"""Event ids are stable per analysis and type; the envelope carries the analysis resource."""

import json
from datetime import UTC, datetime

from dossier.contracts.api import Analysis
from dossier.contracts.enums import AnalysisStatus
from dossier.contracts.webhooks import WebhookEventType
from dossier.runtime.webhook_queue import delivery_id
from dossier.webhooks.domain.events import envelope_body, event_id, subscribers

COMPLETED = WebhookEventType.ANALYSIS_COMPLETED


def test_event_id_is_stable_for_the_same_analysis_and_type() -> None:
    assert event_id("an_1", COMPLETED) == event_id("an_1", COMPLETED)


def test_event_id_differs_per_analysis_and_per_type() -> None:
    ids = {
        event_id("an_1", COMPLETED),
        event_id("an_2", COMPLETED),
        event_id("an_1", WebhookEventType.ANALYSIS_CANCELED),
    }
    assert len(ids) == 3


def test_event_id_has_the_evt_prefix() -> None:
    assert event_id("an_1", COMPLETED).startswith("evt_")


def test_delivery_id_is_event_and_webhook() -> None:
    assert delivery_id("evt_1", "wh_2") == "evt_1:wh_2"


def test_envelope_carries_id_type_time_and_the_analysis() -> None:
    created = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    analysis = Analysis(
        id="an_1",
        status=AnalysisStatus.CANCELED,
        candidate_id="c_1",
        created_at=created,
        updated_at=created,
    )
    body = json.loads(envelope_body(COMPLETED, analysis, occurred_at=created))
    assert body["id"] == event_id("an_1", COMPLETED)
    assert body["type"] == "analysis.completed"
    assert body["occurred_at"] == "2026-01-02T03:04:05.000Z"
    assert body["data"]["analysis"]["id"] == "an_1"
    assert body["data"]["analysis"]["updated_at"] == "2026-01-02T03:04:05.000Z"


def _endpoint(webhook_id: str, **fields: object) -> dict[str, object]:
    return {
        "id": webhook_id,
        "events": [COMPLETED.value],
        "enabled": True,
        "created_at": datetime(2026, 1, 1, tzinfo=UTC),
        **fields,
    }


def test_subscribers_are_the_enabled_endpoints_that_asked_for_the_event() -> None:
    endpoints = [
        _endpoint("wh_on"),
        _endpoint("wh_off", enabled=False),
        _endpoint("wh_other", events=[WebhookEventType.ANALYSIS_FAILED.value]),
    ]

    chosen = subscribers(endpoints, COMPLETED, datetime(2026, 2, 1, tzinfo=UTC))

    assert [e["id"] for e in chosen] == ["wh_on"]


def test_an_endpoint_registered_after_the_event_does_not_receive_it() -> None:
    endpoints = [_endpoint("wh_new", created_at=datetime(2026, 3, 1, tzinfo=UTC))]

    assert subscribers(endpoints, COMPLETED, datetime(2026, 2, 1, tzinfo=UTC)) == []


def test_each_revision_of_an_updated_analysis_is_its_own_event() -> None:
    updated = WebhookEventType.ANALYSIS_UPDATED

    assert event_id("an_1", updated, 1) != event_id("an_1", updated, 2)
    assert event_id("an_1", updated, 1) == event_id("an_1", updated, 1)
    assert event_id("an_1", COMPLETED, 0) == event_id("an_1", COMPLETED)
