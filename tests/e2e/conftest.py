"""The running system: all six services as processes against the real infrastructure,
with third-party providers (GitHub, search, sanctions, registries, LLM) replaced by a local
server that speaks their protocols with recorded responses."""

import asyncio
import json
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
import pytest_asyncio
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from dossier.devstack.processes import ManagedProcess, free_port
from dossier.devstack.stack import LocalStack, StackConfig
from tests.conftest import Infra

REPO = Path(__file__).resolve().parents[2]
T = TypeVar("T")

pytestmark = pytest.mark.e2e


@dataclass
class Providers:
    url: str

    def control(self, **settings: Any) -> None:
        """Change the fake providers' behaviour (e.g. `delay=2.0`) while the stack runs."""
        httpx.post(f"{self.url}/_control", json=settings, timeout=5).raise_for_status()


@pytest.fixture(scope="session")
def providers(infra: Infra) -> Iterator[Providers]:
    port = free_port()
    proc = ManagedProcess(
        name="providers",
        argv=[sys.executable, "-m", "tests.fakes.provider_server", "--port", str(port)],
        log_path=infra.state_dir / "logs" / "providers.log",
        cwd=REPO,
        env={"PYTHONPATH": str(REPO)},
        ready=lambda: _ok(f"http://127.0.0.1:{port}/_health"),
    )
    proc.start()
    proc.wait_ready(timeout=30)
    yield Providers(f"http://127.0.0.1:{port}")
    proc.stop()


def _ok(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def provider_env(providers: Providers) -> dict[str, str]:
    return {
        "DOSSIER_GITHUB_API_URL": f"{providers.url}/github",
        "DOSSIER_SEARXNG_URL": f"{providers.url}/searxng",
        "DOSSIER_OPENSANCTIONS_URL": f"{providers.url}/yente",
        "DOSSIER_ORCID_API_URL": f"{providers.url}/orcid",
        "DOSSIER_COMPANIES_HOUSE_API_URL": f"{providers.url}/companies-house",
        "DOSSIER_COMPANIES_HOUSE_API_KEY": "test-key",
    }


#: Where every service of the e2e stack writes its MongoDB command log (one file per process);
#: `test_store_access.py` reads everything the session's tests made the services send.
COMMAND_LOG_DIR = "store-commands"

#: Tests poll fast (every 0.01-0.2 s), so `standard` is lifted here; `starter` keeps its real
#: defaults and `tiny` is for tests that need to reach a limit.
E2E_RATE_LIMITS = {
    "standard": {"per_minute": 1_000_000, "per_hour": 10_000_000},
    "tiny": {"per_minute": 5, "per_hour": 6},
}


#: Opens the operators' pages (`/asyncapi`) of the e2e gateway.
E2E_OPERATOR_TOKEN = "e2e-operator-token-0123456789"


@pytest.fixture(scope="session")
def stack(infra: Infra, providers: Providers) -> Iterator[LocalStack]:
    config = StackConfig(
        state_dir=infra.state_dir,
        kafka_port=infra.kafka_port,
        mongo_port=infra.mongo_port,
        kafka_host=infra.kafka_host,
        mongo_url_override=infra.mongo_url,
        ports={
            name: free_port()
            for name in ("gateway", "identity", "enrichment", "reporter", "billing", "webhooks")
        },
        mongo_database="dossier_e2e",
        env={
            **provider_env(providers),
            "DOSSIER_LEGACY_WAIT_SECONDS": "20",
            "DOSSIER_OUTBOX_SWEEP_SECONDS": "1",
            "DOSSIER_OUTBOX_GRACE_SECONDS": "2",
            "DOSSIER_STAGE_RETRY_BACKOFF_SECONDS": "0.1",
            "DOSSIER_TRACE_FILE": str(infra.state_dir / "spans.jsonl"),
            "DOSSIER_WEBHOOK_ALLOWLIST": "127.0.0.1",
            "DOSSIER_WEBHOOK_RETRY_SCHEDULE": "1,1,1,1,1",
            "DOSSIER_WEBHOOK_DISABLE_AFTER": "4",
            "DOSSIER_WEBHOOK_POLL_SECONDS": "0.2",
            "DOSSIER_RATE_LIMITS": json.dumps(E2E_RATE_LIMITS),
            "DOSSIER_OPERATOR_TOKEN": E2E_OPERATOR_TOKEN,
            "DOSSIER_MONGO_COMMAND_LOG": str(
                infra.state_dir / COMMAND_LOG_DIR / "{service}-{pid}.jsonl"
            ),
        },
    )
    stack = LocalStack(config)
    try:
        stack.start_services()
        yield stack
    finally:
        stack.stop()


@pytest.fixture(scope="session")
def gateway_url(stack: LocalStack) -> str:
    return stack.config.gateway_url


def create_partner(
    stack: LocalStack,
    name: str = "E2E Partner",
    *,
    plan: str = "standard",
    monthly_credits: int | None = None,
) -> dict[str, str]:
    """Through the operator CLI, exactly as an operator would."""
    credits = ["--monthly-credits", str(monthly_credits)] if monthly_credits is not None else []
    out = subprocess.run(
        [
            str(REPO / ".venv" / "bin" / "dossier"),
            *("partners", "create", "--name", name, "--plan", plan, *credits, "--json"),
        ],
        env={**os.environ, **stack.config.service_environment("gateway")},
        capture_output=True,
        text=True,
        check=True,
    )
    partner: dict[str, str] = json.loads(out.stdout)
    return partner


@pytest.fixture(scope="session")
def partner(stack: LocalStack) -> dict[str, str]:
    return create_partner(stack)


@pytest.fixture(scope="session")
def other_partner(stack: LocalStack) -> dict[str, str]:
    return create_partner(stack, "Other Partner")


@pytest_asyncio.fixture(loop_scope="session")
async def api(gateway_url: str, partner: dict[str, str]) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        base_url=gateway_url, headers={"X-API-Key": partner["api_key"]}, timeout=30
    ) as client:
        yield client


@pytest_asyncio.fixture(loop_scope="session")
async def db(stack: LocalStack) -> AsyncIterator[AsyncDatabase[dict[str, Any]]]:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
        stack.config.mongo_url, tz_aware=True
    )
    yield client[stack.config.mongo_database]
    await client.close()


async def eventually(
    probe: Callable[[], Awaitable[T | None]], *, timeout: float = 60, every: float = 0.2
) -> T:
    """Poll `probe` until it returns something truthy, or fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = await probe()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"condition not met within {timeout}s")
        await asyncio.sleep(every)
