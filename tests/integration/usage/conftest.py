"""Usage and credits against the real servers: FerretDB for the stores, Kafka for what
billing publishes. Every command the code under test sends is recorded, so tests can
check that each filter is exactly `{_id: <string>}` (the only one FerretDB serves by key)."""

import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pytest_asyncio
from faststream.kafka import KafkaBroker
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.monitoring import (
    CommandFailedEvent,
    CommandListener,
    CommandStartedEvent,
    CommandSucceededEvent,
)

from dossier.billing.settings import BillingSettings
from dossier.contracts.api import ClientRef
from dossier.contracts.enums import Channel, Environment, Language
from dossier.contracts.events import AnalysisCompleted, AnalysisContext, CandidateProfile
from dossier.contracts.timestamps import utcnow
from dossier.runtime.kafka import make_broker
from tests.conftest import Infra

#: Commands that carry no filter, or read the server's state rather than documents.
_NO_FILTER = {"insert", "endSessions", "ping", "hello", "isMaster", "ismaster", "buildInfo"}


def filters_of(command_name: str, command: dict[str, Any]) -> list[Any]:
    """The document filters a command applies (an unknown command counts as a scan)."""
    if command_name in _NO_FILTER:
        return []
    if command_name == "find":
        return [command.get("filter", {})]
    if command_name == "update":
        return [u["q"] for u in command["updates"]]
    if command_name == "delete":
        return [d["q"] for d in command["deletes"]]
    if command_name == "findAndModify":
        return [command["query"]]
    return [{"<command>": command_name}]


@dataclass
class Recorder(CommandListener):
    """Every filter sent, in order."""

    filters: list[tuple[str, Any]] = field(default_factory=list)

    def started(self, event: CommandStartedEvent) -> None:
        for query in filters_of(event.command_name, dict(event.command)):
            self.filters.append((event.command_name, query))

    def succeeded(self, event: CommandSucceededEvent) -> None:
        pass

    def failed(self, event: CommandFailedEvent) -> None:
        pass

    def not_by_id(self) -> list[tuple[str, Any]]:
        """Filters other than exactly `{_id: <string>}`."""
        return [
            (name, q)
            for name, q in self.filters
            if not (isinstance(q, dict) and list(q) == ["_id"] and isinstance(q["_id"], str))
        ]


@dataclass
class Store:
    db: AsyncDatabase[dict[str, Any]]
    recorder: Recorder


@pytest_asyncio.fixture(loop_scope="session")
async def store(infra: Infra) -> AsyncIterator[Store]:
    """A fresh database whose client records every command."""
    recorder = Recorder()
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
        infra.mongo_url, tz_aware=True, event_listeners=[recorder]
    )
    name = f"test_{secrets.token_hex(4)}"
    try:
        yield Store(client[name], recorder)
    finally:
        await client.drop_database(name)
        await client.close()


@pytest_asyncio.fixture(loop_scope="session")
async def broker(infra: Infra) -> AsyncIterator[KafkaBroker]:
    """Billing's broker on the real Kafka (it publishes `billing.charged`)."""
    broker = make_broker(BillingSettings(kafka_bootstrap_servers=infra.bootstrap))
    await broker.connect()
    try:
        yield broker
    finally:
        await broker.stop()


def new_partner() -> str:
    return f"ptn_{secrets.token_hex(6)}"


def context(
    partner_id: str,
    *,
    client_id: str = "acme",
    environment: Environment = Environment.LIVE,
    analysis_id: str | None = None,
    requested_at: datetime | None = None,
) -> AnalysisContext:
    return AnalysisContext(
        analysis_id=analysis_id or f"an_{secrets.token_hex(12)}",
        partner_id=partner_id,
        environment=environment,
        channel=Channel.V1,
        client=ClientRef(id=client_id),
        candidate=CandidateProfile(
            id=f"cand_{secrets.token_hex(4)}", first_name="Jo", last_name="Doe"
        ),
        language=Language.EN,
        requested_at=requested_at or utcnow(),
    )


def completed(ctx: AnalysisContext) -> AnalysisCompleted:
    return AnalysisCompleted(
        context=ctx, report_id=ctx.analysis_id, billable=ctx.environment is Environment.LIVE
    )
