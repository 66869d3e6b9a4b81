"""MongoDB client wiring: PyMongo's native async API (MongoDB 7+ and FerretDB 1.24)."""

from typing import Any

from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from dossier.runtime.settings import ServiceSettings

Document = dict[str, Any]


def connect_mongo(settings: ServiceSettings) -> AsyncMongoClient[Document]:
    """A client that fails fast when the server is away, so readiness reflects reality."""
    return AsyncMongoClient(
        settings.mongo_url,
        tz_aware=True,
        serverSelectionTimeoutMS=5_000,
        connectTimeoutMS=3_000,
        appname=settings.service_name,
    )


def database(
    client: AsyncMongoClient[Document], settings: ServiceSettings
) -> AsyncDatabase[Document]:
    return client[settings.mongo_database]


async def mongo_is_ready(client: AsyncMongoClient[Document]) -> bool:
    try:
        await client.admin.command("ping")
    except Exception:
        return False
    return True
