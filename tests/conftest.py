"""Shared fixtures: real Kafka and a real MongoDB-protocol server, and the services as processes.

Infrastructure comes from local processes (Kafka jars + FerretDB, provisioned by
`make install`; FerretDB on SQLite, or on PostgreSQL with
`DOSSIER_STORE_BACKEND=postgresql`) or, when `DOSSIER_INFRA=docker` and an engine
is reachable, from testcontainers (official Kafka and MongoDB images). Nothing is
mocked.
"""

import asyncio
import os
import secrets
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import pytest_asyncio
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from dossier.devstack.infra import kafka_process, start_in_order, store_processes
from dossier.devstack.processes import ManagedProcess, free_port
from dossier.runtime.kafka import ensure_topics

# The suite is a laptop: settings built in-process use the seeded development keys. Services
# default to `production` (real secrets required); tests that need it set it explicitly.
os.environ.setdefault("DOSSIER_DEPLOYMENT", "development")


@dataclass
class Infra:
    kafka_port: int
    mongo_port: int
    state_dir: Path

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.kafka_port}"

    @property
    def mongo_url(self) -> str:
        return f"mongodb://127.0.0.1:{self.mongo_port}"


def _docker_infra() -> Iterator[tuple[int, int]]:
    from testcontainers.kafka import KafkaContainer  # noqa: PLC0415 - only with Docker
    from testcontainers.mongodb import MongoDbContainer  # noqa: PLC0415

    with (
        KafkaContainer("apache/kafka:4.1.1").with_kraft() as kafka,
        MongoDbContainer("mongo:7") as mongo,
    ):
        yield (
            int(kafka.get_bootstrap_server().rsplit(":", 1)[1]),
            int(mongo.get_exposed_port(27017)),
        )


@pytest.fixture(scope="session")
def infra() -> Iterator[Infra]:
    state = Path(tempfile.mkdtemp(prefix="dossier-test-"))
    if os.environ.get("DOSSIER_INFRA") == "docker":
        for kafka_port, mongo_port in _docker_infra():
            infra = Infra(kafka_port, mongo_port, state)
            asyncio.run(ensure_topics(infra.bootstrap))
            yield infra
        return
    infra = Infra(free_port(), free_port(), state)
    kafka = kafka_process(state / "kafka", state / "logs" / "kafka.log", port=infra.kafka_port)
    # DOSSIER_STORE_BACKEND picks the store: [ferretdb] or [postgres, ferretdb]
    store = store_processes(state, state / "logs", port=infra.mongo_port)
    procs: list[ManagedProcess] = [kafka, *store]
    try:
        kafka.start()
        start_in_order(store, timeout=120)
        kafka.wait_ready(timeout=120)
        asyncio.run(ensure_topics(infra.bootstrap))
        yield infra
    finally:
        for proc in reversed(procs):
            proc.stop()
        if not os.environ.get("DOSSIER_KEEP_TEST_STATE"):
            shutil.rmtree(state, ignore_errors=True)


@pytest_asyncio.fixture(loop_scope="session")
async def mongo_db(infra: Infra) -> AsyncIterator[AsyncDatabase[dict[str, object]]]:
    """A fresh database on the real server, dropped afterwards."""
    client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(infra.mongo_url, tz_aware=True)
    name = f"test_{secrets.token_hex(4)}"
    try:
        yield client[name]
    finally:
        await client.drop_database(name)
        await client.close()


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
