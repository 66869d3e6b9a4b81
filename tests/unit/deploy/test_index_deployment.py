"""Every deployment creates the MongoDB indexes with `dossier indexes apply` before the
services start: the Helm chart in a pre-install/pre-upgrade hook Job after the topics,
docker-compose in a one-shot service the services wait for."""

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[3]
CHART = REPO / "deploy" / "helm" / "dossier"
APPLY = ["dossier", "indexes", "apply"]
APP_SERVICES = {"gateway", "identity", "enrichment", "reporter", "billing", "webhooks"}


def hook_weight(template: str) -> int:
    """The hook weight of the Job in a template (the last one, after any hook Secret)."""
    job = template[template.index("kind: Job") :]
    match = re.search(r'helm\.sh/hook-weight: "(-?\d+)"', job)
    assert match, "the Job has no hook weight"
    return int(match.group(1))


def test_the_chart_runs_dossier_indexes_apply_in_a_hook_job_after_the_topics() -> None:
    template = (CHART / "templates" / "indexes-job.yaml").read_text()
    topics = (CHART / "templates" / "topics-job.yaml").read_text()

    assert template.startswith("{{- if .Values.indexes.create }}")
    assert 'command: ["dossier", "indexes", "apply"]' in template
    assert 'image: {{ include "dossier.image" . }}' in template  # the gateway's image
    assert "helm.sh/hook: pre-install,pre-upgrade" in template
    assert hook_weight(template) > hook_weight(topics)
    assert yaml.safe_load((CHART / "values.yaml").read_text())["indexes"]["create"] is True


def test_the_index_job_reads_the_mongo_url_where_the_services_do() -> None:
    """The services' Secret, or (before the chart's own Secret exists) a hook Secret made
    from the same `global.mongodb.url`."""
    template = (CHART / "templates" / "indexes-job.yaml").read_text()

    assert "name: {{ $mongo.existingSecret }}" in template
    assert 'name: {{ include "dossier.secretName" . }}' in template
    assert "mongo-url: {{ required" in template
    assert "$mongo.url | b64enc" in template
    assert "value: {{ $mongo.database | quote }}" in template


def helm_binary() -> str | None:
    """The helm that `make deploy-check` installs (or one on PATH)."""
    cache = Path(
        os.environ.get("DOSSIER_CACHE_DIR")
        or Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "dossier"
    )
    cached = sorted((cache / "deploy-tools").glob("helm-*/helm"))
    return str(cached[-1]) if cached else shutil.which("helm")


@pytest.mark.parametrize(
    ("values", "secret", "key"),
    [
        ("ci/default-values.yaml", "dossier-indexes", "mongo-url"),
        ("ci/extra-consumer-values.yaml", "dossier-mongodb", "uri"),
        ("values-production.yaml", "dossier-mongodb", "connection-string"),
    ],
)
def test_the_rendered_chart_has_the_index_job(values: str, secret: str, key: str) -> None:
    helm = helm_binary()
    assert helm is not None, "no helm: `make test` installs it (scripts/check_deploy.sh --tools)"
    rendered = subprocess.run(
        [helm, "template", "dossier", str(CHART), "-f", str(CHART / values)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    documents = [d for d in yaml.safe_load_all(rendered) if d]
    jobs = [
        d for d in documents if d["kind"] == "Job" and d["metadata"]["name"].endswith("indexes")
    ]

    assert len(jobs) == 1
    container = jobs[0]["spec"]["template"]["spec"]["containers"][0]
    assert container["command"] == APPLY
    url = next(e for e in container["env"] if e["name"] == "DOSSIER_MONGO_URL")
    assert url["valueFrom"]["secretKeyRef"] == {"name": secret, "key": key}


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    return loaded


def test_compose_runs_dossier_indexes_apply_once_with_the_gateways_image_and_store() -> None:
    services = compose()["services"]
    indexes = services["indexes"]

    assert indexes["command"] == APPLY
    assert indexes["image"] == services["gateway"]["image"]
    assert indexes["restart"] == "no"
    assert indexes["depends_on"]["mongodb"]["condition"] == "service_healthy"
    for name in ("DOSSIER_MONGO_URL", "DOSSIER_MONGO_DATABASE"):
        assert indexes["environment"][name] == services["gateway"]["environment"][name]


def test_every_compose_service_waits_for_the_indexes() -> None:
    services = compose()["services"]

    assert set(services) >= APP_SERVICES
    for name in APP_SERVICES:
        condition = services[name]["depends_on"]["indexes"]["condition"]
        assert condition == "service_completed_successfully", name
