"""Every failure a partner can cause gets a clear 4xx problem and changes nothing."""

import asyncio
import json
from typing import Any
from urllib.parse import urlsplit

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
        content=b"{" + b" " * 13_000_000 + b"}",  # over the 12 MiB of this route (CV files)
        headers={"Content-Type": "application/json"},
    )

    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"


CHUNK = 64 * 1024
#: What a client tries to send without announcing a length: 40 MB, over three times the
#: largest limit (12 MiB on the routes that take CV files, 1 MiB elsewhere).
CHUNKED_TOTAL = 40 * 1024 * 1024


async def post_chunked(url: str, headers: dict[str, str]) -> tuple[int, dict[str, Any], int]:
    """POST 40 MB of JSON-ish bytes with `Transfer-Encoding: chunked`, stopping as soon as the
    server answers. Returns (status, problem body, bytes sent before the answer came)."""
    parts = urlsplit(url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    head = [f"POST {parts.path} HTTP/1.1", f"Host: {parts.hostname}:{parts.port}"]
    head += ["Content-Type: application/json", "Transfer-Encoding: chunked"]
    head += [f"{name}: {value}" for name, value in headers.items()]
    writer.write(("\r\n".join(head) + "\r\n\r\n").encode())
    sent = 0

    async def send_body() -> None:
        nonlocal sent
        chunk = b"[" + b" " * (CHUNK - 1)
        while sent < CHUNKED_TOTAL:
            writer.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            await writer.drain()
            sent += len(chunk)
            await asyncio.sleep(0)  # drain() does not yield while the socket takes data
            chunk = b" " * CHUNK
        writer.write(b"0\r\n\r\n")
        await writer.drain()

    sender = asyncio.create_task(send_body())
    try:
        status_line = await asyncio.wait_for(reader.readuntil(b"\r\n"), timeout=60)
        answered_after = sent
        rest = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout=10)
        length = next(
            int(line.split(b":", 1)[1])
            for line in rest.split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        )
        body = json.loads(await reader.readexactly(length))
    finally:
        sender.cancel()
        await asyncio.gather(sender, return_exceptions=True)
        writer.close()
    return int(status_line.split()[1]), body, answered_after


@pytest.mark.parametrize(
    ("path", "credential"),
    [
        pytest.param("/api/v1/analyses", "api_key", id="v1-create"),
        pytest.param("/api/v1/analyses", None, id="v1-create-unauthenticated"),
        pytest.param("/api/v1/analyses", "api_key+idempotency", id="v1-create-idempotent"),
        pytest.param("/api/v1/webhooks", "api_key", id="v1-webhooks"),
        pytest.param("/api/partner/v1/background-check", "partner_key", id="legacy"),
    ],
)
async def test_a_chunked_body_is_cut_off_at_the_limit_on_every_route(
    gateway_url: str, partner: dict[str, str], db: Any, path: str, credential: str | None
) -> None:
    """No Content-Length to check: the gateway counts the bytes as they come and answers 413
    long before the 40 MB are sent, whether or not the request carries a key."""
    headers: dict[str, str] = {}
    if credential == "partner_key":
        headers["X-Partner-Key"] = partner["partner_key"]
    elif credential is not None:
        headers["X-API-Key"] = partner["api_key"]
        if credential.endswith("+idempotency"):
            headers["Idempotency-Key"] = "chunked-oversized-body"
    before = await db.analyses.count_documents({})

    status, problem, sent = await post_chunked(gateway_url + path, headers)

    assert status == 413
    assert problem["type"].endswith("/payload-too-large")
    # The answer came while the client was still sending (socket buffers hold a few MB).
    assert sent < CHUNKED_TOTAL // 2
    assert await db.analyses.count_documents({}) == before
