"""Every request and message path reads and writes MongoDB by `_id` (DESIGN.md, "Store access
rules"): on FerretDB 1.24 SQLite any other filter decodes the whole collection.

Every service of the e2e stack logs the shape of each data command it sends
(`DOSSIER_MONGO_COMMAND_LOG`, values redacted). This test drives a broad scenario through
the public API, then takes every shape recorded in the session so far — what earlier tests
made the services do counts too — and asks the real FerretDB, through `explain`, whether it
is answered by `_id`. Anything else fails the test unless it is a background job on the
allow-list below, with its reason. The classifier the command log uses is checked against
the same answers, so neither can drift.
"""

import asyncio
import json
import secrets
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from prometheus_client.parser import text_string_to_metric_families
from pymongo import AsyncMongoClient

from dossier.devstack.stack import SERVICES, LocalStack
from dossier.runtime.store_commands import Access, accesses, read_command_logs, table
from dossier.runtime.store_shapes import explain_request
from tests.e2e.conftest import COMMAND_LOG_DIR, create_partner, eventually
from tests.e2e.helpers import SAMPLE_CV, TERMINAL, analysis_body, wait_terminal


@dataclass(frozen=True)
class Allowed:
    """A background job's scan that may decode a collection: bounded work, off request paths.

    `job` must match exactly (jobs name themselves with `store_job`), so the same query sent
    on a request path is still reported. `"*"` matches any collection or command; `shape`
    is a substring of the recorded shape ("" matches any).
    """

    service: str
    job: str
    collection: str
    command: str
    shape: str
    reason: str

    def covers(self, access: Access) -> bool:
        return (
            access.service == self.service
            and access.job == self.job
            and self.collection in ("*", access.collection)
            and self.command in ("*", access.command)
            and self.shape in access.shape
        )


ALLOWED = (
    Allowed(
        service="gateway", job="sweeper", collection="inflight_analyses", command="find",
        shape='"published":"<bool>"',
        reason="outbox sweeper: the in-flight list holds only undecided analyses (never the "
        "history); unpublished ones past the grace period, at most 100 per pass",
    ),
    Allowed(
        service="gateway", job="sweeper", collection="inflight_analyses", command="find",
        shape='"created_at"',
        reason="timeout sweeper: undecided analyses older than the timeout, from the in-flight "
        "list only, at most 100 per pass",
    ),
    Allowed(
        service="gateway", job="sweeper", collection="analysis_finalisations", command="find",
        shape='"since"',
        reason="finaliser: to-dos of terminal analyses whose decider died before shredding the "
        "key or publishing the event; the list holds only those (each is removed once done), "
        "older than a few seconds, at most 100 per pass",
    ),
    Allowed(
        service="gateway", job="rate-limit-expiry", collection="rate_limit_slots",
        command="delete", shape='"expires_at"',
        reason="drops expired rate-limit slots, at most once per sweep interval",
    ),
    Allowed(
        service="webhooks", job="webhook-delivery", collection="webhook_pending",
        command="find", shape='"next_attempt_at"',
        reason="delivery loop: due deliveries, at most the free slots (max_in_flight) per look "
        "and four looks per poll, from the queue of deliveries in flight only (each leaves it "
        "when delivered, failed or abandoned)",
    ),
    Allowed(
        service="gateway", job="erasure-sweep", collection="*", command="*", shape="",
        reason="after an erasure, in the background: the catch-all over every collection for "
        "documents naming the erased analyses, then the whole purge again seconds later for "
        "late writes (the request's own purge, DELETE /candidates, is keyed and not allowed)",
    ),
)  # fmt: skip


# the scenario ------------------------------------------------------------------------------


@asynccontextmanager
async def webhook_receiver() -> AsyncIterator[tuple[str, list[bytes]]]:
    """A partner endpoint on loopback that answers 200 and keeps each body."""
    received: list[bytes] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        length = 0
        await reader.readline()
        while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
            name, _, value = line.decode().partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
        received.append(await reader.readexactly(length))
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}/store-access", received
    finally:
        server.close()
        await server.wait_closed()


async def read_events(api: httpx.AsyncClient, analysis_id: str) -> list[str]:
    """The SSE stream of one analysis, until the server closes it."""
    lines: list[str] = []
    async with api.stream("GET", f"/api/v1/analyses/{analysis_id}/events") as response:
        assert response.status_code == 200
        async for line in response.aiter_lines():
            lines.append(line)
    return lines


async def poll_with_etag(api: httpx.AsyncClient, analysis_id: str) -> dict[str, Any]:
    """Poll as a well-behaved client does: `If-None-Match` with the last `ETag`."""
    first = await api.get(f"/api/v1/analyses/{analysis_id}")
    body: dict[str, Any] = first.json()
    etag = first.headers["ETag"]

    async def probe() -> dict[str, Any] | None:
        nonlocal body, etag
        response = await api.get(f"/api/v1/analyses/{analysis_id}", headers={"If-None-Match": etag})
        if response.status_code == 200:
            body, etag = response.json(), response.headers["ETag"]
        else:
            assert response.status_code == 304
        return body if body["status"] in TERMINAL else None

    return await eventually(probe, timeout=120)


async def drive_the_public_api(stack: LocalStack) -> list[str]:
    """A partner's whole day on the API. Returns the ids it used (they must not be logged)."""
    partner = create_partner(stack, f"Store Access {secrets.token_hex(3)}")
    with_cv, without_cv = analysis_body(), analysis_body(cv=None)
    async with (
        webhook_receiver() as (hook_url, received),
        httpx.AsyncClient(
            base_url=stack.config.gateway_url,
            headers={"X-API-Key": partner["api_key"]},
            timeout=60,
        ) as api,
    ):
        events = ["analysis.completed", "analysis.failed", "analysis.canceled"]
        hook = await api.post("/api/v1/webhooks", json={"url": hook_url, "events": events})
        assert hook.status_code == 201, hook.text
        hook_id = hook.json()["id"]
        assert (await api.get("/api/v1/webhooks")).status_code == 200
        assert (await api.get(f"/api/v1/webhooks/{hook_id}")).status_code == 200

        idempotent = {"Idempotency-Key": str(uuid.uuid4())}
        first = await api.post("/api/v1/analyses", json=with_cv, headers=idempotent)
        assert first.status_code == 202, first.text
        replay = await api.post("/api/v1/analyses", json=with_cv, headers=idempotent)
        assert replay.headers.get("Idempotent-Replayed") == "true"
        second = await api.post("/api/v1/analyses", json=without_cv)
        assert second.status_code == 202, second.text
        stream, done = await asyncio.gather(
            read_events(api, first.json()["id"]), poll_with_etag(api, first.json()["id"])
        )
        assert stream
        assert done["status"] == "completed"
        assert (await wait_terminal(api, second.json()["id"]))["status"] == "completed"

        reused = await api.post("/api/v1/analyses", json=with_cv)
        assert reused.status_code == 200
        assert reused.json()["id"] == first.json()["id"]
        fresh = {**with_cv, "max_age_days": 1}
        assert (await api.post("/api/v1/analyses", json=fresh)).status_code == 200
        refreshed = await api.post("/api/v1/analyses", json={**with_cv, "refresh": True})
        assert refreshed.status_code == 202
        pair = {"client_id": with_cv["client"]["id"], "candidate_id": with_cv["candidate"]["id"]}
        listing = {"limit": 2, "status": "completed"}
        page = await api.get("/api/v1/analyses", params=listing)
        assert page.status_code == 200
        if cursor := page.json()["next_cursor"]:
            following = await api.get("/api/v1/analyses", params={**listing, "cursor": cursor})
            assert following.status_code == 200
        assert len((await api.get("/api/v1/analyses", params=pair)).json()["data"]) == 2
        assert await read_events(api, first.json()["id"])
        pdf = httpx.get(done["metadata"]["pdf_download_url"], timeout=10)
        assert pdf.status_code == 200

        to_cancel = await api.post("/api/v1/analyses", json=analysis_body())
        canceled = await api.delete(f"/api/v1/analyses/{to_cancel.json()['id']}")
        assert canceled.status_code == 200
        await wait_terminal(api, to_cancel.json()["id"])

        async with httpx.AsyncClient(
            base_url=stack.config.gateway_url,
            headers={"X-Partner-Key": partner["partner_key"]},
            timeout=60,
        ) as legacy:
            body = {
                "partner_platform_id": partner["platform_id"],
                "partner_company_id": f"client_{secrets.token_hex(4)}",
                "partner_candidate_id": f"cand_{secrets.token_hex(4)}",
                "candidate": {"full_name": "John Doe", "cv_text": SAMPLE_CV},
            }
            check = await legacy.post("/api/partner/v1/background-check", json=body)
            assert check.status_code == 200, check.text
            report_id = check.json()["report_id"]
            fetched = await legacy.get(f"/api/partner/v1/background-check/{report_id}")
            assert fetched.status_code == 200

        assert (await api.get("/api/v1/usage")).status_code == 200
        assert (await api.get("/api/v1/keys")).status_code == 200
        minted = await api.post("/api/v1/keys", json={"name": "ci", "scopes": ["analyses:read"]})
        assert minted.status_code == 201, minted.text
        assert (await api.delete(f"/api/v1/keys/{minted.json()['id']}")).status_code == 200
        assert (await api.get("/api/v1/audit/export")).status_code == 200
        assert (await api.get("/api/v1/audit/verify")).status_code == 200
        assert (await api.get("/api/v1/export")).status_code == 200

        async def delivered() -> bool:
            return len(received) >= 2  # the two completions; the cancel may come too

        await eventually(delivered, timeout=60)
        assert (await api.get(f"/api/v1/webhooks/{hook_id}/deliveries")).status_code == 200

        erased = await api.delete(
            f"/api/v1/candidates/{without_cv['candidate']['id']}",
            params={"client_id": without_cv["client"]["id"]},
        )
        assert erased.status_code == 200, erased.text
        assert (await api.delete(f"/api/v1/webhooks/{hook_id}")).status_code == 204
    return [
        with_cv["candidate"]["id"],
        with_cv["client"]["id"],
        without_cv["candidate"]["id"],
        partner["partner_id"],
        first.json()["id"],
    ]


async def test_every_service_counts_its_store_commands_on_metrics(stack: LocalStack) -> None:
    """`dossier_store_commands_total{service,command,collection}`: round trips, always on."""
    async with httpx.AsyncClient(timeout=10) as http:
        for spec in SERVICES:
            text = (
                await http.get(f"http://127.0.0.1:{stack.config.ports[spec.name]}/metrics")
            ).text
            counted = {
                (sample.labels["command"], sample.labels["collection"]): sample.value
                for family in text_string_to_metric_families(text)
                for sample in family.samples
                if sample.name == "dossier_store_commands_total"
                and sample.labels["service"] == spec.name
            }
            assert counted, f"{spec.name} counts no store commands"
            assert all(value > 0 for value in counted.values())


# the verdict -------------------------------------------------------------------------------


async def server_reads_by_id(db: Any, access: Access) -> bool:
    """FerretDB's own answer: one row by `_id` (or, for a bare `find`, a SQL `LIMIT`)."""
    answer: dict[str, Any] = await db.command(
        "explain", explain_request(access.collection, access.command, access.statement)
    )
    assert "filterPushdown" in answer, (
        "the verdict is FerretDB's own `explain`: run this test on FerretDB (the dev/CI store)"
    )
    return bool(answer["filterPushdown"]) or (
        access.command == "find" and bool(answer["limitPushdown"])
    )


async def test_every_store_access_is_by_id_or_an_allowed_background_job(
    stack: LocalStack,
) -> None:
    used_values = await drive_the_public_api(stack)
    await asyncio.sleep(1.5)  # one more sweeper pass, and the last webhook bookkeeping

    log_dir = stack.config.state_dir / COMMAND_LOG_DIR
    records = list(read_command_logs(log_dir))
    logged = "".join(p.read_text() for p in log_dir.glob("*.jsonl"))
    assert {r["service"] for r in records} >= {s.name for s in SERVICES}, "every service logs"
    leaked = [v for v in [*used_values, "John", "Doe", "example-company"] if v in logged]
    assert not leaked, f"values reached the command log: {leaked}"

    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(stack.config.mongo_url)
    scratch = client[f"explain_{secrets.token_hex(4)}"]  # never the stack's own data
    offenders: list[Access] = []
    allowed: list[tuple[Access, Allowed]] = []
    drift: list[Access] = []
    try:
        found = [a for a in accesses(records) if a.command != "insert"]
        for name in sorted({a.collection for a in found if a.collection}):
            await scratch[name].insert_one({"_id": "probe"})  # explain needs it to exist
        for access in found:
            by_id = bool(access.collection) and await server_reads_by_id(scratch, access)
            if by_id != access.keyed:
                drift.append(access)
            if by_id:
                continue
            rule = next((r for r in ALLOWED if r.covers(access)), None)
            if rule is None:
                offenders.append(access)
            else:
                allowed.append((access, rule))
    finally:
        await client.drop_database(scratch.name)
        await client.close()

    problems = []
    if offenders:
        problems.append(
            f"{len(offenders)} store accesses decode a whole collection on FerretDB (their "
            "filter is not exactly {_id: <str|ObjectId>}) and are not background jobs on "
            "the allow-list in tests/e2e/test_store_access.py:\n\n" + table(offenders)
        )
    if drift:
        problems.append(
            "the command log's classifier disagrees with FerretDB's explain on:\n\n"
            + table(drift, note=lambda a: f"logged keyed={a.keyed}")
        )
    if problems and allowed:
        rows = [a for a, _ in allowed]
        reasons = {id(a): r.reason for a, r in allowed}
        problems.append(
            "allowed background scans seen (for reference):\n\n"
            + table(rows, note=lambda a: reasons[id(a)])
        )
    assert not problems, "\n\n".join(problems) + "\n\nrecords read: " + json.dumps(len(records))
