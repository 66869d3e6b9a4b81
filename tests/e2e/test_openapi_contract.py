"""The running gateway honours its own OpenAPI document (schemathesis), and serves its docs.

Schemathesis generates requests for every operation of the live `/openapi.json`
(valid and invalid data, the seed examples, boundary values) with a dedicated
partner's keys, and checks each response:

- `not_a_server_error`: no 5xx;
- `status_code_conformance`: the status is documented for the operation;
- `content_type_conformance`: the media type is the documented one;
- `response_schema_conformance`: the body validates against the documented schema;
- `problem_details_on_errors` (ours): every 4xx/5xx is `application/problem+json` with
  `type`, `title`, `status` and the request id.

Left out: `negative_data_rejection` (the reuse rule answers 200 to some bodies the schema
would call invalid only after whitespace stripping; a 2xx on negative data is not a contract
break for us), `response_headers_conformance` (rate-limit headers are documented but optional),
`ignored_auth` and stateful links (keys and webhooks are covered by their own e2e files).
Excluded operations: the SSE stream (it stays open until the analysis ends; covered by the
SSE e2e tests) and key revocation (it could revoke the run's own key).
"""

import json
import os
import subprocess
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from dossier.devstack.stack import LocalStack
from tests.e2e.conftest import REPO

pytestmark = pytest.mark.e2e

PROBLEM_JSON = "application/problem+json"
#: Every error response the run saw: (request line, status, content type, body).
SEEN_ERRORS: list[tuple[str, int, str, Any]] = []


@pytest.fixture(scope="session")
def schemathesis_partner(stack: LocalStack) -> dict[str, str]:
    """A partner of its own, on the enterprise plan so the run is never rate-limited."""
    out = subprocess.run(
        [
            str(REPO / ".venv" / "bin" / "dossier"),
            "partners",
            "create",
            "--name",
            "Schemathesis",
            "--plan",
            "enterprise",
            "--json",
        ],
        env={**os.environ, **stack.config.service_environment("gateway")},
        capture_output=True,
        text=True,
        check=True,
    )
    partner: dict[str, str] = json.loads(out.stdout)
    return partner


@pytest.fixture(scope="session")
def live_schema(gateway_url: str, schemathesis_partner: dict[str, str]) -> Any:
    schema = schemathesis.openapi.from_url(f"{gateway_url}/openapi.json", timeout=30)
    schema.config.update(
        base_url=gateway_url,
        headers={
            "X-API-Key": schemathesis_partner["api_key"],
            "X-Partner-Key": schemathesis_partner["partner_key"],
        },
        request_timeout=60,
    )
    return schema.exclude(path_regex=r"/events$").exclude(
        method="DELETE", path_regex=r"^/api/v1/keys/"
    )


def problem_details_on_errors(ctx: Any, response: Any, case: Any) -> bool | None:
    """Every 4xx/5xx is RFC 9457 problem+json with type, title, status and a request id."""
    if response.status_code < 400:
        return None
    content_type = (response.headers.get("content-type") or [""])[0]
    try:
        body = json.loads(response.content)
    except ValueError:
        body = None
    SEEN_ERRORS.append(
        (f"{case.method} {case.formatted_path}", response.status_code, content_type, body)
    )
    assert content_type.startswith(PROBLEM_JSON), f"{response.status_code} as {content_type}"
    assert isinstance(body, dict), "problem body is not a JSON object"
    assert {"type", "title", "status"} <= set(body), f"problem members missing: {body}"
    assert body["status"] == response.status_code
    assert body.get("request_id"), "problem without request_id"
    assert body["request_id"] == (response.headers.get("x-request-id") or [None])[0]
    return True


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    problem_details_on_errors,
]

schema = schemathesis.pytest.from_fixture("live_schema")


@pytest.fixture(autouse=True)
def _node_id_for_schemathesis(request: pytest.FixtureRequest) -> None:
    """schemathesis 4's lazy schema renames the running item through `_nodeid`, which
    pytest 9 no longer sets; give it the id it expects (reporting only)."""
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid


@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    print_blob=True,
    database=None,
)
def test_gateway_honours_its_openapi_document(case: Any) -> None:
    case.call_and_validate(checks=CHECKS)


def test_every_error_response_of_the_run_was_problem_json() -> None:
    """After the generative run (earlier in this module): it saw errors, and each one was a
    complete problem. Run alone, without the generative run, it fails: there is nothing to judge."""
    assert SEEN_ERRORS, "run this module whole: the schemathesis run feeds this test"
    statuses = {status for _, status, _, _ in SEEN_ERRORS}
    bad = [
        (request, status, content_type)
        for request, status, content_type, body in SEEN_ERRORS
        if not content_type.startswith(PROBLEM_JSON)
        or not isinstance(body, dict)
        or not {"type", "title", "status", "request_id"} <= set(body)
    ]

    assert {401, 404, 422} & statuses
    assert bad == []


# ---------------------------------------------------------------- the docs, over HTTP


def test_openapi_lists_the_required_scope_of_each_operation(gateway_url: str) -> None:
    spec = httpx.get(f"{gateway_url}/openapi.json", timeout=10).json()

    create = spec["paths"]["/api/v1/analyses"]["post"]
    assert create["security"] == [
        {"ApiKey": ["analyses:write"]},
        {"BearerAuth": ["analyses:write"]},
    ]
    assert create["x-required-scopes"] == ["analyses:write"]


def test_llms_txt_is_served_as_text_and_links_the_guides(gateway_url: str) -> None:
    response = httpx.get(f"{gateway_url}/llms.txt", timeout=10)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text.startswith("# ")
    assert "/docs/quickstart.md)" in response.text


def test_markdown_guide_is_served_as_markdown(gateway_url: str) -> None:
    response = httpx.get(f"{gateway_url}/docs/webhooks.md", timeout=10)

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/markdown; charset=utf-8"
    assert "X-Dossier-Signature" in response.text


def test_every_guide_listed_in_llms_txt_is_served(gateway_url: str) -> None:
    index = httpx.get(f"{gateway_url}/llms.txt", timeout=10).text
    links = [line.split("](", 1)[1].split(")", 1)[0] for line in index.splitlines() if "](" in line]

    for link in links:
        assert httpx.get(link, timeout=10).status_code == 200, link


def test_unknown_guide_is_a_404_problem(gateway_url: str) -> None:
    response = httpx.get(f"{gateway_url}/docs/no-such-guide.md", timeout=10)

    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.json()["type"].endswith("/not-found")


def test_the_reference_at_docs_is_served_by_the_gateway(gateway_url: str) -> None:
    response = httpx.get(f"{gateway_url}/docs", timeout=10)

    assert response.status_code == 200
    assert 'src="/docs/assets/redoc.standalone.js"' in response.text


def test_asyncapi_document_is_served(gateway_url: str) -> None:
    response = httpx.get(f"{gateway_url}/asyncapi.json", timeout=10)

    assert response.status_code == 200
    assert response.json()["asyncapi"].startswith("3.")
