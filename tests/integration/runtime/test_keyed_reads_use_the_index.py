"""A read by `_id` is served from the `_id` index, whatever else the collection holds.

On FerretDB/SQLite the query plan is SQLite's own (`SEARCH … USING INDEX` versus
`SCAN`): without the devstack's FerretDB patch (`dossier.devstack.ferretdb_patches`)
every keyed read was a table scan. On MongoDB the winning plan is an `_id` lookup."""

from typing import Any

import pytest

from dossier.runtime.indexes import is_ferretdb

pytestmark = pytest.mark.integration


def _plan_text(explained: dict[str, Any]) -> str:
    return repr(explained.get("queryPlanner"))


@pytest.mark.parametrize("command", ["find", "update", "delete"])
async def test_a_keyed_command_searches_the_id_index(mongo_db: Any, command: str) -> None:
    collection = mongo_db["keyed"]
    await collection.insert_many([{"_id": f"doc_{n}", "n": n} for n in range(200)])
    if command == "find":
        body: dict[str, Any] = {"find": "keyed", "filter": {"_id": "doc_7"}}
    elif command == "update":
        body = {"update": "keyed", "updates": [{"q": {"_id": "doc_7"}, "u": {"$set": {"n": 0}}}]}
    else:
        body = {"delete": "keyed", "deletes": [{"q": {"_id": "doc_7"}, "limit": 1}]}

    if await is_ferretdb(mongo_db):
        # FerretDB explains find only; update and delete filter through the same query.
        explained = await mongo_db.command("explain", {"find": "keyed", "filter": {"_id": "doc_7"}})
        plan = _plan_text(explained)
        assert "USING INDEX" in plan, plan
        assert "SCAN keyed" not in plan, plan
    else:
        explained = await mongo_db.command("explain", body)
        plan = _plan_text(explained)
        assert any(stage in plan for stage in ("IDHACK", "EXPRESS", "IXSCAN")), plan
