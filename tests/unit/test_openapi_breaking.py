"""The breaking-change check (`scripts/oasdiff.sh`, oasdiff `breaking --fail-on ERR`): the
committed document keeps every promise of the last release, and the check really catches a
removed route or a removed response field (while letting an addition through)."""

import copy
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from dossier.gateway.docs.spec_file import COMMITTED, RELEASED_DIR, latest_release, render

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "oasdiff.sh"

Spec = dict[str, Any]


def oasdiff(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(SCRIPT), *args], capture_output=True, text=True, timeout=600, check=False
    )


@pytest.fixture(scope="module")
def baseline() -> Path:
    latest = latest_release(REPO / RELEASED_DIR)
    assert latest is not None, "no released document in docs/openapi-released/"
    return latest


@pytest.fixture(scope="module")
def released(baseline: Path) -> Spec:
    spec: Spec = json.loads(baseline.read_text(encoding="utf-8"))
    return spec


def check(baseline: Path, revision: Spec, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "revision.json"
    path.write_text(render(revision), encoding="utf-8")
    return oasdiff(str(baseline), str(path))


def test_the_committed_document_has_no_breaking_change_since_the_last_release() -> None:
    result = oasdiff()  # the newest release against docs/openapi.json, as `make check` runs it

    assert result.returncode == 0, result.stdout + result.stderr
    assert (REPO / COMMITTED).exists()


def test_a_removed_route_is_caught(baseline: Path, released: Spec, tmp_path: Path) -> None:
    revision = copy.deepcopy(released)
    del revision["paths"]["/api/v1/analyses/{analysis_id}"]["delete"]

    result = check(baseline, revision, tmp_path)

    assert result.returncode == 1, result.stdout + result.stderr
    assert "api-removed" in result.stdout
    assert "/api/v1/analyses/{analysis_id}" in result.stdout


def test_a_removed_response_field_is_caught(baseline: Path, released: Spec, tmp_path: Path) -> None:
    revision = copy.deepcopy(released)
    analysis = revision["components"]["schemas"]["Analysis"]
    del analysis["properties"]["status"]
    analysis["required"] = [f for f in analysis.get("required", []) if f != "status"]

    result = check(baseline, revision, tmp_path)

    assert result.returncode == 1, result.stdout + result.stderr
    assert "status" in result.stdout


def test_a_newly_required_request_field_is_caught(
    baseline: Path, released: Spec, tmp_path: Path
) -> None:
    revision = copy.deepcopy(released)
    create = revision["components"]["schemas"]["AnalysisCreate"]
    optional = next(f for f in create["properties"] if f not in create.get("required", []))
    create["required"] = [*create.get("required", []), optional]

    result = check(baseline, revision, tmp_path)

    assert result.returncode == 1, result.stdout + result.stderr


def test_an_addition_is_not_breaking(baseline: Path, released: Spec, tmp_path: Path) -> None:
    revision = copy.deepcopy(released)
    revision["components"]["schemas"]["Analysis"]["properties"]["new_optional_field"] = {
        "type": "string"
    }
    revision["paths"]["/api/v1/brand-new"] = copy.deepcopy(revision["paths"]["/api/v1/me"])
    revision["paths"]["/api/v1/brand-new"]["get"]["operationId"] = "getBrandNew"

    result = check(baseline, revision, tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
