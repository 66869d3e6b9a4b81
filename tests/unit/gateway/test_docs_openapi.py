"""The OpenAPI document: generated from the app, enriched for partners and agents."""

import json
from pathlib import Path
from typing import Any

import pytest

from dossier.gateway.app import create_app
from dossier.gateway.docs.openapi import PROBLEM_JSON, required_scopes

SEEDS = Path(__file__).resolve().parents[1] / "contracts" / "seed_examples"
METHODS = ("get", "put", "post", "delete", "patch")


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return create_app().openapi()


def operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, op)
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if method in METHODS
    ]


def test_document_is_openapi_3_1_with_servers_contact_and_license(spec: dict[str, Any]) -> None:
    assert spec["openapi"].startswith("3.1")
    assert spec["servers"]
    assert spec["info"]["contact"]["email"]
    assert spec["info"]["license"]["name"]


def test_every_v1_operation_except_the_signed_report_links_requires_a_key(
    spec: dict[str, Any],
) -> None:
    signed = ("/api/v1/reports/{report_id}/pdf", "/api/v1/reports/{report_id}/html")
    unsecured = [
        f"{m} {p}"
        for m, p, op in operations(spec)
        if p.startswith("/api/") and p not in signed and not op.get("security")
    ]

    assert unsecured == []


def test_x_required_scopes_repeats_the_security_requirement(spec: dict[str, Any]) -> None:
    for method, path, op in operations(spec):
        assert op["x-required-scopes"] == required_scopes(op), f"{method} {path}"


def test_analyses_operations_name_their_scope(spec: dict[str, Any]) -> None:
    paths = spec["paths"]

    assert paths["/api/v1/analyses"]["post"]["x-required-scopes"] == ["analyses:write"]
    assert paths["/api/v1/analyses/{analysis_id}"]["get"]["security"] == [
        {"ApiKey": ["analyses:read"]},
        {"BearerAuth": ["analyses:read"]},
    ]
    assert "`analyses:write`" in paths["/api/v1/analyses/{analysis_id}"]["delete"]["description"]


def test_every_error_response_is_problem_json(spec: dict[str, Any]) -> None:
    for method, path, op in operations(spec):
        for status, response in op["responses"].items():
            if status.isdigit() and int(status) >= 400:
                content = response["content"]
                assert list(content) == [PROBLEM_JSON], f"{method} {path} {status}"
                assert content[PROBLEM_JSON]["schema"] == {"$ref": "#/components/schemas/Problem"}


def test_fastapis_own_validation_schema_is_gone(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]

    assert "HTTPValidationError" not in schemas
    assert {"title", "status", "type", "request_id", "errors"} <= set(
        schemas["Problem"]["properties"]
    )


def test_secured_operations_document_auth_scope_and_rate_limit_problems(
    spec: dict[str, Any],
) -> None:
    for method, path, op in operations(spec):
        if op.get("security"):
            assert {"401", "403", "429"} <= set(op["responses"]), f"{method} {path}"


def test_create_documents_credit_limit_idempotency_size_and_validation(
    spec: dict[str, Any],
) -> None:
    responses = spec["paths"]["/api/v1/analyses"]["post"]["responses"]

    assert {"200", "202", "400", "402", "409", "413", "422"} <= set(responses)


def test_rate_limit_headers_are_on_every_secured_response(spec: dict[str, Any]) -> None:
    for method, path, op in operations(spec):
        if not op.get("security"):
            continue
        for status, response in op["responses"].items():
            headers = set(response["headers"])
            assert {"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"} <= headers, (
                f"{method} {path} {status}"
            )
        assert "Retry-After" in op["responses"]["429"]["headers"]


def test_create_request_example_is_the_seed(spec: dict[str, Any]) -> None:
    media = spec["paths"]["/api/v1/analyses"]["post"]["requestBody"]["content"]["application/json"]
    seed = json.loads((SEEDS / "v1_create_request.json").read_text())

    assert media["examples"]["create"]["value"] == seed
    assert media["examples"]["refresh"]["value"] == {**seed, "refresh": True}


def test_poll_response_examples_come_from_the_seeds(spec: dict[str, Any]) -> None:
    op = spec["paths"]["/api/v1/analyses/{analysis_id}"]["get"]
    examples = op["responses"]["200"]["content"]["application/json"]["examples"]

    assert examples["completed"]["value"]["report"]["candidateName"] == "John Doe"
    assert examples["processing"]["value"]["status"] == "processing"


def test_legacy_examples_come_from_the_seeds(spec: dict[str, Any]) -> None:
    op = spec["paths"]["/api/partner/v1/background-check"]["post"]
    request = op["requestBody"]["content"]["application/json"]["examples"]
    seed = json.loads((SEEDS / "legacy_request.json").read_text())

    assert [e["value"] for e in request.values()] == [seed]
    assert "200" in op["responses"]


def test_every_tag_in_use_has_a_description(spec: dict[str, Any]) -> None:
    described = {t["name"]: t["description"] for t in spec["tags"]}
    used = {tag for _, _, op in operations(spec) for tag in op.get("tags", [])}

    assert used == set(described)
    assert all(described.values())


def test_docs_routes_are_in_the_document_beside_swagger(spec: dict[str, Any]) -> None:
    assert {"/llms.txt", "/docs/{page}.md", "/asyncapi.json"} <= set(spec["paths"])
