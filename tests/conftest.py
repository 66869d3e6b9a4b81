"""Shared fixtures: real Kafka and a real MongoDB-protocol server, and the services as processes.

Infrastructure comes from local processes (Kafka jars + FerretDB, provisioned by
`make install`; FerretDB on SQLite, or on PostgreSQL with
`DOSSIER_STORE_BACKEND=postgresql`) or, with `DOSSIER_INFRA=docker`, from
testcontainers (Confluent's Kafka image in KRaft mode, MongoDB 7 with credentials).
Nothing is mocked. The docker path is checked without an engine by
tests/unit/deploy/test_docker_infra.py; it has not been run against one here.
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
from pymongo.uri_parser import parse_uri

from dossier.devstack.infra import kafka_process, start_in_order, store_processes
from dossier.devstack.processes import ManagedProcess, free_port
from dossier.runtime.kafka import ensure_topics

# The suite is a laptop: settings built in-process use the seeded development keys. Services
# default to `production` (real secrets required); tests that need it set it explicitly.
os.environ.setdefault("DOSSIER_DEPLOYMENT", "development")


@dataclass
class Infra:
    """Where the session's Kafka and MongoDB-protocol server are: full addresses, since
    containers live on the Docker host and MongoDB's image requires credentials."""

    state_dir: Path
    bootstrap: str
    mongo_url: str

    @classmethod
    def local(cls, state_dir: Path, kafka_port: int, mongo_port: int) -> "Infra":
        return cls(state_dir, f"127.0.0.1:{kafka_port}", f"mongodb://127.0.0.1:{mongo_port}")

    @property
    def kafka_host(self) -> str:
        return self.bootstrap.rsplit(":", 1)[0]

    @property
    def kafka_port(self) -> int:
        return int(self.bootstrap.rsplit(":", 1)[1])

    @property
    def mongo_port(self) -> int:
        port = parse_uri(self.mongo_url)["nodelist"][0][1]
        return int(port)


#: testcontainers' KafkaContainer drives the Confluent image's own start scripts
#: (`/etc/confluent/docker/configure`, `launch`), and `with_kraft()` accepts Confluent
#: Platform tags from 7.0.0 on; the `apache/kafka` image has neither, so it cannot be used
#: here (local processes and docker-compose.yml use Apache Kafka). 7.6.0 is the library's
#: own default, the configuration its tests exercise (Kafka 3.6, KRaft).
KAFKA_IMAGE = "confluentinc/cp-kafka:7.6.0"
MONGO_IMAGE = "mongo:7.0"


def docker_infra(state_dir: Path, bootstrap_server: str, mongo_connection_url: str) -> Infra:
    """The Infra for started containers: Kafka's advertised `host:port` as given by
    `KafkaContainer.get_bootstrap_server()` and MongoDB's URL with its root credentials
    from `MongoDbContainer.get_connection_url()` (no database path: they authenticate
    against `admin`, and the tests pick their own databases)."""
    parsed = parse_uri(mongo_connection_url)
    if parsed["database"]:
        msg = f"expected a MongoDB URL without a database, got {mongo_connection_url!r}"
        raise ValueError(msg)
    return Infra(state_dir, bootstrap_server, mongo_connection_url)


def _docker_infra(state_dir: Path) -> Iterator[Infra]:
    """Kafka (KRaft) and MongoDB from testcontainers; both containers stop afterwards."""
    from testcontainers.community.kafka import KafkaContainer  # noqa: PLC0415 - only with Docker
    from testcontainers.community.mongodb import MongoDbContainer  # noqa: PLC0415

    with (
        KafkaContainer(KAFKA_IMAGE).with_kraft() as kafka,
        MongoDbContainer(MONGO_IMAGE) as mongo,
    ):
        yield docker_infra(state_dir, kafka.get_bootstrap_server(), mongo.get_connection_url())


@pytest.fixture(scope="session")
def infra() -> Iterator[Infra]:
    state = Path(tempfile.mkdtemp(prefix="dossier-test-"))
    if os.environ.get("DOSSIER_INFRA") == "docker":
        for infra in _docker_infra(state):
            asyncio.run(ensure_topics(infra.bootstrap))
            yield infra
        return
    infra = Infra.local(state, free_port(), free_port())
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
