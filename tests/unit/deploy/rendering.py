"""Render the Helm chart and interpolate docker-compose.yml the way their tools do,
without a cluster or a Docker engine."""

import os
import re
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[3]
CHART = REPO / "deploy" / "helm" / "dossier"
COMPOSE_FILE = REPO / "docker-compose.yml"


def helm_binary() -> str:
    """The helm that `make test` installs (scripts/check_deploy.sh --tools), or one on PATH."""
    cache = Path(
        os.environ.get("DOSSIER_CACHE_DIR")
        or Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "dossier"
    )
    cached = sorted((cache / "deploy-tools").glob("helm-*/helm"))
    helm = str(cached[-1]) if cached else shutil.which("helm")
    assert helm is not None, "no helm: `make test` installs it (scripts/check_deploy.sh --tools)"
    return helm


def helm_template(*args: str) -> subprocess.CompletedProcess[str]:
    """`helm template dossier deploy/helm/dossier ARGS…`, whatever its outcome."""
    return subprocess.run(
        [helm_binary(), "template", "dossier", str(CHART), *args],
        capture_output=True,
        text=True,
        check=False,
    )


def rendered_documents(*args: str) -> list[dict[str, Any]]:
    result = helm_template(*args)
    assert result.returncode == 0, result.stderr
    return [d for d in yaml.safe_load_all(result.stdout) if d]


class InterpolationError(ValueError):
    """A `${VAR:?message}` (or `${VAR?message}`) whose variable is missing."""


_VARIABLE = re.compile(
    r"\$(?:(?P<escaped>\$)|\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}"
    r"|(?P<bare>[A-Za-z_][A-Za-z0-9_]*))"
)


def interpolate(text: str, env: Mapping[str, str]) -> str:
    """Compose-specification interpolation: `$$`, `$VAR`, `${VAR}`, `${VAR:-default}`,
    `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`."""

    def replace(match: re.Match[str]) -> str:
        if match["escaped"]:
            return "$"
        name = match["braced"] or match["bare"]
        value, op, arg = env.get(name), match["op"], match["arg"] or ""
        unset_or_empty = value is None or (op is not None and op.startswith(":") and not value)
        if op in (":-", "-") and unset_or_empty:
            return arg
        if op in (":?", "?") and unset_or_empty:
            msg = f"required variable {name} is missing a value: {arg}"
            raise InterpolationError(msg)
        return value or ""

    return _VARIABLE.sub(replace, text)


def compose_config(env: Mapping[str, str]) -> dict[str, Any]:
    """docker-compose.yml as `docker compose config` would resolve it from `env`."""
    raw = yaml.safe_load(COMPOSE_FILE.read_text())

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            return {key: walk(value) for key, value in node.items()}
        if isinstance(node, list):
            return [walk(item) for item in node]
        if isinstance(node, str):
            return interpolate(node, env)
        return node

    resolved: dict[str, Any] = walk(raw)
    return resolved


def dotenv(path: Path) -> dict[str, str]:
    """A `.env` file as Compose reads it (KEY=VALUE lines, `#` comments)."""
    values = {}
    for line in path.read_text().splitlines():
        name, sep, value = line.strip().partition("=")
        if sep and not name.startswith("#"):
            values[name.strip()] = value.strip()
    return values
