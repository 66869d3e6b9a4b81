"""The store backend setting and the URLs the devstack hands FerretDB (no servers)."""

from pathlib import Path

import pytest

from dossier.devstack.infra import (
    PostgresUnavailableError,
    ferretdb_process,
    postgres_bindir,
    postgres_url,
    sqlite_url,
    store_backend,
    store_processes,
)
from dossier.devstack.stack import StackConfig


def test_backend_defaults_to_sqlite_and_reads_the_setting() -> None:
    assert store_backend({}) == "sqlite"
    assert store_backend({"DOSSIER_STORE_BACKEND": ""}) == "sqlite"
    assert store_backend({"DOSSIER_STORE_BACKEND": "postgresql"}) == "postgresql"
    assert store_backend({"DOSSIER_STORE_BACKEND": " SQLite "}) == "sqlite"
    with pytest.raises(ValueError, match="sqlite, postgresql"):
        store_backend({"DOSSIER_STORE_BACKEND": "postgres"})


def test_stack_config_takes_the_backend_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DOSSIER_STORE_BACKEND", "postgresql")
    assert StackConfig(state_dir=tmp_path).store_backend == "postgresql"
    monkeypatch.delenv("DOSSIER_STORE_BACKEND")
    assert StackConfig(state_dir=tmp_path).store_backend == "sqlite"


def test_sqlite_url_carries_one_pragma_parameter_each(tmp_path: Path) -> None:
    assert sqlite_url(tmp_path, ()) == f"file:{tmp_path}/"
    assert (
        sqlite_url(tmp_path, ("synchronous(normal)", "cache_size(-8000)"))
        == f"file:{tmp_path}/?_pragma=synchronous%28normal%29&_pragma=cache_size%28-8000%29"
    )


def test_ferretdb_argv_per_backend(tmp_path: Path) -> None:
    sqlite = ferretdb_process(tmp_path / "f", tmp_path / "f.log", port=1)
    assert "--handler=sqlite" in sqlite.argv
    assert any(a.endswith("?_pragma=synchronous%28normal%29") for a in sqlite.argv)
    pg = ferretdb_process(
        tmp_path / "f",
        tmp_path / "f.log",
        port=1,
        backend="postgresql",
        postgresql_url="postgres://u@127.0.0.1:2/db",
    )
    assert "--handler=postgresql" in pg.argv
    assert "--postgresql-url=postgres://u@127.0.0.1:2/db" in pg.argv
    with pytest.raises(ValueError, match="postgresql_url"):
        ferretdb_process(tmp_path / "f", tmp_path / "f.log", port=1, backend="postgresql")
    assert postgres_url(5) == "postgres://dossier@127.0.0.1:5/ferretdb"


def test_missing_postgres_binaries_name_the_debian_package(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DOSSIER_POSTGRES_BINDIR", str(tmp_path))
    with pytest.raises(PostgresUnavailableError, match="postgresql-15"):
        postgres_bindir()
    with pytest.raises(PostgresUnavailableError, match="apt-get install postgresql-15"):
        store_processes(tmp_path, tmp_path / "logs", port=1, backend="postgresql")
