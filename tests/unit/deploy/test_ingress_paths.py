"""The public ingress routes the partner API and its docs only: `/metrics`, `/readyz` and
`/asyncapi.json` (internal topics and dead letters) stay on the cluster-internal Service."""

from typing import Any

import pytest

from tests.unit.deploy.rendering import CHART, helm_template, rendered_documents

INTERNAL = ["/metrics", "/readyz", "/asyncapi.json", "/asyncapi"]
PUBLIC = [
    "/api/v1/analyses",
    "/api/v1/analyses/an_1/events",
    "/api/partner/v1/background-check",
    "/api/v1/reports/rpt_1/pdf",
    "/docs",
    "/docs/quickstart.md",
    "/docs/quickstart",
    "/docs/assets/redoc.standalone.js",
    "/openapi.json",
    "/llms.txt",
    "/healthz",
]


def routed(path: str, rules: list[dict[str, Any]]) -> bool:
    """Whether a request path reaches the backend, by the Ingress API's matching rules
    (Prefix matches whole path elements; ImplementationSpecific is treated as Prefix)."""
    for rule in rules:
        for entry in rule["http"]["paths"]:
            candidate = entry["path"]
            if entry["pathType"] == "Exact":
                if path == candidate:
                    return True
                continue
            elements = [e for e in candidate.split("/") if e]
            if [e for e in path.split("/") if e][: len(elements)] == elements:
                return True
    return False


def ingress_rules(values: str, *extra: str) -> list[dict[str, Any]]:
    documents = rendered_documents("-f", str(CHART / values), *extra)
    ingress = next(d for d in documents if d["kind"] == "Ingress")
    rules: list[dict[str, Any]] = ingress["spec"]["rules"]
    return rules


SCENARIOS = [
    ("values-production.yaml",),
    ("ci/default-values.yaml", "--set=gateway.ingress.enabled=true"),
]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=["production", "default"])
@pytest.mark.parametrize("path", INTERNAL)
def test_the_ingress_does_not_route_internal_endpoints(scenario: tuple[str, ...], path: str) -> None:
    assert not routed(path, ingress_rules(*scenario))


@pytest.mark.parametrize("scenario", SCENARIOS, ids=["production", "default"])
@pytest.mark.parametrize("path", PUBLIC)
def test_the_ingress_routes_the_public_api_and_docs(scenario: tuple[str, ...], path: str) -> None:
    assert routed(path, ingress_rules(*scenario))


@pytest.mark.parametrize("path", ["/", "/metrics", "/readyz/"])
def test_a_host_path_that_exposes_internal_endpoints_is_refused(path: str) -> None:
    result = helm_template(
        "-f",
        str(CHART / "values-production.yaml"),
        "--set=gateway.ingress.hosts[0].host=api.example.com",
        f"--set=gateway.ingress.hosts[0].paths[0].path={path}",
    )

    assert result.returncode != 0
    assert "would expose /metrics, /readyz or /asyncapi.json publicly" in result.stderr
