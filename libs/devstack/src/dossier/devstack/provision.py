"""Provision Kafka (jars from Maven Central) and FerretDB (built from its Go module), once.

Both land in the cache folder; a second run finds them and costs nothing.
PostgreSQL (`DOSSIER_STORE_BACKEND=postgresql`, and the test suite's backend test) is
Debian's server: when its binaries are missing and this runs as root with apt-get, the
Debian package is installed; otherwise provisioning says which package to install.
Each step writes to a temporary folder and renames it into place, so an
interrupted run never leaves a half-provisioned cache behind.
"""

import json
import logging
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from dossier.devstack.ferretdb_patches import PATCH_LEVEL, apply_patches
from dossier.devstack.infra import (
    POSTGRES_PACKAGE,
    PostgresUnavailableError,
    StoreBackend,
    postgres_bindir,
)
from dossier.devstack.paths import (
    FERRETDB_MODULE,
    FERRETDB_VERSION,
    KAFKA_VERSION,
    LOG4J_VERSION,
    cache_dir,
    ferretdb_binary,
    kafka_home,
)

log = logging.getLogger(__name__)

_KAFKA_POM = """<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.dossier</groupId>
  <artifactId>kafka-runtime</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId>
      <version>{kafka}</version>
    </dependency>
    <dependency>
      <groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j-impl</artifactId>
      <version>{log4j}</version>
    </dependency>
  </dependencies>
</project>
"""


class ProvisioningError(RuntimeError):
    """A provisioning route failed; the message says which command and why."""


def _run(cmd: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    log.info("running %s", " ".join(cmd))
    proc = subprocess.run(  # noqa: S603 - fixed argv, no shell
        cmd, cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        output = f"{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}"
        msg = f"{' '.join(cmd)} failed ({proc.returncode}):\n{output}"
        raise ProvisioningError(msg)
    return proc.stdout


def _require(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        msg = f"`{tool}` is not on PATH; it is needed to provision the local stack"
        raise ProvisioningError(msg)
    return path


def provision_kafka() -> Path:
    home = kafka_home()
    if (home / "libs" / f"kafka_2.13-{KAFKA_VERSION}.jar").exists():
        return home
    mvn = _require("mvn")
    _require("java")
    cache_dir().mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache_dir(), prefix=".kafka-") as tmp:
        work = Path(tmp)
        (work / "pom.xml").write_text(_KAFKA_POM.format(kafka=KAFKA_VERSION, log4j=LOG4J_VERSION))
        _run(
            [
                mvn,
                "-q",
                "-B",
                "dependency:copy-dependencies",
                "-DoutputDirectory=libs",
                "-DincludeScope=runtime",
            ],
            cwd=work,
        )
        (work / "pom.xml").unlink()
        if home.exists():
            shutil.rmtree(home)
        work.rename(home)
        home.chmod(0o755)
    log.info("Kafka %s provisioned in %s", KAFKA_VERSION, home)
    return home


def provision_ferretdb() -> Path:
    binary = ferretdb_binary()
    if binary.exists():
        return binary
    go = _require("go")
    # `go install module@version` asks the proxy for the module's version list to
    # check deprecation; some proxies refuse that. Downloading the exact version
    # and building it in place needs no list, and lets us write version.txt,
    # which FerretDB's own build generates and the module zip lacks.
    out = _run([go, "mod", "download", "-json", f"{FERRETDB_MODULE}@{FERRETDB_VERSION}"])
    module_dir = Path(json.loads(out)["Dir"])
    binary.parent.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=binary.parent.parent, prefix=".src-") as tmp:
        src = Path(tmp) / "src"
        shutil.copytree(module_dir, src)
        for path in src.rglob("*"):
            path.chmod(path.stat().st_mode | 0o200)
        (src / "build" / "version" / "version.txt").write_text(FERRETDB_VERSION + "\n")
        (src / "build" / "version" / "package.txt").write_text("dossier-devstack\n")
        apply_patches(src)
        built = Path(tmp) / "ferretdb"
        _run([go, "build", "-trimpath", "-o", str(built), "./cmd/ferretdb"], cwd=src)
        binary.parent.mkdir(parents=True, exist_ok=True)
        built.rename(binary)
    log.info("FerretDB %s (patch level %d) built at %s", FERRETDB_VERSION, PATCH_LEVEL, binary)
    return binary


def provision_postgres(*, required: bool) -> Path | None:
    """Debian's PostgreSQL server binaries, installing the package if missing (as root).

    Not `required` (the SQLite default): a machine that cannot install it still provisions;
    only the PostgreSQL backend and its test need it."""
    try:
        return postgres_bindir()
    except PostgresUnavailableError as missing:
        apt = shutil.which("apt-get")
        if apt is None or os.geteuid() != 0:
            if required:
                raise ProvisioningError(str(missing)) from missing
            log.warning("%s", missing)
            return None
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for argv in ([apt, "update", "-qq"], [apt, "install", "-y", "-qq", POSTGRES_PACKAGE]):
        subprocess.run(argv, check=required, env=env, capture_output=True)  # noqa: S603
    try:
        return postgres_bindir()
    except PostgresUnavailableError as exc:
        if required:
            raise ProvisioningError(str(exc)) from exc
        log.warning("%s", exc)
        return None


def provision_all(store_backend: StoreBackend = "sqlite") -> None:
    provision_kafka()
    provision_ferretdb()
    bindir = provision_postgres(required=store_backend == "postgresql")
    if bindir is not None:
        log.info("PostgreSQL server binaries found in %s", bindir)
