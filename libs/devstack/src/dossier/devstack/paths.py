"""Where the local stack keeps things: a cache for downloads, `.dossier/` for runtime state."""

import os
from pathlib import Path

from dossier.devstack.ferretdb_patches import PATCH_LEVEL

KAFKA_VERSION = "4.1.1"
LOG4J_VERSION = "2.24.3"
FERRETDB_VERSION = "v1.24.2"
FERRETDB_MODULE = "github.com/FerretDB/FerretDB"


def cache_dir() -> Path:
    """Provisioned binaries and jars, reused across checkouts (`DOSSIER_CACHE_DIR`)."""
    default = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "dossier"
    return Path(os.environ.get("DOSSIER_CACHE_DIR", default))


def repo_root() -> Path:
    here = Path.cwd().resolve()
    for candidate in (here, *here.parents):
        if (candidate / "uv.lock").exists() and (candidate / "libs").is_dir():
            return candidate
    return here


def state_dir() -> Path:
    """Runtime state of `make up`: data, logs, pids (`.dossier/` in the repo root)."""
    return Path(os.environ.get("DOSSIER_STATE_DIR", repo_root() / ".dossier"))


def kafka_home() -> Path:
    return cache_dir() / f"kafka-{KAFKA_VERSION}"


def ferretdb_binary() -> Path:
    return cache_dir() / f"ferretdb-{FERRETDB_VERSION}-p{PATCH_LEVEL}" / "bin" / "ferretdb"
