"""Every failure a partner can cause gets a clear 4xx problem and changes nothing."""

from typing import Any

import httpx
import pytest

from dossier.contracts.api import CV_MAX_CHARS
from tests.e2e.helpers import analysis_body


def _without(body: dict[str, Any], path: str) -> dict[str, Any]:
    section, field = path.split(".")
    body[section].pop(field)
    return body


CASES = [
    pytest.param(lambda b: _without(b, "client.id"), "client.id", id="missing-client-id"),
    pytest.param(lambda b: _without(b, "candidate.id"), "candidate.id", id="missing-candidate-id"),
    pytest.param(
        lambda b: _without(b, "candidate.first_name"), "candidate.first_name", id="missing-name"
    ),
    pytest.param(lambda b: {**b, "language": "pt"}, "language", id="unknown-language"),
    pytest.param(
        lambda b: {**b, "candidate": {**b["candidate"], "cv": "x" * (CV_MAX_CHARS + 1)}},
        "candidate.cv",
        id="oversized-cv",
    ),
    pytest.param(
        lambda b: {**b, "candidate": {**b["candidate"], "id": "has spaces/and slash"}},
        "candidate.id",
        id="bad-candidate-id",
    ),
    pytest.param(
        lambda b: {**b, "candidate": {**b["candidate"], "linkedin_url": "not a url"}},
        "candidate.linkedin_url",
        id="bad-linkedin-url",
    ),
]


@pytest.mark.parametrize(("mutate", "field"), CASES)
async def test_invalid_body_is_422_naming_the_field_and_creates_nothing(
    api: httpx.AsyncClient, db: Any, mutate: Any, field: str
) -> None:
    body = mutate(analysis_body())
    before = await db.analyses.count_documents({})

    response = await api.post("/api/v1/analyses", json=body)

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 422
    assert field in [e["field"] for e in problem["errors"]]
    assert problem["request_id"] == response.headers["X-Request-ID"]
    assert await db.analyses.count_documents({}) == before


async def test_malformed_json_is_400_and_creates_nothing(api: httpx.AsyncClient, db: Any) -> None:
    before = await db.analyses.count_documents({})

    response = await api.post(
        "/api/v1/analyses", content=b'{"client": {', headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 400
    assert response.json()["type"].endswith("/malformed-json")
    assert await db.analyses.count_documents({}) == before


async def test_body_over_the_size_limit_is_413(api: httpx.AsyncClient) -> None:
    response = await api.post(
        "/api/v1/analyses",
        content=b"{" + b" " * 2_000_000 + b"}",
        headers={"Content-Type": "application/json"},
    )

    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
