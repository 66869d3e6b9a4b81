"""The command listener on a real client: every command counted, every data command described
by shape in the command log, no value ever written."""

import secrets
from pathlib import Path
from typing import Any

import pytest
from prometheus_client import REGISTRY

from dossier.runtime.mongo import connect_mongo
from dossier.runtime.settings import ServiceSettings
from dossier.runtime.store_commands import accesses, read_command_logs, store_job
from tests.conftest import Infra

pytestmark = pytest.mark.integration


def _count(service: str, command: str, collection: str) -> float:
    labels = {"service": service, "command": command, "collection": collection}
    return REGISTRY.get_sample_value("dossier_store_commands_total", labels) or 0.0


async def test_every_command_is_counted_and_data_commands_logged_by_shape(
    infra: Infra, tmp_path: Path
) -> None:
    service = f"svc_{secrets.token_hex(3)}"
    secret = f"CANARY{secrets.token_hex(6)}"
    settings = ServiceSettings(
        service_name=service,
        mongo_url=infra.mongo_url,
        mongo_database=f"test_{secrets.token_hex(4)}",
        mongo_command_log=str(tmp_path / "{service}-{pid}.jsonl"),
    )
    client = connect_mongo(settings)
    db = client[settings.mongo_database]
    try:
        await db.things.insert_one({"_id": secret, "name": secret})
        await db.things.find_one({"_id": secret})
        await db.things.find_one({"_id": secret, "name": secret})
        await db.things.update_one({"name": secret}, {"$set": {"seen": secret}})
        await db.things.delete_many({"name": {"$in": [secret]}})

        @store_job("nightly")
        async def job() -> Any:
            return await db.things.find_one({"name": secret}, sort=[("name", 1)])

        await job()
        await db.command("ping")
    finally:
        await client.drop_database(settings.mongo_database)
        await client.close()

    assert _count(service, "find", "things") == 3
    assert _count(service, "insert", "things") == 1
    assert _count(service, "ping", "") == 1
    text = "".join(p.read_text() for p in tmp_path.iterdir())
    assert secret not in text
    found = {(a.command, a.job, a.shape): a for a in accesses(read_command_logs(tmp_path))}
    assert set(found) == {
        ("insert", None, "{}"),
        ("find", None, '{"filter":{"_id":"<str>"},"limit":1}'),
        ("find", None, '{"filter":{"_id":"<str>","name":"<str>"},"limit":1}'),
        ("update", None, '{"filter":{"name":"<str>"}}'),
        ("delete", None, '{"filter":{"name":{"$in":["<str>"]}}}'),
        ("find", "nightly", '{"filter":{"name":"<str>"},"limit":1,"sort":{"name":1}}'),
    }
    assert found[("find", None, '{"filter":{"_id":"<str>"},"limit":1}')].keyed
    assert not found[("update", None, '{"filter":{"name":"<str>"}}')].keyed
    assert all(a.service == service for a in found.values())
