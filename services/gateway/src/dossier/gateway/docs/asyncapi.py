"""The AsyncAPI 3.0 document of the event bus, generated from the FastStream apps.

`make asyncapi` (`python -m dossier.gateway.docs.asyncapi --write`) rebuilds
the file the gateway serves at `/asyncapi.json` (`docs/asyncapi.json` links to it).

Every consumer service (`dossier.<name>.app.build(settings)`) is built WITHOUT
connecting — FastStream registers subscribers on a broker object, and the
MongoDB and HTTP clients connect lazily — and FastStream describes what each
one receives. Publishing goes through `runtime.bus.publish_event`, not through
declared publishers, so every topic of `contracts.topics.ALL_TOPICS` is also
declared as a `send` operation with its event model from `contracts.events`.
Run from the workspace: it imports the consumer services, which the gateway
package does not depend on.
"""

import argparse
import asyncio
import importlib
import inspect
import json
import logging
import pkgutil
import sys
from typing import Any

from faststream.kafka import KafkaBroker
from faststream.specification import AsyncAPI
from pydantic import BaseModel

import dossier
from dossier.contracts import events, topics
from dossier.gateway.docs.pages import ASYNCAPI_FILE
from dossier.runtime.settings import ServiceSettings

log = logging.getLogger(__name__)

#: Topics whose event is not named after the topic (`analysis.completed` → AnalysisCompleted).
EVENT_OVERRIDES: dict[str, type[events.Event]] = {
    topics.BILLING_CHARGED: events.CreditsCharged,
    topics.ANALYSIS_FEEDBACK: events.FeedbackGiven,
}
SERVER = {
    "kafka": {
        "host": "kafka:9092",
        "protocol": "kafka",
        "description": "DOSSIER_KAFKA_BOOTSTRAP_SERVERS of the deployment.",
    }
}


def event_model(topic: str) -> type[BaseModel]:
    """The payload model of a topic: its override, `DeadLetter` for `.dlq`, or its own name."""
    if topic in EVENT_OVERRIDES:
        return EVENT_OVERRIDES[topic]
    if topic.endswith(topics.DEAD_LETTER_SUFFIX):
        return events.DeadLetter
    name = "".join(part.capitalize() for part in topic.split("."))
    model = getattr(events, name, None)
    if not (inspect.isclass(model) and issubclass(model, events.Event)):
        msg = f"no event model for topic {topic!r}: name it {name} or add an override"
        raise LookupError(msg)
    return model


def consumer_services() -> list[tuple[str, Any]]:
    """(name, build module) of every `dossier.<name>` package with `app.build` and settings."""
    found = []
    for module in pkgutil.iter_modules(dossier.__path__):
        try:
            app = importlib.import_module(f"dossier.{module.name}.app")
        except ModuleNotFoundError:
            continue
        if callable(getattr(app, "build", None)):
            found.append((module.name, app))
    return found


def settings_class(service: str) -> type[ServiceSettings]:
    module = importlib.import_module(f"dossier.{service}.settings")
    classes = [
        cls
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, ServiceSettings) and cls.__module__ == module.__name__
    ]
    if len(classes) != 1:
        msg = f"dossier.{service}.settings should define one ServiceSettings class"
        raise LookupError(msg)
    return classes[0]


def publishers() -> KafkaBroker:
    """A broker that only describes: one publisher per topic, with its event model."""
    broker = KafkaBroker()
    for topic in topics.ALL_TOPICS:
        model = event_model(topic)
        broker.publisher(
            topic,
            title=f"{topic}:Publish",
            description=(model.__doc__ or "").strip() or f"Publishes {model.__name__}.",
            schema=model,
        )
    return broker


async def _close(apps: list[Any]) -> None:
    for consumer in apps:
        for closer in consumer.closers:
            await closer()
        await consumer.mongo.close()


def generate() -> dict[str, Any]:
    """The merged document: every service's subscribers plus every topic's publisher."""
    apps = [app.build(settings_class(name)()) for name, app in consumer_services()]
    try:
        spec = AsyncAPI(
            *[consumer.broker for consumer in apps],
            publishers(),
            title="Dossier event bus",
            version="1.0.0",
            description=(
                "Kafka topics between Dossier's services. Every event is keyed by `analysis_id` "
                "(one analysis stays ordered on one partition), JSON by alias, with an "
                "`event_type` header naming the model. Internal: partners receive webhooks "
                "(see /docs/webhooks.md), not these messages."
            ),
            schema_version="3.0.0",
        )
        document: dict[str, Any] = json.loads(spec.to_specification().to_json())
    finally:
        asyncio.run(_close(apps))
    # Each built broker names its own bootstrap address; the deployment decides the real one.
    document["servers"] = SERVER
    for channel in document.get("channels", {}).values():
        channel["servers"] = [{"$ref": "#/servers/kafka"}]
    return document


def render() -> str:
    return json.dumps(generate(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--write",
        action="store_true",
        help="write the file the gateway serves (docs/asyncapi.json links to it)",
    )
    args = parser.parse_args(argv)
    text = render()
    if not args.write:
        sys.stdout.write(text)
        return
    ASYNCAPI_FILE.write_text(text, encoding="utf-8")
    log.warning("wrote %s", ASYNCAPI_FILE)


if __name__ == "__main__":
    main()
