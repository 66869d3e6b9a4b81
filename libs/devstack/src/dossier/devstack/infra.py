"""Kafka and the MongoDB-protocol store as local processes on loopback.

- Kafka: KRaft, one combined broker+controller node, small heap.
- The store: FerretDB, on one of two backends chosen by `DOSSIER_STORE_BACKEND`
  (see `store_processes`, and docs/store-backends.md for how they compare):
  `sqlite` (the default) — files in a data folder, `synchronous=NORMAL` on top of
  FerretDB's own WAL pragmas; `postgresql` — Debian's PostgreSQL 15 server, a
  throwaway cluster initialised in the state folder and run as an unprivileged
  user, FerretDB's `postgresql` handler in front of it.
"""

import asyncio
import logging
import os
import pwd
import re
import shutil
import signal
import stat
import subprocess
import urllib.parse
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Literal, get_args

from aiokafka.admin import AIOKafkaAdminClient
from pymongo import MongoClient

from dossier.devstack.paths import ferretdb_binary, kafka_home
from dossier.devstack.processes import ManagedProcess, StartupError, free_port, port_open

log = logging.getLogger(__name__)

_KAFKA_PROPERTIES = """\
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:{controller_port}
listeners=PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{controller_port}
advertised.listeners=PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{controller_port}
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs={data_dir}
num.partitions=6
offsets.topic.replication.factor=1
offsets.topic.num.partitions=6
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
log.retention.hours=24
# The controller appends a no-op record to the metadata log this often (default every 0.5 s);
# a one-node dev cluster has nobody to prove liveness to, and the appends were half the idle
# broker's CPU (0.030 → 0.016 CPU-s/s with no clients, measured with /proc).
metadata.max.idle.interval.ms=5000
"""

_LOG4J2 = """\
status = warn
appender.console.type = Console
appender.console.name = STDOUT
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.stdout.ref = STDOUT
logger.server.name = kafka.server.KafkaRaftServer
logger.server.level = INFO
"""


def kafka_process(
    data_dir: Path,
    log_path: Path,
    *,
    port: int,
    controller_port: int | None = None,
    pid_file: Path | None = None,
) -> ManagedProcess:
    """Format the storage on first use, then run the broker with a small heap."""
    home = kafka_home()
    controller_port = controller_port or free_port()
    conf_dir = data_dir / "config"
    logs_dir = data_dir / "logs"
    conf_dir.mkdir(parents=True, exist_ok=True)
    props = conf_dir / "server.properties"
    props.write_text(
        _KAFKA_PROPERTIES.format(port=port, controller_port=controller_port, data_dir=logs_dir)
    )
    (conf_dir / "log4j2.properties").write_text(_LOG4J2)
    java = shutil.which("java") or "java"
    classpath = f"{home / 'libs'}/*"
    jvm = [
        java,
        "-Xms512m",
        "-Xmx512m",
        "-XX:+UseSerialGC",
        "-Djava.awt.headless=true",
        f"-Dlog4j2.configurationFile={conf_dir / 'log4j2.properties'}",
        "-cp",
        classpath,
    ]
    if not (logs_dir / "meta.properties").exists():
        if logs_dir.exists():
            shutil.rmtree(logs_dir)
        subprocess.run(  # noqa: S603 - argv built by us
            [
                *jvm,
                "kafka.tools.StorageTool",
                "format",
                "--standalone",
                "-t",
                uuid.uuid4().hex[:22],
                "-c",
                str(props),
            ],
            check=True,
            capture_output=True,
        )
    return ManagedProcess(
        name="kafka",
        argv=[*jvm, "kafka.Kafka", str(props)],
        log_path=log_path,
        pid_file=pid_file,
        ready=lambda: _kafka_ready(port),
    )


def _kafka_ready(port: int) -> bool:
    """The port answers and the broker serves metadata (the controller has elected itself)."""
    if not port_open(port):
        return False

    async def probe() -> bool:
        admin = AIOKafkaAdminClient(bootstrap_servers=f"127.0.0.1:{port}", request_timeout_ms=3000)
        try:
            await admin.start()
            await admin.list_topics()
        except Exception:
            return False
        finally:
            await admin.close()
        return True

    return asyncio.run(probe())


# the store ------------------------------------------------------------------------------

StoreBackend = Literal["sqlite", "postgresql"]
STORE_BACKENDS: tuple[StoreBackend, ...] = get_args(StoreBackend)
DEFAULT_STORE_BACKEND: StoreBackend = "sqlite"


def store_backend(env: Mapping[str, str] | None = None) -> StoreBackend:
    """`DOSSIER_STORE_BACKEND`: `sqlite` (default) or `postgresql`; anything else is an error."""
    value = (os.environ if env is None else env).get("DOSSIER_STORE_BACKEND", "").strip().lower()
    if not value:
        return DEFAULT_STORE_BACKEND
    for backend in STORE_BACKENDS:
        if value == backend:
            return backend
    msg = f"DOSSIER_STORE_BACKEND={value!r}: expected one of {', '.join(STORE_BACKENDS)}"
    raise ValueError(msg)


#: Added to FerretDB's SQLite URL. FerretDB 1.24 itself adds `busy_timeout(10000)`,
#: `journal_mode(wal)` and `auto_vacuum(none)` unless the URL sets them (its
#: internal/backends/sqlite/metadata/pool/uri.go), and its driver (modernc.org/sqlite) runs
#: every `_pragma` value on each connection it opens. SQLite's default `synchronous=FULL`
#: fsyncs the WAL on every commit; with WAL, `NORMAL` fsyncs only at checkpoints: a commit
#: survives the FerretDB process crashing (the WAL is in the OS cache), and an OS crash or
#: power loss can lose the last commits but never corrupts the database.
SQLITE_TUNED_PRAGMAS: tuple[str, ...] = ("synchronous(normal)",)


def sqlite_url(directory: Path, pragmas: Sequence[str] = SQLITE_TUNED_PRAGMAS) -> str:
    """FerretDB's `--sqlite-url`: a `file:` URI of the folder, one `_pragma` per pragma."""
    query = urllib.parse.urlencode([("_pragma", p) for p in pragmas])
    return f"file:{directory}/" + (f"?{query}" if query else "")


def ferretdb_process(
    data_dir: Path,
    log_path: Path,
    *,
    port: int,
    pid_file: Path | None = None,
    backend: StoreBackend = "sqlite",
    postgresql_url: str | None = None,
    sqlite_pragmas: Sequence[str] = SQLITE_TUNED_PRAGMAS,
    log_level: str = "warn",
) -> ManagedProcess:
    """FerretDB on 127.0.0.1:`port`; its own state (and SQLite files) under `data_dir`.

    `backend="postgresql"` needs `postgresql_url`, a database that exists on a running
    server (`postgres_process` makes one); `sqlite_pragmas=()` runs SQLite as FerretDB
    configures it out of the box.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    if backend == "sqlite":
        sqlite_dir = data_dir / "sqlite"
        sqlite_dir.mkdir(parents=True, exist_ok=True)
        handler = ["--handler=sqlite", f"--sqlite-url={sqlite_url(sqlite_dir, sqlite_pragmas)}"]
    elif backend == "postgresql":
        if not postgresql_url:
            msg = "ferretdb_process(backend='postgresql') needs postgresql_url"
            raise ValueError(msg)
        handler = ["--handler=postgresql", f"--postgresql-url={postgresql_url}"]
    else:  # pragma: no cover - the Literal type forbids it
        msg = f"unknown store backend {backend!r}"
        raise ValueError(msg)
    return ManagedProcess(
        name="ferretdb",
        argv=[
            str(ferretdb_binary()),
            *handler,
            f"--listen-addr=127.0.0.1:{port}",
            f"--state-dir={data_dir}",
            f"--debug-addr=127.0.0.1:{free_port()}",
            "--telemetry=disable",
            f"--log-level={log_level}",
            "--log-format=json",
        ],
        log_path=log_path,
        pid_file=pid_file,
        ready=lambda: _mongo_ready(port),
    )


def store_processes(
    data_dir: Path,
    logs_dir: Path,
    *,
    port: int,
    backend: StoreBackend | None = None,
    postgres_port: int | None = None,
    pid_dir: Path | None = None,
    sqlite_pragmas: Sequence[str] = SQLITE_TUNED_PRAGMAS,
) -> list[ManagedProcess]:
    """The MongoDB-protocol store on 127.0.0.1:`port`, in start order.

    `[ferretdb]` for SQLite, `[postgres, ferretdb]` for PostgreSQL: start each one only once
    the one before it is ready (`start_in_order`), and stop them in reverse. Data goes to
    `data_dir/ferretdb` and `data_dir/postgres`, logs to `logs_dir/<name>.log`, pid files to
    `pid_dir/<name>.pid` when given. `backend=None` reads `DOSSIER_STORE_BACKEND`.
    """
    backend = backend or store_backend()

    def pid(name: str) -> Path | None:
        return pid_dir / f"{name}.pid" if pid_dir is not None else None

    procs: list[ManagedProcess] = []
    url = None
    if backend == "postgresql":
        pg_port = postgres_port or free_port()
        procs.append(
            postgres_process(
                data_dir / "postgres",
                logs_dir / "postgres.log",
                port=pg_port,
                pid_file=pid("postgres"),
            )
        )
        url = postgres_url(pg_port)
    procs.append(
        ferretdb_process(
            data_dir / "ferretdb",
            logs_dir / "ferretdb.log",
            port=port,
            pid_file=pid("ferretdb"),
            backend=backend,
            postgresql_url=url,
            sqlite_pragmas=sqlite_pragmas,
        )
    )
    return procs


def start_in_order(procs: Sequence[ManagedProcess], *, timeout: float = 90.0) -> None:
    """Start each process and wait until it is ready before starting the next."""
    for proc in procs:
        proc.start()
        proc.wait_ready(timeout=timeout)


# PostgreSQL ---------------------------------------------------------------------------------

POSTGRES_PACKAGE = "postgresql-15"
POSTGRES_DEFAULT_BINDIR = Path("/usr/lib/postgresql/15/bin")
POSTGRES_USER = "dossier"  # the cluster's superuser (a role, not an OS account)
POSTGRES_DATABASE = "ferretdb"
_SOCKET_PATH_MAX = 107  # sun_path is 108 bytes on Linux, NUL included


class PostgresUnavailableError(StartupError):
    """PostgreSQL's server binaries, or a user to run them as, are missing."""


def postgres_bindir() -> Path:
    """Where `initdb` and `postgres` are: `DOSSIER_POSTGRES_BINDIR`, Debian's, or PATH."""
    candidates = []
    if override := os.environ.get("DOSSIER_POSTGRES_BINDIR"):
        candidates.append(Path(override))
    else:
        candidates.append(POSTGRES_DEFAULT_BINDIR)
        if on_path := shutil.which("postgres"):
            candidates.append(Path(on_path).resolve().parent)
    for bindir in candidates:
        if all(os.access(bindir / tool, os.X_OK) for tool in ("initdb", "postgres", "psql")):
            return bindir
    msg = (
        f"PostgreSQL server binaries (initdb, postgres, psql) not found in "
        f"{', '.join(map(str, candidates))}. DOSSIER_STORE_BACKEND=postgresql runs Debian's "
        f"PostgreSQL 15: install the Debian package {POSTGRES_PACKAGE} "
        f"(`apt-get install {POSTGRES_PACKAGE}`), or set DOSSIER_POSTGRES_BINDIR, "
        f"or use DOSSIER_STORE_BACKEND=sqlite."
    )
    raise PostgresUnavailableError(msg)


def postgres_url(port: int, database: str = POSTGRES_DATABASE) -> str:
    """The URL FerretDB connects with (TCP on loopback; the cluster trusts local connections)."""
    return f"postgres://{POSTGRES_USER}@127.0.0.1:{port}/{database}"


def _postgres_account() -> pwd.struct_passwd | None:
    """The OS account to run PostgreSQL as: None to run as ourselves, `postgres` as root.

    PostgreSQL refuses to run as root. Debian's postgresql-common creates a `postgres`
    system user; we switch to it with `setpriv`, which execs the server in place, so the
    pid we record and signal is the postmaster's. (`runuser` stays behind as a root parent
    and, when signalled, SIGKILLs its child after two seconds.)
    """
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam("postgres")
    except KeyError:
        msg = (
            "running as root, and PostgreSQL refuses to run as root: there is no `postgres` "
            f"system user to run it as (the Debian package {POSTGRES_PACKAGE} creates one)"
        )
        raise PostgresUnavailableError(msg) from None


def _as_account(account: pwd.struct_passwd | None, argv: list[str]) -> list[str]:
    if account is None:
        return argv
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        msg = "`setpriv` (util-linux) is needed to run PostgreSQL as the postgres user"
        raise PostgresUnavailableError(msg)
    return [
        setpriv,
        f"--reuid={account.pw_uid}",
        f"--regid={account.pw_gid}",
        "--init-groups",
        "--",
        *argv,
    ]


def _own(path: Path, account: pwd.struct_passwd | None, mode: int = 0o700) -> None:
    path.mkdir(parents=True, exist_ok=True)
    if account is not None:
        os.chown(path, account.pw_uid, account.pw_gid)
    path.chmod(mode)


def _grant_traverse(path: Path, account: pwd.struct_passwd) -> None:
    """Let `account` reach `path`: add o+x (search, not read) where a parent folder denies it.

    Test state lives in `mkdtemp` folders (0700, root's) and a checkout may sit under /root;
    the server, running as `postgres`, must still reach its data folder.
    """
    groups = set(os.getgrouplist(account.pw_name, account.pw_gid))
    for folder in [*reversed(path.parents), path]:
        st = folder.stat()
        if st.st_uid == account.pw_uid:
            allowed = st.st_mode & stat.S_IXUSR
        elif st.st_gid in groups:
            allowed = st.st_mode & stat.S_IXGRP
        else:
            allowed = st.st_mode & stat.S_IXOTH
        if not allowed:
            log.warning(
                "adding o+x to %s so that PostgreSQL (user postgres) can reach its data", folder
            )
            folder.chmod(stat.S_IMODE(st.st_mode) | stat.S_IXOTH)


# Settings for a throwaway dev/test store, passed as -c flags (visible in `ps`):
# - listen_addresses=127.0.0.1: loopback only, like every other server of the stack; the
#   cluster trusts local connections (initdb --auth=trust), so it must never listen wider.
# - unix_socket_directories=<data_dir>/run: not Debian's /var/run/postgresql, which belongs to
#   the system cluster (and may not exist or be writable); `psql -h <that folder>` works.
# - fsync stays on: an OS crash with fsync=off can corrupt the cluster beyond repair, and a
#   broken store costs a developer more than the fsyncs cost the store.
# - synchronous_commit=off: a commit returns before its WAL is flushed; a crash of the server
#   or the OS can lose the last few hundred milliseconds of commits (3 x wal_writer_delay) but
#   never corrupts anything: the same trade as SQLite's synchronous=NORMAL, a bit weaker.
# - shared_buffers=32MB: the dev store is small and the machine is shared.
# - jit=off: JIT compilation costs tens of milliseconds and pays off only on analytics queries.
_POSTGRES_SETTINGS = {
    "listen_addresses": "127.0.0.1",
    "synchronous_commit": "off",
    "shared_buffers": "32MB",
    "jit": "off",
}


def postgres_process(
    data_dir: Path,
    log_path: Path,
    *,
    port: int,
    database: str = POSTGRES_DATABASE,
    pid_file: Path | None = None,
) -> ManagedProcess:
    """PostgreSQL on 127.0.0.1:`port` with its cluster in `data_dir/pgdata` (initdb on first use).

    Ready once it accepts connections and `database` exists (created then if it does not).
    As root the server runs as the `postgres` system user; otherwise as ourselves. Stopping
    sends SIGINT (PostgreSQL's fast shutdown: SIGTERM would wait for every client to leave).
    """
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", database):
        msg = f"database name {database!r}: lower-case letters, digits and _ only"
        raise ValueError(msg)
    bindir = postgres_bindir()
    account = _postgres_account()
    data_dir.mkdir(parents=True, exist_ok=True)
    if account is not None:
        _grant_traverse(data_dir.resolve(), account)
    pgdata = data_dir / "pgdata"
    socket_dir = data_dir / "run"
    _own(socket_dir, account)
    if not (pgdata / "PG_VERSION").exists():
        _initdb(bindir, pgdata, account, log_path)
    settings = dict(_POSTGRES_SETTINGS)
    socket_path = socket_dir.resolve() / f".s.PGSQL.{port}"
    # a socket path longer than sun_path stops the server from starting; TCP still works
    settings["unix_socket_directories"] = (
        str(socket_dir.resolve()) if len(str(socket_path)) <= _SOCKET_PATH_MAX else ""
    )
    argv = [str(bindir / "postgres"), "-D", str(pgdata.resolve()), "-p", str(port)]
    for name, value in settings.items():
        argv += ["-c", f"{name}={value}"]
    psql = str(bindir / "psql")
    return ManagedProcess(
        name="postgres",
        argv=_as_account(account, argv),
        log_path=log_path,
        pid_file=pid_file,
        cwd=data_dir,
        env={"LC_ALL": "C"},
        stop_signal=signal.SIGINT,
        ready=lambda: _postgres_ready(psql, port, database),
    )


def _initdb(bindir: Path, pgdata: Path, account: pwd.struct_passwd | None, log_path: Path) -> None:
    """Initialise the cluster in a scratch folder, then rename it: never half a cluster."""
    scratch = pgdata.with_name(pgdata.name + ".initdb")
    if scratch.exists():
        shutil.rmtree(scratch)
    _own(scratch, account)
    argv = [
        str(bindir / "initdb"),
        "-D",
        str(scratch.resolve()),
        f"--username={POSTGRES_USER}",
        "--auth=trust",  # loopback only (listen_addresses); no password to keep anywhere
        "--encoding=UTF8",  # FerretDB requires UTF8 and a C, POSIX or en_US.UTF8 collation
        "--locale=C",
        "--no-instructions",
    ]
    proc = subprocess.run(  # noqa: S603 - argv built by us
        _as_account(account, argv),
        cwd=pgdata.parent,
        env={**os.environ, "LC_ALL": "C"},
        capture_output=True,
        text=True,
        check=False,
    )
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("a") as out:
        out.write(proc.stdout + proc.stderr)
    if proc.returncode != 0:
        msg = f"initdb failed ({proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
        raise StartupError(msg)
    scratch.rename(pgdata)


def _psql(psql: str, port: int, sql: str) -> subprocess.CompletedProcess[str]:
    connect = ["-h", "127.0.0.1", "-p", str(port), "-U", POSTGRES_USER, "-d", "postgres"]
    quiet = ["-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1"]
    return subprocess.run(  # noqa: S603 - argv built by us
        [psql, *connect, *quiet, "-c", sql],
        env={**os.environ, "PGCONNECT_TIMEOUT": "2"},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def _postgres_ready(psql: str, port: int, database: str) -> bool:
    """The server answers queries and `database` exists (created on the first ready probe)."""
    if not port_open(port):
        return False
    # `database` matched [a-z_][a-z0-9_]* in postgres_process: nothing to escape
    query = f"SELECT 1 FROM pg_database WHERE datname = '{database}'"  # noqa: S608
    found = _psql(psql, port, query)
    if found.returncode != 0:
        return False  # e.g. "the database system is starting up"
    if found.stdout.strip() == "1":
        return True
    created = _psql(psql, port, f'CREATE DATABASE "{database}"')
    if created.returncode != 0:
        log.warning("CREATE DATABASE %s failed: %s", database, created.stderr.strip())
        return False
    return True


def _mongo_ready(port: int) -> bool:
    if not port_open(port):
        return False
    client: MongoClient[dict[str, object]] = MongoClient(
        f"mongodb://127.0.0.1:{port}", serverSelectionTimeoutMS=1000
    )
    try:
        client.admin.command("ping")
    except Exception:
        return False
    finally:
        client.close()
    return True
