"""The OpenAPI document as a committed file, and the released ones it must stay compatible with.

`docs/openapi.json` is the document this code serves, committed so that a change to
the API shows up in review as a change to one file; a unit test fails when they differ
(`make openapi` rewrites it). `docs/openapi-released/v<version>.json` keeps each
released document: `scripts/oasdiff.sh` (wired into `make check` and a unit test)
refuses a breaking change against the newest one.

The document is built offline, from the app with development settings: nothing in it
depends on a deployment's settings or secrets.
"""

import json
import re
from pathlib import Path
from typing import Any

from dossier.gateway.app import create_app
from dossier.gateway.settings import GatewaySettings

COMMITTED = Path("docs") / "openapi.json"
RELEASED_DIR = Path("docs") / "openapi-released"
_VERSION = re.compile(r"^v(\d+)\.(\d+)\.(\d+)\.json$")


def served_spec() -> dict[str, Any]:
    """The document `GET /openapi.json` serves, built from the app (no servers needed)."""
    spec: dict[str, Any] = create_app(GatewaySettings(deployment="development")).openapi()
    return spec


def render(spec: dict[str, Any]) -> str:
    """The committed form: stable key order (as generated), two-space indent, UTF-8."""
    return json.dumps(spec, indent=2, ensure_ascii=False) + "\n"


def released_versions(directory: Path) -> list[tuple[tuple[int, int, int], Path]]:
    """The released documents in `directory`, oldest first (by semantic version)."""
    found = []
    for path in directory.glob("v*.json"):
        match = _VERSION.match(path.name)
        if match:
            major, minor, patch = (int(part) for part in match.groups())
            found.append(((major, minor, patch), path))
    return sorted(found)


def latest_release(directory: Path) -> Path | None:
    versions = released_versions(directory)
    return versions[-1][1] if versions else None


def write(path: Path = COMMITTED) -> bool:
    """Write the served document to `path`; True if that changed the file."""
    text = render(served_spec())
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True


def is_current(path: Path = COMMITTED) -> bool:
    return path.exists() and path.read_text(encoding="utf-8") == render(served_spec())


def release(version: str, directory: Path = RELEASED_DIR) -> Path:
    """Keep the served document as the release `version` (e.g. `1.1.0`); never overwrites."""
    if not re.fullmatch(r"\d+\.\d+\.\d+", version):
        raise ValueError(f"not a semantic version: {version!r}")
    target = directory / f"v{version}.json"
    if target.exists():
        raise FileExistsError(f"{target} exists: a release is never rewritten")
    spec = served_spec()
    if spec["info"]["version"] != version:
        raise ValueError(
            f"the app says version {spec['info']['version']}, not {version}: bump it first"
        )
    directory.mkdir(parents=True, exist_ok=True)
    target.write_text(render(spec), encoding="utf-8")
    return target
