"""The command log's pure parts: redaction, statements, the verdict, the log file, the report."""

import asyncio
import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

from bson import ObjectId

from dossier.runtime.store_commands import (
    CommandLog,
    accesses,
    command_log_path,
    current_job,
    report,
    store_job,
)
from dossier.runtime.store_shapes import redact, representative, statement_is_keyed, statements

OID = ObjectId()
NOW = dt.datetime.now(dt.UTC)


def test_redaction_keeps_the_shape_and_drops_every_value() -> None:
    filter = {"_id": {"$in": ["an_1", "an_2", OID]}, "name": "John Doe", "n": 3, "at": NOW}
    assert redact(filter) == {
        "_id": {"$in": ["<str>", "<oid>"]},
        "name": "<str>",
        "n": "<int>",
        "at": "<date>",
    }


def test_a_representative_value_has_the_recorded_type() -> None:
    shape = redact({"_id": OID, "n": 3, "flag": True, "none": None, "in": ["a"]})
    value = representative(shape)
    assert isinstance(value["_id"], ObjectId)
    assert value["n"] == 1
    assert value["flag"] is True
    assert value["none"] is None
    assert value["in"] == ["x"]


def test_update_and_delete_have_one_statement_per_entry() -> None:
    update = {
        "update": "c",
        "updates": [
            {"q": {"_id": "a"}, "u": {"$set": {"name": "John"}}, "upsert": True},
            {"q": {"partner_id": "p"}, "u": {"$set": {"x": 1}}, "multi": True},
        ],
    }
    assert statements("update", update) == [
        {"filter": {"_id": "<str>"}, "multi": False, "upsert": True},
        {"filter": {"partner_id": "<str>"}, "multi": True, "upsert": False},
    ]
    delete = {"delete": "c", "deletes": [{"q": {"_id": {"$in": ["a"]}}, "limit": 0}]}
    assert statements("delete", delete) == [{"filter": {"_id": {"$in": ["<str>"]}}, "limit": 0}]


def test_find_keeps_sort_directions_and_limit_never_values() -> None:
    find = {"find": "c", "filter": {"key": "p:c:cand"}, "sort": {"generation": -1}, "limit": 1}
    assert statements("find", find) == [
        {"filter": {"key": "<str>"}, "sort": {"generation": -1}, "skip": 0, "limit": 1}
    ]


def test_by_id_is_keyed_and_anything_else_is_not() -> None:
    assert statement_is_keyed("find", statements("find", {"filter": {"_id": "a"}, "limit": 1})[0])
    assert statement_is_keyed("find", statements("find", {"filter": {}, "limit": 1})[0])
    assert not statement_is_keyed("find", statements("find", {"filter": {"_id": 1}})[0])
    assert not statement_is_keyed(
        "update", statements("update", {"updates": [{"q": {"_id": "a", "x.y": 1}}]})[0]
    )
    assert statement_is_keyed(
        "aggregate", statements("aggregate", {"pipeline": [{"$match": {"_id": "a"}}]})[0]
    )


def test_the_log_path_names_the_service_and_process(tmp_path: Path) -> None:
    template = str(tmp_path / "{service}-{pid}.jsonl")
    assert command_log_path(template, "gateway", 7) == tmp_path / "gateway-7.jsonl"
    assert command_log_path(str(tmp_path), "billing", 8) == tmp_path / "billing-8.jsonl"
    assert command_log_path(str(tmp_path / "new") + "/", "x", 9) == tmp_path / "new" / "x-9.jsonl"
    assert command_log_path(str(tmp_path / "one.jsonl"), "x", 1) == tmp_path / "one.jsonl"


def test_log_lines_are_appended_whole(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "shared.jsonl"
    first, second = CommandLog(str(path), "a"), CommandLog(str(path), "b")
    for n in range(50):
        first.write({"command": "find", "n": n})
        second.write({"command": "find", "n": n})
    lines = path.read_text().splitlines()
    assert len(lines) == 100
    assert all(json.loads(line)["command"] == "find" for line in lines)
    assert oct(os.stat(path).st_mode & 0o777) == oct(0o600)


async def test_a_job_marks_only_what_runs_inside_it() -> None:
    seen: list[str | None] = []

    @store_job("sweeper")
    async def job() -> None:
        await asyncio.sleep(0)
        seen.append(current_job())

    await job()
    seen.append(current_job())
    assert seen == ["sweeper", None]


def _record(service: str, command: str, collection: str, doc: dict[str, Any]) -> dict[str, Any]:
    return {
        "service": service,
        "job": None,
        "db": "d",
        "command": command,
        "collection": collection,
        "statements": statements(command, doc),
    }


def test_accesses_group_by_shape_whatever_the_values() -> None:
    records = [
        _record("gateway", "find", "analyses", {"filter": {"_id": "a", "partner_id": "p"}}),
        _record("gateway", "find", "analyses", {"filter": {"_id": "b", "partner_id": "q"}}),
        _record("gateway", "find", "analyses", {"filter": {"_id": "c"}}),
    ]
    found = {a.shape: a for a in accesses(records)}
    assert found['{"filter":{"_id":"<str>","partner_id":"<str>"}}'].count == 2
    assert not found['{"filter":{"_id":"<str>","partner_id":"<str>"}}'].keyed
    assert found['{"filter":{"_id":"<str>"}}'].keyed


def test_report_lists_counts_and_every_scan(tmp_path: Path) -> None:
    log = CommandLog(str(tmp_path / "{service}-{pid}.jsonl"), "gateway")
    log.write(_record("gateway", "find", "analyses", {"filter": {"_id": "a"}}))
    log.write(_record("gateway", "find", "webhooks", {"filter": {"partner_id": "p"}}))
    text = report(tmp_path)
    assert "analyses" in text
    assert "not by _id on FerretDB (a whole-collection decode each): 1" in text
    assert '{"filter":{"partner_id":"<str>"}}' in text
