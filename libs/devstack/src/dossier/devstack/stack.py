"""The whole local stack: Kafka, the store and the six services as processes on loopback.

The store is FerretDB on SQLite, or on PostgreSQL with `DOSSIER_STORE_BACKEND=postgresql`
(`StackConfig.store_backend`); see `dossier.devstack.infra.store_processes`.

`make up`/`make run` and the e2e test fixtures use the same code, so what the
tests prove is what a developer runs.
"""

import asyncio
import logging
import signal
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from dossier.devstack.infra import (
    StoreBackend,
    kafka_process,
    start_in_order,
    store_backend,
    store_processes,
)
from dossier.devstack.processes import ManagedProcess, StartupError, live_pid, stop_pid_file
from dossier.runtime.kafka import ensure_topics

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    default_port: int

    @property
    def module(self) -> str:
        return f"dossier.{self.name}"


SERVICES = (
    ServiceSpec("gateway", 8080),
    ServiceSpec("identity", 9101),
    ServiceSpec("enrichment", 9102),
    ServiceSpec("reporter", 9103),
    ServiceSpec("billing", 9104),
    ServiceSpec("webhooks", 9105),
)
CONSUMERS = tuple(s for s in SERVICES if s.name != "gateway")
#: FerretDB before the server it uses; PostgreSQL's fast shutdown is SIGINT (SIGTERM waits for
#: every client to disconnect).
INFRA_STOP_ORDER = ("ferretdb", "postgres", "kafka")
_STOP_SIGNALS = {"postgres": signal.SIGINT}


@dataclass
class StackConfig:
    state_dir: Path
    kafka_port: int = 9092
    kafka_controller_port: int = 9093
    mongo_port: int = 27017
    #: `sqlite` or `postgresql`; defaults to `DOSSIER_STORE_BACKEND` (itself `sqlite` if unset)
    store_backend: StoreBackend = field(default_factory=store_backend)
    postgres_port: int = 55432  # only with store_backend="postgresql"
    ports: dict[str, int] = field(
        default_factory=lambda: {s.name: s.default_port for s in SERVICES}
    )
    mongo_database: str = "dossier"
    partitions: int = 6
    env: dict[str, str] = field(default_factory=dict)
    service_env: dict[str, dict[str, str]] = field(default_factory=dict)
    #: Infrastructure run elsewhere (testcontainers): Kafka's host and a full MongoDB URL
    #: (credentials included) instead of local processes on 127.0.0.1.
    kafka_host: str = "127.0.0.1"
    mongo_url_override: str | None = None

    @property
    def logs(self) -> Path:
        return self.state_dir / "logs"

    @property
    def pids(self) -> Path:
        return self.state_dir / "run"

    @property
    def bootstrap(self) -> str:
        return f"{self.kafka_host}:{self.kafka_port}"

    @property
    def mongo_url(self) -> str:
        return self.mongo_url_override or f"mongodb://127.0.0.1:{self.mongo_port}"

    @property
    def store_description(self) -> str:
        if self.store_backend == "postgresql":
            return f"FerretDB on PostgreSQL, 127.0.0.1:{self.postgres_port}"
        return "FerretDB on SQLite"

    @property
    def gateway_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['gateway']}"

    def service_environment(self, name: str) -> dict[str, str]:
        port = str(self.ports[name])
        env = {
            "DOSSIER_SERVICE_NAME": name,
            "DOSSIER_DEPLOYMENT": "development",
            "DOSSIER_KAFKA_BOOTSTRAP_SERVERS": self.bootstrap,
            "DOSSIER_MONGO_URL": self.mongo_url,
            "DOSSIER_MONGO_DATABASE": self.mongo_database,
            "DOSSIER_PUBLIC_BASE_URL": self.gateway_url,
            "PYTHONUNBUFFERED": "1",
        }
        env["DOSSIER_HTTP_PORT" if name == "gateway" else "DOSSIER_METRICS_PORT"] = port
        if name == "gateway":  # the demo ATS page reads the demo partner's sandbox key here
            env["DOSSIER_DEMO_PARTNER_FILE"] = str(self.state_dir / DEMO_PARTNER_FILE)
        return {**env, **self.env, **self.service_env.get(name, {})}


#: The demo partner's keys (written by `dossier-stack up`/`run` once the gateway is up).
DEMO_PARTNER_FILE = "demo-partner.json"


def http_ready(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


class LocalStack:
    """Start, inspect and stop the stack described by a `StackConfig`."""

    def __init__(self, config: StackConfig) -> None:
        self.config = config
        self.infra: dict[str, ManagedProcess] = {}
        self.services: dict[str, ManagedProcess] = {}

    # infrastructure -------------------------------------------------------------------
    def infra_processes(self) -> list[ManagedProcess]:
        """Kafka, then the store's processes in start order (not started)."""
        cfg = self.config
        data = cfg.state_dir / "data"
        kafka = kafka_process(
            data / "kafka",
            cfg.logs / "kafka.log",
            port=cfg.kafka_port,
            controller_port=cfg.kafka_controller_port,
            pid_file=cfg.pids / "kafka.pid",
        )
        store = store_processes(
            data,
            cfg.logs,
            port=cfg.mongo_port,
            backend=cfg.store_backend,
            postgres_port=cfg.postgres_port,
            pid_dir=cfg.pids,
        )
        return [kafka, *store]

    def start_infra(self, only: set[str] | None = None) -> None:
        """Start the infrastructure (`only` those parts, when given) and create the topics."""
        cfg = self.config
        kafka, *store = self.infra_processes()
        wanted = [p for p in (kafka, *store) if only is None or p.name in only]
        self.infra.update((proc.name, proc) for proc in wanted)
        if kafka in wanted:
            kafka.start()  # the JVM takes longest: let it start while the store comes up
        start_in_order([p for p in store if p in wanted], timeout=90)
        if kafka in wanted:
            kafka.wait_ready(timeout=90)
        asyncio.run(ensure_topics(cfg.bootstrap, partitions=cfg.partitions))

    # services ---------------------------------------------------------------------------
    def service_process(self, spec: ServiceSpec) -> ManagedProcess:
        cfg = self.config
        port = cfg.ports[spec.name]
        return ManagedProcess(
            name=spec.name,
            argv=[sys.executable, "-m", spec.module],
            log_path=cfg.logs / f"{spec.name}.log",
            pid_file=cfg.pids / f"{spec.name}.pid",
            env=cfg.service_environment(spec.name),
            ready=lambda: http_ready(f"http://127.0.0.1:{port}/readyz"),
        )

    def start_service(self, name: str, *, wait: bool = True) -> ManagedProcess:
        spec = next(s for s in SERVICES if s.name == name)
        proc = self.service_process(spec)
        proc.start()
        self.services[name] = proc
        if wait:
            proc.wait_ready(timeout=60)
        return proc

    def start_services(self, only: set[str] | None = None) -> None:
        started = [
            self.start_service(spec.name, wait=False)
            for spec in SERVICES
            if only is None or spec.name in only
        ]
        with ThreadPoolExecutor(max(1, len(started))) as pool:
            list(pool.map(lambda p: p.wait_ready(timeout=90), started))

    def start(self) -> None:
        self.start_infra()
        self.start_services()

    def stop(self) -> None:
        with ThreadPoolExecutor(max(1, len(self.services))) as pool:
            list(pool.map(lambda p: p.stop(), self.services.values()))
        for name in INFRA_STOP_ORDER:
            if name in self.infra:
                self.infra[name].stop()

    def revive(self) -> dict[str, str]:
        """Bring a detached stack (one an earlier `up` started) to full strength: start every
        part whose process is gone, leave every running part alone (same pid, no restart).

        Kafka comes back on the same ports and data, FerretDB on the same data; the services
        that kept running reconnect by themselves. Returns `{part: "running" | "started"}`.
        """
        cfg = self.config
        state: dict[str, str] = {}
        for proc in self.infra_processes():
            alive = live_pid(cfg.pids / f"{proc.name}.pid", _signature(proc, cfg))
            state[proc.name] = "running" if alive else "started"
        for spec in SERVICES:
            alive = live_pid(cfg.pids / f"{spec.name}.pid", spec.module)
            state[spec.name] = "running" if alive else "started"
        dead = {name for name, how in state.items() if how == "started"}
        self.start_infra(only={n for n in dead if n not in {s.name for s in SERVICES}})
        self.start_services(only=dead & {s.name for s in SERVICES})
        self.wait_all_ready()  # the parts that kept running reconnect on their own
        return state

    def wait_all_ready(self, timeout: float = 90.0) -> None:
        """Until every service's /readyz is green (StartupError after `timeout` seconds)."""
        deadline = time.monotonic() + timeout
        for spec in SERVICES:
            url = f"http://127.0.0.1:{self.config.ports[spec.name]}/readyz"
            while not http_ready(url):
                if time.monotonic() > deadline:
                    msg = f"{spec.name} not ready after {timeout:.0f}s (see {self.config.logs})"
                    raise StartupError(msg)
                time.sleep(0.5)

    def processes(self) -> Iterator[ManagedProcess]:
        yield from self.services.values()
        yield from self.infra.values()


def _signature(proc: ManagedProcess, config: StackConfig) -> str | None:
    """What an infrastructure process's command line names that is this stack's own: its
    config or data folder (so a recycled pid, or another stack's server, is not mistaken
    for it)."""
    here = str(config.state_dir)
    return next((arg for arg in proc.argv if here in arg), None)


def stop_detached(config: StackConfig) -> list[str]:
    """Stop a stack started by an earlier `up`, services first. Returns what was stopped.

    Whatever the store backend is now: a PostgreSQL started by an earlier `up` is stopped too.
    """
    stopped = []
    for name in [s.name for s in SERVICES] + list(INFRA_STOP_ORDER):
        sig = _STOP_SIGNALS.get(name, signal.SIGTERM)
        if stop_pid_file(config.pids / f"{name}.pid", sig=sig):
            stopped.append(name)
    return stopped
