"""`docs/openapi.json` is the document the app serves: a change to the API is a change to the
committed file (`make openapi`), reviewed with the code."""

import json
import subprocess
import sys
from pathlib import Path

from dossier.gateway.app import create_app
from dossier.gateway.docs.spec_file import (
    COMMITTED,
    RELEASED_DIR,
    latest_release,
    render,
    served_spec,
)

REPO = Path(__file__).resolve().parents[2]


def test_the_committed_document_is_the_served_one() -> None:
    committed = (REPO / COMMITTED).read_text(encoding="utf-8")

    assert committed == render(served_spec()), "docs/openapi.json is stale: run `make openapi`"


def test_the_offline_document_equals_the_apps_own() -> None:
    """What the CLI writes is what `GET /openapi.json` answers (same builder, same app)."""
    assert served_spec() == create_app().openapi()


def test_the_check_command_fails_on_a_stale_file_and_passes_on_a_fresh_one(
    tmp_path: Path,
) -> None:
    stale = json.loads((REPO / COMMITTED).read_text(encoding="utf-8"))
    stale["paths"].pop("/api/v1/me")
    path = tmp_path / "openapi.json"
    path.write_text(render(stale), encoding="utf-8")
    dossier = [sys.executable, "-m", "dossier.gateway.admin_cli", "openapi"]

    failed = subprocess.run(
        [*dossier, "check", "--path", str(path)], check=False, capture_output=True
    )
    subprocess.run([*dossier, "write", "--path", str(path)], check=True, capture_output=True)
    passed = subprocess.run(
        [*dossier, "check", "--path", str(path)], check=False, capture_output=True
    )

    assert failed.returncode == 1
    assert b"make openapi" in failed.stderr
    assert passed.returncode == 0
    assert path.read_text(encoding="utf-8") == (REPO / COMMITTED).read_text(encoding="utf-8")


def test_a_released_document_of_this_version_is_kept() -> None:
    latest = latest_release(REPO / RELEASED_DIR)

    assert latest is not None
    released = json.loads(latest.read_text(encoding="utf-8"))
    assert latest.name == f"v{released['info']['version']}.json"
    assert served_spec()["info"]["version"] >= released["info"]["version"]
