"""The AsyncAPI document of the event bus: generated from the FastStream apps, committed, fresh."""

import json
from pathlib import Path
from typing import Any

import pytest

from dossier.contracts import events, topics
from dossier.gateway.docs import asyncapi
from dossier.gateway.docs.pages import ASYNCAPI_FILE

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def rendered() -> str:
    return asyncapi.render()


@pytest.fixture(scope="module")
def document(rendered: str) -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(rendered)
    return parsed


def test_committed_document_is_up_to_date(rendered: str) -> None:
    committed = (REPO / "docs" / "asyncapi.json").read_text(encoding="utf-8")

    assert committed == rendered, "stale docs/asyncapi.json: run `make asyncapi`"


def test_served_copy_is_up_to_date(rendered: str) -> None:
    assert ASYNCAPI_FILE.read_text(encoding="utf-8") == rendered, "run `make asyncapi`"


def test_document_is_asyncapi_3(document: dict[str, Any]) -> None:
    assert document["asyncapi"].startswith("3.")
    assert document["servers"]["kafka"]["protocol"] == "kafka"


def _payload_of(document: dict[str, Any], channel: dict[str, Any]) -> str:
    message_ref = next(iter(channel["messages"].values()))["$ref"]
    message = document["components"]["messages"][message_ref.rsplit("/", 1)[-1]]
    return str(message["payload"]["$ref"]).rsplit("/", 1)[-1]


def test_every_topic_is_published_with_its_event_schema(document: dict[str, Any]) -> None:
    published = {
        channel["address"]: _payload_of(document, channel)
        for name, channel in document["channels"].items()
        if name.endswith(":Publish")
    }

    assert set(published) == set(topics.ALL_TOPICS)
    assert published[topics.ANALYSIS_REQUESTED] == "AnalysisRequested"
    assert published[topics.BILLING_CHARGED] == "CreditsCharged"
    assert published[topics.dead_letter_topic(topics.ANALYSIS_ENRICHED)] == "DeadLetter"


def test_consumers_are_described_from_their_apps(document: dict[str, Any]) -> None:
    received = {
        document["channels"][op["channel"]["$ref"].rsplit("/", 1)[-1]]["address"]
        for op in document["operations"].values()
        if op["action"] == "receive"
    }

    assert {
        topics.ANALYSIS_REQUESTED,
        topics.ANALYSIS_IDENTIFIED,
        topics.ANALYSIS_ENRICHED,
        topics.ANALYSIS_COMPLETED,
    } <= received


def test_every_consumer_service_is_discovered() -> None:
    names = {name for name, _ in asyncapi.consumer_services()}

    assert {"identity", "enrichment", "reporter", "billing"} <= names


def test_event_model_follows_the_topic_name() -> None:
    assert asyncapi.event_model(topics.ANALYSIS_FAILED) is events.AnalysisFailed


def test_a_topic_without_a_model_is_refused() -> None:
    with pytest.raises(LookupError):
        asyncapi.event_model("analysis.teleported")
