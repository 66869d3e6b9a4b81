"""A service process started without real secrets exits at once, naming what is missing.

Real processes (`python -m dossier.<service>`), as a deployment starts them. Kafka and
MongoDB point at closed ports: a service that wrongly starts must not reach a real stack,
and the timeout turns "it started" into a failure instead of a hang.
"""

import os
import subprocess
import sys

import pytest

from dossier.devstack.processes import free_port
from dossier.runtime.settings import dev_secret

SECRETS = {
    "gateway": ["DOSSIER_CV_MASTER_KEY", "DOSSIER_URL_SIGNING_KEY"],
    "identity": ["DOSSIER_CV_MASTER_KEY"],
    "enrichment": ["DOSSIER_CV_MASTER_KEY"],
    "reporter": ["DOSSIER_CV_MASTER_KEY"],
    "billing": ["DOSSIER_CV_MASTER_KEY"],
    "webhooks": ["DOSSIER_CV_MASTER_KEY", "DOSSIER_URL_SIGNING_KEY"],
}
#: Generous: importing a service on a loaded 2-core machine takes a few seconds.
START_TIMEOUT = 90


def start(service: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("DOSSIER_")}
    closed = free_port()
    base |= {
        "DOSSIER_KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{closed}",
        "DOSSIER_MONGO_URL": f"mongodb://127.0.0.1:{closed}/?serverSelectionTimeoutMS=500",
        "DOSSIER_HTTP_PORT": str(free_port()),
        "DOSSIER_METRICS_PORT": str(free_port()),
    }
    try:
        return subprocess.run(
            [sys.executable, "-m", f"dossier.{service}"],
            env=base | env,
            capture_output=True,
            text=True,
            timeout=START_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{service} started without real secrets (still running after the timeout)")


@pytest.mark.parametrize("service", sorted(SECRETS))
def test_a_service_without_secrets_and_without_a_deployment_refuses_to_start(
    service: str,
) -> None:
    """No `DOSSIER_DEPLOYMENT` at all: the default is `production`, not the laptop."""
    result = start(service)

    assert result.returncode != 0
    assert "refuses to start with DOSSIER_DEPLOYMENT=production" in result.stderr
    for name in SECRETS[service]:
        assert f"{name} is not set" in result.stderr


@pytest.mark.parametrize("service", ["gateway", "billing"])
def test_production_without_secrets_exits_non_zero_naming_every_missing_one(
    service: str,
) -> None:
    result = start(service, DOSSIER_DEPLOYMENT="production")

    assert result.returncode != 0
    for name in SECRETS[service]:
        assert f"{name} is not set" in result.stderr


def test_production_with_the_development_keys_refuses_to_start() -> None:
    result = start(
        "gateway",
        DOSSIER_DEPLOYMENT="production",
        DOSSIER_CV_MASTER_KEY=dev_secret("cv-master-key"),
        DOSSIER_URL_SIGNING_KEY=dev_secret("url-signing-key"),
    )

    assert result.returncode != 0
    assert "DOSSIER_CV_MASTER_KEY is the public development key" in result.stderr
    assert "DOSSIER_URL_SIGNING_KEY is the public development key" in result.stderr
