"""MongoDB client wiring: PyMongo's native async API (MongoDB 7+ and FerretDB 1.24)."""

from typing import Any

import pymongo
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from dossier.runtime.settings import MongoSettings
from dossier.runtime.store_commands import StoreCommandListener

Document = dict[str, Any]


#: How long a command waits for a reachable server before failing with
#: `ServerSelectionTimeoutError`, by who is waiting:
#: - someone on the other end of an HTTP request (the gateway, the operator CLI): 2.5 s,
#:   then a `503` problem with `Retry-After`, never a hung request;
#: - a consumer working through its partitions: 20 s. It has nothing better to do than
#:   wait for the store; a message whose command fails is retried by the stage and,
#:   failing that, not committed (redelivered), so a short outage (a restarted FerretDB
#:   or a MongoDB primary election, typically seconds) passes without failing analyses.
#:   The broker does not mind: heartbeats run apart from handlers, and
#:   `max.poll.interval.ms` (300 s) is far above 20 s.
REQUEST_SERVER_WAIT_MS = 2_500
CONSUMER_SERVER_WAIT_MS = 20_000
#: Connecting to a server that is up takes milliseconds on a LAN; 2 s is generous.
CONNECT_TIMEOUT_MS = 2_000
#: A command on an open connection that gets no answer at all (a frozen server, a dropped
#: route) fails after this instead of hanging. Above the slowest legitimate command (a
#: bounded background scan on FerretDB: ~1 s at 20k documents).
SOCKET_TIMEOUT_MS = 30_000
#: How long the readiness probe waits for the store's answer.
READINESS_TIMEOUT_SECONDS = 2.0


def connect_mongo(
    settings: MongoSettings, *, serves_requests: bool = False
) -> AsyncMongoClient[Document]:
    """A client whose waits are bounded: `serves_requests` fails fast for HTTP callers,
    consumers wait out a short store outage (see `CONSUMER_SERVER_WAIT_MS`).

    Every command it sends is counted (`dossier_store_commands_total`) and, with
    `DOSSIER_MONGO_COMMAND_LOG`, described in the command log.
    """
    return AsyncMongoClient(
        settings.mongo_url,
        tz_aware=True,
        serverSelectionTimeoutMS=(
            REQUEST_SERVER_WAIT_MS if serves_requests else CONSUMER_SERVER_WAIT_MS
        ),
        connectTimeoutMS=CONNECT_TIMEOUT_MS,
        socketTimeoutMS=SOCKET_TIMEOUT_MS,
        appname=settings.service_name,
        event_listeners=[
            StoreCommandListener(settings.service_name, settings.mongo_command_log or None)
        ],
    )


def database(
    client: AsyncMongoClient[Document], settings: MongoSettings
) -> AsyncDatabase[Document]:
    return client[settings.mongo_database]


async def mongo_is_ready(client: AsyncMongoClient[Document]) -> bool:
    """Whether the store answers a ping within `READINESS_TIMEOUT_SECONDS`, whatever the
    client's own server-selection timeout (a consumer's is long)."""
    try:
        with pymongo.timeout(READINESS_TIMEOUT_SECONDS):
            await client.admin.command("ping")
    except Exception:
        return False
    return True
