"""`dossier indexes apply` against the real server, as a deploy job runs it."""

import secrets
from collections.abc import Iterator

import pytest
from pymongo import MongoClient

from dossier.gateway.admin_cli import main
from dossier.runtime.indexes import INDEXES
from tests.conftest import Infra

pytestmark = pytest.mark.integration


@pytest.fixture
def database(infra: Infra, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh database named in the environment, with nothing else a service would need."""
    name = f"test_{secrets.token_hex(4)}"
    monkeypatch.setenv("DOSSIER_MONGO_URL", infra.mongo_url)
    monkeypatch.setenv("DOSSIER_MONGO_DATABASE", name)
    monkeypatch.setenv("DOSSIER_DEPLOYMENT", "production")  # and no CV key, no signing key
    monkeypatch.delenv("DOSSIER_CV_MASTER_KEY", raising=False)
    monkeypatch.delenv("DOSSIER_URL_SIGNING_KEY", raising=False)
    yield name
    with MongoClient(infra.mongo_url) as client:
        client.drop_database(name)


def run(*argv: str) -> int:
    with pytest.raises(SystemExit) as exit:
        main(list(argv))
    return int(exit.value.code or 0)


def test_apply_needs_only_the_store_and_creates_the_indexes(
    database: str, infra: Infra, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("indexes", "apply") == 0

    printed = capsys.readouterr().out.splitlines()
    assert "index partners.platform_id_1" in printed
    with MongoClient(infra.mongo_url) as client:
        assert client[database]["partners"].index_information()["platform_id_1"]["unique"]


def test_apply_all_creates_every_index_and_names_unlisted_ones(
    database: str, infra: Infra, capsys: pytest.CaptureFixture[str]
) -> None:
    with MongoClient(infra.mongo_url) as client:
        client[database]["billing_ledger"].create_index([("partner_id", 1), ("charged_at", 1)])

    assert run("indexes", "apply", "--all") == 0
    assert run("indexes", "apply", "--all") == 0  # idempotent

    out, err = capsys.readouterr()
    created = [line.removeprefix("index ").split(" ")[0] for line in out.splitlines()]
    assert created == [f"{s.collection}.{s.name}" for s in INDEXES] * 2
    assert "left in place: billing_ledger.partner_id_1_charged_at_1" in err
    with MongoClient(infra.mongo_url) as client:
        names = set(client[database]["webhook_pending"].index_information())
    assert "next_attempt_at_1" in names
