"""Nothing deployed runs on the development keys: docker-compose.yml refuses to start
without generated secrets and runs as `production`; the chart refuses missing, seeded or
short keys."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from dossier.gateway.settings import GatewaySettings
from dossier.runtime.settings import dev_secret
from dossier.webhooks.settings import WebhooksSettings
from tests.unit.deploy.rendering import (
    CHART,
    REPO,
    InterpolationError,
    compose_config,
    dotenv,
    helm_template,
    rendered_documents,
)

WRITE_ENV = REPO / "deploy" / "compose" / "write_env.py"
DOSSIER_SERVICES = ["indexes", "gateway", "identity", "enrichment", "reporter", "billing", "webhooks"]
CI_VALUES = str(CHART / "ci" / "default-values.yaml")


def generated_env(tmp_path: Path) -> Path:
    """What `make secrets` writes, written into a scratch folder."""
    path = tmp_path / ".env"
    subprocess.run([sys.executable, str(WRITE_ENV), str(path)], check=True, capture_output=True)
    return path


# ---------------------------------------------------------------------------------- compose
def test_compose_refuses_to_start_without_the_generated_secrets() -> None:
    with pytest.raises(InterpolationError) as refused:
        compose_config({})

    assert "DOSSIER_CV_MASTER_KEY" in str(refused.value)
    assert "make secrets" in str(refused.value)


def test_compose_refuses_to_start_without_the_url_signing_key(tmp_path: Path) -> None:
    env = dotenv(generated_env(tmp_path))
    del env["DOSSIER_URL_SIGNING_KEY"]

    with pytest.raises(InterpolationError, match="DOSSIER_URL_SIGNING_KEY"):
        compose_config(env)


def test_compose_runs_every_dossier_service_as_production_whatever_the_shell_says(
    tmp_path: Path,
) -> None:
    env = dotenv(generated_env(tmp_path)) | {"DOSSIER_DEPLOYMENT": "development"}

    services = compose_config(env)["services"]

    for name in DOSSIER_SERVICES:
        assert services[name]["environment"]["DOSSIER_DEPLOYMENT"] == "production", name


def test_compose_passes_the_generated_secrets_and_the_services_accept_them(
    tmp_path: Path,
) -> None:
    env = dotenv(generated_env(tmp_path))
    services = compose_config(env)["services"]

    gateway = services["gateway"]["environment"]
    webhooks = services["webhooks"]["environment"]
    for name in DOSSIER_SERVICES:
        environment = services[name]["environment"]
        assert environment["DOSSIER_CV_MASTER_KEY"] == env["DOSSIER_CV_MASTER_KEY"], name
    assert gateway["DOSSIER_URL_SIGNING_KEY"] == env["DOSSIER_URL_SIGNING_KEY"]
    assert webhooks["DOSSIER_URL_SIGNING_KEY"] == env["DOSSIER_URL_SIGNING_KEY"]
    for settings in (GatewaySettings, WebhooksSettings):
        loaded = settings(
            deployment=gateway["DOSSIER_DEPLOYMENT"],
            cv_master_key=gateway["DOSSIER_CV_MASTER_KEY"],
            url_signing_key=gateway["DOSSIER_URL_SIGNING_KEY"],
        )
        assert len(loaded.cv_master_key_bytes()) == 32


def test_make_secrets_writes_a_private_env_once_and_keeps_existing_keys(tmp_path: Path) -> None:
    path = tmp_path / ".env"
    path.write_text("DOSSIER_LOG_LEVEL=DEBUG\nDOSSIER_URL_SIGNING_KEY=kept-" + "k" * 40)
    os.chmod(path, 0o644)

    subprocess.run([sys.executable, str(WRITE_ENV), str(path)], check=True, capture_output=True)
    first = dotenv(path)
    subprocess.run([sys.executable, str(WRITE_ENV), str(path)], check=True, capture_output=True)

    assert dotenv(path) == first
    assert first["DOSSIER_LOG_LEVEL"] == "DEBUG"
    assert first["DOSSIER_URL_SIGNING_KEY"] == "kept-" + "k" * 40
    assert first["DOSSIER_CV_MASTER_KEY"] != dev_secret("cv-master-key")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_make_secrets_generates_different_keys_every_time(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()

    first, second = dotenv(generated_env(tmp_path / "a")), dotenv(generated_env(tmp_path / "b"))

    assert first["DOSSIER_CV_MASTER_KEY"] != second["DOSSIER_CV_MASTER_KEY"]
    assert first["DOSSIER_URL_SIGNING_KEY"] != second["DOSSIER_URL_SIGNING_KEY"]


def test_the_generated_env_is_ignored_by_git_and_docker() -> None:
    assert ".env" in (REPO / ".gitignore").read_text().splitlines()
    assert ".env" in (REPO / ".dockerignore").read_text().splitlines()


def test_the_makefile_has_the_secrets_target() -> None:
    makefile = (REPO / "Makefile").read_text()

    assert "secrets: ## " in makefile
    assert "deploy/compose/write_env.py" in makefile


# ------------------------------------------------------------------------------------- helm
def refusal(*overrides: str) -> str:
    result = helm_template("-f", CI_VALUES, *(f"--set={o}" for o in overrides))
    assert result.returncode != 0, "the chart rendered"
    return result.stderr


def test_the_chart_renders_with_real_keys_or_an_existing_secret() -> None:
    assert rendered_documents("-f", CI_VALUES)
    assert rendered_documents("-f", str(CHART / "values-production.yaml"))


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("secrets.cvMasterKey=", "secrets.cvMasterKey is required"),
        ("secrets.urlSigningKey=", "secrets.urlSigningKey is required"),
        (f"secrets.cvMasterKey={dev_secret('cv-master-key')}", "public development key"),
        (f"secrets.urlSigningKey={dev_secret('url-signing-key')}", "public development key"),
        ("secrets.urlSigningKey=short-signing-key", "at least 32 characters"),
    ],
)
def test_the_chart_refuses_missing_development_or_short_keys(override: str, message: str) -> None:
    assert message in refusal(override)


def test_the_chart_refuses_no_secret_at_all() -> None:
    assert "secrets.existingSecret" in refusal("secrets.create=false")


def test_the_chart_runs_the_services_as_production_by_default() -> None:
    configmap = next(
        d for d in rendered_documents("-f", CI_VALUES) if d["kind"] == "ConfigMap"
        and d["metadata"]["name"] == "dossier"
    )

    assert configmap["data"]["DOSSIER_DEPLOYMENT"] == "production"
