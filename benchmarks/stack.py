"""The benchmark's private stack: Kafka, FerretDB, the six services, the zero-latency fake
providers and the bare ASGI app, all on free ports in a temporary folder.

The same `LocalStack` that `make up` and the e2e tests use starts the real parts, so the
figures describe what developers run. Partners are created with the operator CLI.
"""

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from dossier.devstack.processes import ManagedProcess, free_port, port_open
from dossier.devstack.stack import SERVICES, LocalStack, StackConfig, http_ready

REPO = Path(__file__).resolve().parents[1]
#: The benchmark's partners: 32 clients polling as fast as the gateway answers pass the
#: largest default plan's 12,000 requests a minute within seconds.
BENCH_PLAN = "benchmark"
BENCH_PLAN_LIMITS = {"per_minute": 100_000_000, "per_hour": 1_000_000_000}


@dataclass(frozen=True)
class Partner:
    partner_id: str
    api_key: str


class BenchStack:
    """Start with `start()`, always `stop()`; `pids()` and `metrics_urls()` feed the probes."""

    def __init__(
        self,
        state_dir: Path | None = None,
        *,
        realistic: bool = False,
        partitions: int = 6,
        enrichment_concurrency: int | None = None,
    ) -> None:
        """`realistic`: providers answering in 1-3 s with errors and 429s, no source cache,
        `partitions` per topic, identity and reporter working on all of them and each
        enrichment replica on `enrichment_concurrency` (see `benchmarks/realistic.py`)."""
        self.state_dir = state_dir or Path(tempfile.mkdtemp(prefix="dossier-bench-"))
        self.replicas: list[ManagedProcess] = []
        providers_port = free_port()
        self.providers_url = f"http://127.0.0.1:{providers_port}"
        self.config = StackConfig(
            state_dir=self.state_dir,
            kafka_port=free_port(),
            kafka_controller_port=free_port(),
            mongo_port=free_port(),
            ports={s.name: free_port() for s in SERVICES},
            env={
                "DOSSIER_GITHUB_API_URL": f"{self.providers_url}/github",
                "DOSSIER_SEARXNG_URL": f"{self.providers_url}/searxng",
                "DOSSIER_OPENSANCTIONS_URL": f"{self.providers_url}/yente",
                "DOSSIER_ORCID_API_URL": f"{self.providers_url}/orcid",
                "DOSSIER_LOG_LEVEL": "WARNING",
                # A plan whose limits the benchmark cannot reach: the limiter still admits
                # every request (its cost is measured), it just never refuses one.
                "DOSSIER_RATE_LIMITS": json.dumps({BENCH_PLAN: BENCH_PLAN_LIMITS}),
                **({"DOSSIER_SOURCE_CACHE_TTL_SECONDS": "0"} if realistic else {}),
            },
            partitions=partitions,
            service_env=(
                {
                    "identity": {"DOSSIER_CONCURRENCY": str(partitions)},
                    "reporter": {"DOSSIER_CONCURRENCY": str(partitions)},
                    "enrichment": {
                        "DOSSIER_CONCURRENCY": str(enrichment_concurrency or partitions)
                    },
                }
                if realistic
                else {}
            ),
        )
        self.stack = LocalStack(self.config)
        self.providers = ManagedProcess(
            "providers",
            [
                sys.executable,
                "-m",
                "tests.fakes.provider_server",
                "--port",
                str(providers_port),
                *(["--realistic"] if realistic else []),
            ],
            self.config.logs / "providers.log",
            cwd=REPO,
            env={"PYTHONPATH": str(REPO)},
            ready=lambda: port_open(providers_port),
        )
        bare_port = free_port()
        self.bare_url = f"http://127.0.0.1:{bare_port}"
        self.bare_app = ManagedProcess(
            "bare_app",
            [
                sys.executable,
                "-m",
                "benchmarks.bare_app",
                "--port",
                str(bare_port),
                "--mongo-url",
                self.config.mongo_url,
                "--database",
                self.config.mongo_database,
            ],
            self.config.logs / "bare_app.log",
            cwd=REPO,
            env={"PYTHONPATH": str(REPO)},
            ready=lambda: http_ready(f"{self.bare_url}/healthz"),
        )

    @property
    def gateway_url(self) -> str:
        return self.config.gateway_url

    @property
    def mongo_url(self) -> str:
        return self.config.mongo_url

    def start(self) -> None:
        self.providers.start()
        self.stack.start_infra()
        self.providers.wait_ready(30)
        self.stack.start_services()
        self.bare_app.start()
        self.bare_app.wait_ready(60)

    def add_enrichment_replica(self) -> ManagedProcess:
        """One more enrichment process in the same consumer group (its own metrics port)."""
        port = free_port()
        name = f"enrichment-{len(self.replicas) + 2}"
        replica = ManagedProcess(
            name,
            [sys.executable, "-m", "dossier.enrichment"],
            self.config.logs / f"{name}.log",
            env={
                **self.config.service_environment("enrichment"),
                "DOSSIER_METRICS_PORT": str(port),
            },
            ready=lambda: http_ready(f"http://127.0.0.1:{port}/readyz"),
        )
        replica.start()
        self.replicas.append(replica)
        replica.wait_ready(90)
        return replica

    def stop(self) -> None:
        for replica in self.replicas:
            replica.stop()
        self.bare_app.stop()
        self.stack.stop()
        self.providers.stop()

    def create_partner(self, name: str, plan: str = BENCH_PLAN) -> Partner:
        """A partner and its live key, through the operator CLI (as an operator would)."""
        out = subprocess.run(
            [
                str(Path(sys.executable).parent / "dossier"),
                *("partners", "create", "--name", name, "--plan", plan, "--json"),
            ],
            env={**os.environ, **self.config.service_environment("gateway")},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        created = json.loads(out)
        return Partner(partner_id=created["partner_id"], api_key=created["api_key"])

    def pids(self) -> dict[str, int]:
        """The measured processes: infrastructure, every service and the bare app."""
        procs = [
            *self.stack.infra.values(),
            *self.stack.services.values(),
            *self.replicas,
            self.bare_app,
        ]
        return {p.name: p.pid for p in procs if p.pid is not None and p.running()}

    @property
    def ferretdb_metrics_url(self) -> str | None:
        """FerretDB's Prometheus endpoint, on the debug address it was started with."""
        proc = self.stack.infra.get("ferretdb")
        for arg in proc.argv if proc else ():
            if arg.startswith("--debug-addr="):
                return f"http://{arg.split('=', 1)[1]}/debug/metrics"
        return None

    def harness_pids(self) -> dict[str, int]:
        """Processes that serve the benchmark, not the product (reported apart)."""
        pid = self.providers.pid
        return {"fake providers": pid} if pid is not None and self.providers.running() else {}

    def metrics_urls(self) -> dict[str, str]:
        """Each service's Prometheus endpoint: the gateway's HTTP port, consumers' probe ports."""
        return {
            name: f"http://127.0.0.1:{port}/metrics" for name, port in self.config.ports.items()
        }
