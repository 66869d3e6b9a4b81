"""MongoDB client wiring: PyMongo's native async API (MongoDB 7+ and FerretDB 1.24)."""

from typing import Any

from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from dossier.runtime.settings import MongoSettings
from dossier.runtime.store_commands import StoreCommandListener

Document = dict[str, Any]


def connect_mongo(settings: MongoSettings) -> AsyncMongoClient[Document]:
    """A client that fails fast when the server is away, so readiness reflects reality.

    Every command it sends is counted (`dossier_store_commands_total`) and, with
    `DOSSIER_MONGO_COMMAND_LOG`, described in the command log.
    """
    return AsyncMongoClient(
        settings.mongo_url,
        tz_aware=True,
        serverSelectionTimeoutMS=5_000,
        connectTimeoutMS=3_000,
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
    try:
        await client.admin.command("ping")
    except Exception:
        return False
    return True
