"""The two store backends the devstack can run, through its own code and a real PyMongo client:
FerretDB on PostgreSQL (Debian's server, initialised and run by `postgres_process`) and
FerretDB on SQLite with the tuned pragmas."""

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from pymongo import MongoClient
from pymongo.errors import DuplicateKeyError

from dossier.devstack.infra import (
    SQLITE_TUNED_PRAGMAS,
    ferretdb_process,
    start_in_order,
    store_processes,
)
from dossier.devstack.processes import ManagedProcess, free_port

pytestmark = pytest.mark.integration

Doc = dict[str, object]


@pytest.fixture
def scratch() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="dossier-store-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _start(procs: list[ManagedProcess]) -> None:
    try:
        start_in_order(procs, timeout=120)
    except Exception:
        for proc in reversed(procs):
            proc.stop()
        raise


def test_ferretdb_on_postgresql_crud_unique_and_clean_stop(scratch: Path) -> None:
    port = free_port()
    procs = store_processes(scratch, scratch / "logs", port=port, backend="postgresql")
    assert [p.name for p in procs] == ["postgres", "ferretdb"]
    _start(procs)
    postgres, ferretdb = procs
    assert postgres.pid is not None
    try:
        client: MongoClient[Doc] = MongoClient(f"mongodb://127.0.0.1:{port}")
        with client:
            # FerretDB says which backend it runs on ("Powered by FerretDB v1.24.2 and PostgreSQL 15…")
            warnings = client.admin.command({"getLog": "startupWarnings"})
            assert "and PostgreSQL 15" in json.dumps(warnings["log"])

            docs = client.dossier_test.analyses
            docs.insert_one({"_id": "an_1", "partner_id": "p1", "status": "queued", "n": 1})
            assert docs.find_one({"_id": "an_1"}) == {
                "_id": "an_1",
                "partner_id": "p1",
                "status": "queued",
                "n": 1,
            }
            result = docs.update_one(
                {"_id": "an_1", "status": "queued"},
                {"$set": {"status": "processing"}, "$inc": {"n": 1}},
            )
            assert result.modified_count == 1
            assert docs.find_one({"_id": "an_1"}) == {
                "_id": "an_1",
                "partner_id": "p1",
                "status": "processing",
                "n": 2,
            }
            # races are decided by unique inserts: on _id, and on a unique index
            with pytest.raises(DuplicateKeyError):
                docs.insert_one({"_id": "an_1", "partner_id": "p2"})
            docs.create_index("reuse_key", unique=True)
            docs.insert_one({"_id": "an_2", "reuse_key": "p1:c1:k1"})
            with pytest.raises(DuplicateKeyError):
                docs.insert_one({"_id": "an_3", "reuse_key": "p1:c1:k1"})
            assert docs.count_documents({}) == 2
            # PostgreSQL evaluates the whole {_id, partner_id} filter (SQLite only {_id})
            plan = client.dossier_test.command(
                "explain", {"find": "analyses", "filter": {"_id": "an_1", "partner_id": "p1"}}
            )
            assert plan["filterPushdown"] is True
    finally:
        for proc in reversed(procs):
            proc.stop()

    assert not _alive(postgres.pid)
    assert not (scratch / "postgres" / "pgdata" / "postmaster.pid").exists()  # a clean shutdown
    log = (scratch / "logs" / "postgres.log").read_text()
    assert "database system is shut down" in log

    # a second start reuses the cluster (initdb runs once) and the data is still there
    again = store_processes(scratch, scratch / "logs", port=port, backend="postgresql")
    _start(again)
    try:
        client2: MongoClient[Doc] = MongoClient(f"mongodb://127.0.0.1:{port}")
        with client2:
            assert client2.dossier_test.analyses.find_one({"_id": "an_1"}) is not None
    finally:
        for proc in reversed(again):
            proc.stop()
    log = (scratch / "logs" / "postgres.log").read_text()
    assert log.count("creating configuration files") == 1  # initdb's output, once
    assert not ferretdb.running()


def _opened_uris(log_path: Path) -> list[str]:
    uris = []
    for line in log_path.read_text().splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and str(entry.get("uri", "")).startswith("file:"):
            uris.append(entry["uri"])
    return uris


@pytest.mark.parametrize(("pragmas", "expect_normal"), [(SQLITE_TUNED_PRAGMAS, True), ((), False)])
def test_sqlite_pragmas_reach_every_database_ferretdb_opens(
    scratch: Path, pragmas: tuple[str, ...], expect_normal: bool
) -> None:
    """FerretDB logs (at debug) the URI it opens each SQLite database with; its driver runs each
    `_pragma` of that URI on every connection. FerretDB's own defaults stay in place."""
    port = free_port()
    log_path = scratch / "ferretdb.log"
    proc = ferretdb_process(
        scratch / "ferretdb", log_path, port=port, sqlite_pragmas=pragmas, log_level="debug"
    )
    _start([proc])
    try:
        client: MongoClient[Doc] = MongoClient(f"mongodb://127.0.0.1:{port}")
        with client:
            client.pragma_check.docs.insert_one({"_id": "x"})
            assert client.pragma_check.docs.find_one({"_id": "x"}) == {"_id": "x"}
    finally:
        proc.stop()
    uris = [u for u in _opened_uris(log_path) if "pragma_check.sqlite" in u]
    assert uris, log_path.read_text()[-2000:]
    for uri in uris:
        assert ("_pragma=synchronous%28normal%29" in uri) is expect_normal
        assert "_pragma=journal_mode%28wal%29" in uri
        assert "_pragma=busy_timeout%2810000%29" in uri
    assert (scratch / "ferretdb" / "sqlite" / "pragma_check.sqlite-wal").exists() or (
        scratch / "ferretdb" / "sqlite" / "pragma_check.sqlite"
    ).exists()
