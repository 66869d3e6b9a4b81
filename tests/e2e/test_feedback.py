"""Reviewer feedback (`POST /api/v1/analyses/{id}/feedback`, issue 12 item 3), against the
running system: a dismissal rewrites the report without the signal — `processing` at stage
`report`, then `completed` with `revision` 1 — free of charge, audited, announced as
`analysis.updated` by webhook and on the event stream; `confirmed` is only recorded; a
profile dismissed as `not_this_person` stays out of later analyses of the same client
company and candidate; and every request a partner can get wrong is a clear 4xx that
changes nothing."""

import asyncio
import json
import secrets
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import pytest_asyncio
from aiokafka import AIOKafkaProducer
from pymongo.asynchronous.database import AsyncDatabase

from dossier.contracts.events import AnalysisContext, AnalysisRequested
from dossier.contracts.topics import ANALYSIS_REQUESTED, ANALYSIS_UPDATED
from dossier.devstack.stack import LocalStack
from dossier.runtime.collections import ANALYSES, ANALYSIS_FEEDBACK, INFLIGHT, LEDGER
from dossier.runtime.faults import REWRITE_FLAGGED
from dossier.runtime.read_model import analysis_document
from tests.e2e.conftest import Providers, create_partner, eventually
from tests.e2e.helpers import analysis_body, records_on, service_env, wait_terminal
from tests.e2e.test_live_progress import read_stream
from tests.e2e.test_webhooks import Receiver

NOTE = f"Namesake, not our candidate — reviewer note {secrets.token_hex(6)}"
PROFILE_CLAIM = "identity.profile"


@pytest.fixture(scope="module")
def reviewer(stack: LocalStack) -> dict[str, str]:
    """A partner of its own: usage, audit and webhooks hold only this file's analyses."""
    return create_partner(stack, f"Feedback {secrets.token_hex(3)}")


def _client(gateway_url: str, key: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=gateway_url, headers={"X-API-Key": key}, timeout=60)


@pytest_asyncio.fixture(loop_scope="session")
async def live(gateway_url: str, reviewer: dict[str, str]) -> AsyncIterator[httpx.AsyncClient]:
    async with _client(gateway_url, reviewer["api_key"]) as client:
        yield client


@pytest_asyncio.fixture(loop_scope="session")
async def sandbox(gateway_url: str, reviewer: dict[str, str]) -> AsyncIterator[httpx.AsyncClient]:
    async with _client(gateway_url, reviewer["test_api_key"]) as client:
        yield client


@pytest_asyncio.fixture(loop_scope="session")
async def stranger(
    gateway_url: str, other_partner: dict[str, str]
) -> AsyncIterator[httpx.AsyncClient]:
    async with _client(gateway_url, other_partner["api_key"]) as client:
        yield client


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def receiver() -> AsyncIterator[Receiver]:
    receiver = Receiver()
    server = await asyncio.start_server(receiver.handle, "127.0.0.1", 0)
    receiver.port = server.sockets[0].getsockname()[1]
    yield receiver
    server.close()
    await server.wait_closed()


@pytest.fixture
def slow_providers(providers: Providers) -> Iterator[Providers]:
    """Every provider call takes two seconds: an analysis stays running long enough to ask."""
    providers.control(delay=2.0)
    try:
        yield providers
    finally:
        providers.control(delay=0.0)


async def completed(client: httpx.AsyncClient, body: dict[str, Any]) -> dict[str, Any]:
    created = await client.post("/api/v1/analyses", json=body)
    assert created.status_code == 202, created.text
    done = await wait_terminal(client, created.json()["id"], timeout=120)
    assert done["status"] == "completed", done
    return done


def cited_ids(report: dict[str, Any]) -> set[str]:
    """Every signal id the report cites (its citations and the recommendation's evidence)."""
    cited = {i for c in report.get("citations") or [] for i in c["signalIds"]}
    return cited | set(report["recommendation"].get("evidence") or [])


def profile_signal(analysis: dict[str, Any]) -> dict[str, Any] | None:
    return next((s for s in analysis["signals"] if s.get("claim") == PROFILE_CLAIM), None)


def feedback(signal_id: str, verdict: str, note: str | None = NOTE) -> dict[str, Any]:
    return {"signal_id": signal_id, "verdict": verdict, **({"note": note} if note else {})}


async def rewritten(client: httpx.AsyncClient, analysis_id: str, revision: int) -> dict[str, Any]:
    async def probe() -> dict[str, Any] | None:
        body: dict[str, Any] = (await client.get(f"/api/v1/analyses/{analysis_id}")).json()
        done = body["status"] == "completed" and body["revision"] >= revision
        return body if done else None

    return await eventually(probe, timeout=120)


async def _died(stack: LocalStack, name: str) -> bool:
    proc = stack.services[name].proc
    return proc is not None and proc.poll() is not None


async def _billed_once(client: httpx.AsyncClient) -> dict[str, Any] | None:
    """Usage totals once the first report's charge shows (usage is counted after the
    ledger entry is written)."""
    totals: dict[str, Any] = (await client.get("/api/v1/usage")).json()["totals"]
    return totals if totals["credits"] == 1 else None


async def _delivered(receiver: Receiver, path: str, analysis_id: str) -> bool:
    return bool(receiver.to(path, analysis_id))


async def test_dismissing_a_signal_rewrites_the_report_without_it_free_audited_and_announced(
    live: httpx.AsyncClient, stack: LocalStack, receiver: Receiver, db: AsyncDatabase[Any]
) -> None:
    path = f"/hook/{secrets.token_hex(6)}"
    hook = await live.post(
        "/api/v1/webhooks", json={"url": receiver.url(path), "events": ["analysis.updated"]}
    )
    assert hook.status_code == 201, hook.text
    first = await completed(live, analysis_body())
    analysis_id, report = first["id"], first["report"]
    target = next(s for s in first["signals"] if s["id"] in cited_ids(report))
    usage_before = await eventually(lambda: _billed_once(live))

    # The reporter dies right after flagging the rewrite: the analysis is seen `processing`
    # at stage `report` (deterministically), and the redelivered message finishes the job.
    with service_env(stack, "reporter", {"DOSSIER_FAULT_AFTER": REWRITE_FLAGGED}):
        accepted = await live.post(
            f"/api/v1/analyses/{analysis_id}/feedback",
            json=feedback(target["id"], "not_this_person"),
        )
        await eventually(lambda: _died(stack, "reporter"), timeout=120)
        during = (await live.get(f"/api/v1/analyses/{analysis_id}")).json()
        # Following the analysis from its outcome on: the stream stays open while the
        # report is rewritten and ends with the rewrite.
        stream = asyncio.create_task(read_stream(live, analysis_id, last_event_id="5.0"))
        await asyncio.sleep(1)
    # service_env restarted the reporter without the fault
    after = await rewritten(live, analysis_id, 1)
    events = (await stream).events

    assert accepted.status_code == 202, accepted.text
    assert accepted.json()["regenerating"] is True
    assert accepted.headers["location"] == f"/api/v1/analyses/{analysis_id}"
    assert (during["status"], during["stage"], during["report"]) == ("processing", "report", None)
    assert after["revision"] == 1
    assert after["stage"] == "done"
    listed = next(s for s in after["signals"] if s["id"] == target["id"])
    assert listed["dismissed"]["verdict"] == "not_this_person"
    assert listed["dismissed"]["note"] == NOTE
    assert datetime.fromisoformat(listed["dismissed"]["at"]) <= datetime.now(UTC)
    assert len(after["signals"]) == len(first["signals"])
    assert target["id"] not in cited_ids(after["report"])
    assert target["statement"] not in json.dumps(after["report"])
    assert "reviewer feedback" in after["metadata"]["writer_note"]
    assert after["metadata"]["generated_at"] > first["metadata"]["generated_at"]
    assert after["billing"] == first["billing"]

    assert [e.event for e in events] == ["analysis.updated"]
    assert events[0].payload["revision"] == 1
    assert events[0].payload["analysis"]["revision"] == 1

    await eventually(lambda: _delivered(receiver, path, analysis_id), timeout=60)
    delivery = receiver.to(path, analysis_id)[0]
    assert delivery.event["type"] == "analysis.updated"
    assert delivery.event["data"]["analysis"]["revision"] == 1
    signals = delivery.event["data"]["analysis"]["signals"]
    assert next(s for s in signals if s["id"] == target["id"])["dismissed"] is not None

    await asyncio.sleep(2)  # a charge for the rewrite would have landed by now
    assert (await live.get("/api/v1/usage")).json()["totals"] == usage_before
    assert await db[LEDGER].count_documents({"_id": analysis_id}) == 1

    audit = (await live.get("/api/v1/audit/export")).text
    rows = [r for r in audit.splitlines() if "analysis.feedback" in r and analysis_id in r]
    assert len(rows) == 1
    assert target["id"] in rows[0]
    assert NOTE not in audit
    for log_file in stack.config.logs.glob("*.log"):
        assert NOTE not in log_file.read_text(errors="replace"), log_file.name


async def test_repeating_a_dismissal_changes_nothing(
    live: httpx.AsyncClient, stack: LocalStack
) -> None:
    first = await completed(live, analysis_body())
    target = first["signals"][0]
    url = f"/api/v1/analyses/{first['id']}/feedback"
    once = await live.post(url, json=feedback(target["id"], "incorrect"))
    after = await rewritten(live, first["id"], 1)
    again = await live.post(url, json=feedback(target["id"], "incorrect"))
    other_verdict = await live.post(url, json=feedback(target["id"], "confirmed"))
    updates = await records_on(stack, ANALYSIS_UPDATED, first["id"])
    final = (await live.get(f"/api/v1/analyses/{first['id']}")).json()

    assert once.status_code == 202
    assert once.json()["repeated"] is False
    assert again.status_code == 202, again.text
    assert again.json()["repeated"] is True
    assert again.json()["regenerating"] is False
    assert other_verdict.status_code == 409, other_verdict.text
    assert other_verdict.headers["content-type"].startswith("application/problem+json")
    assert "already has the verdict `incorrect`" in other_verdict.json()["detail"]
    assert len(updates) == 1
    assert final["revision"] == 1
    assert final["metadata"]["generated_at"] == after["metadata"]["generated_at"]


async def test_confirming_a_signal_is_recorded_on_it_without_rewriting_the_report(
    live: httpx.AsyncClient, stack: LocalStack
) -> None:
    first = await completed(live, analysis_body())
    target = first["signals"][0]
    accepted = await live.post(
        f"/api/v1/analyses/{first['id']}/feedback",
        json=feedback(target["id"], "confirmed", "Checked with the candidate's employer."),
    )

    async def confirmed() -> dict[str, Any] | None:
        body: dict[str, Any] = (await live.get(f"/api/v1/analyses/{first['id']}")).json()
        signal = next(s for s in body["signals"] if s["id"] == target["id"])
        return body if signal.get("confirmed") else None

    after = await eventually(confirmed, timeout=60)
    updates = await records_on(stack, ANALYSIS_UPDATED, first["id"])

    assert accepted.status_code == 202, accepted.text
    assert accepted.json()["regenerating"] is False
    signal = next(s for s in after["signals"] if s["id"] == target["id"])
    assert signal["confirmed"]["verdict"] == "confirmed"
    assert signal["confirmed"]["note"] == "Checked with the candidate's employer."
    assert signal["dismissed"] is None
    assert (after["status"], after["revision"]) == ("completed", 0)
    assert after["report"] == first["report"]
    assert after["metadata"]["generated_at"] == first["metadata"]["generated_at"]
    assert updates == []


async def _later_analysis(
    stack: LocalStack, db: AsyncDatabase[Any], earlier: dict[str, Any]
) -> str:
    """A new analysis of the same partner, environment, client company and candidate, as a
    refresh starts one: accepted in the read model and requested on the bus (no CV)."""
    accepted = await db[ANALYSES].find_one({"_id": earlier["id"]})
    assert accepted is not None
    context = AnalysisContext.model_validate(accepted["context"]).model_copy(
        update={
            "analysis_id": f"an_{secrets.token_hex(8)}",
            "requested_at": datetime.now(UTC),
            "cv_provided": False,
        }
    )
    document = analysis_document(context)
    await db[ANALYSES].insert_one(document)
    await db[INFLIGHT].insert_one(
        {"_id": context.analysis_id, "created_at": context.requested_at, "published": True}
    )
    producer = AIOKafkaProducer(bootstrap_servers=stack.config.bootstrap)
    await producer.start()
    try:
        event = AnalysisRequested(context=context)
        await producer.send_and_wait(
            ANALYSIS_REQUESTED,
            event.model_dump_json(by_alias=True).encode(),
            key=context.analysis_id.encode(),
            headers=[("event_type", b"AnalysisRequested")],
        )
    finally:
        await producer.stop()
    return context.analysis_id


async def test_a_profile_dismissed_as_not_this_person_is_not_attached_to_a_later_analysis(
    live: httpx.AsyncClient, stack: LocalStack, db: AsyncDatabase[Any]
) -> None:
    body = analysis_body(cv=None)
    first = await completed(live, body)
    profile = profile_signal(first)
    assert profile is not None, "the recorded providers should find John Doe's GitHub profile"
    dismissed = await live.post(
        f"/api/v1/analyses/{first['id']}/feedback",
        json=feedback(profile["id"], "not_this_person"),
    )
    await rewritten(live, first["id"], 1)

    later_id = await _later_analysis(stack, db, first)
    later = await wait_terminal(live, later_id, timeout=120)
    # Another candidate with the same name: the dismissal is theirs alone.
    other = await completed(live, analysis_body(client_id=body["client"]["id"], cv=None))

    assert dismissed.status_code == 202, dismissed.text
    assert later["status"] == "completed", later
    assert profile["id"] not in {s["id"] for s in later["signals"]}
    assert profile["id"] in {s["id"] for s in other["signals"]}


async def test_feedback_a_partner_gets_wrong_is_a_clear_problem_that_changes_nothing(
    live: httpx.AsyncClient,
    sandbox: httpx.AsyncClient,
    stranger: httpx.AsyncClient,
    db: AsyncDatabase[Any],
) -> None:
    first = await completed(live, analysis_body())
    url = f"/api/v1/analyses/{first['id']}/feedback"
    signal_id = first["signals"][0]["id"]
    good = feedback(signal_id, "incorrect")

    unknown_signal = await live.post(url, json=feedback("sig_0000000000000000", "incorrect"))
    bad_verdict = await live.post(url, json=feedback(signal_id, "wrong"))
    long_note = await live.post(url, json=feedback(signal_id, "incorrect", "x" * 2001))
    no_signal = await live.post(url, json={"verdict": "incorrect"})
    other_partner = await stranger.post(url, json=good)
    test_key = await sandbox.post(url, json=good)
    no_such = await live.post("/api/v1/analyses/an_doesnotexist/feedback", json=good)
    bad_key = await live.post(url, json=good, headers={"X-API-Key": "ats_live_nope"})

    assert unknown_signal.status_code == 422, unknown_signal.text
    assert unknown_signal.headers["content-type"].startswith("application/problem+json")
    assert [e["field"] for e in unknown_signal.json()["errors"]] == ["signal_id"]
    assert bad_verdict.status_code == 422
    assert "verdict" in json.dumps(bad_verdict.json()["errors"])
    assert long_note.status_code == 422
    assert "note" in json.dumps(long_note.json()["errors"])
    assert no_signal.status_code == 422
    assert "signal_id" in json.dumps(no_signal.json()["errors"])
    assert other_partner.status_code == 404
    assert test_key.status_code == 404
    assert no_such.status_code == 404
    assert bad_key.status_code == 401
    assert await db[ANALYSIS_FEEDBACK].find_one({"_id": f"{first['id']}:{signal_id}"}) is None
    now = (await live.get(f"/api/v1/analyses/{first['id']}")).json()
    assert (now["status"], now["revision"]) == ("completed", 0)
    assert all(s["dismissed"] is None for s in now["signals"])


async def test_feedback_on_an_analysis_that_is_not_completed_is_a_409_saying_why(
    live: httpx.AsyncClient, slow_providers: Providers, db: AsyncDatabase[Any]
) -> None:
    created = await live.post("/api/v1/analyses", json=analysis_body())
    analysis_id = created.json()["id"]
    url = f"/api/v1/analyses/{analysis_id}/feedback"
    running = await live.post(url, json=feedback("sig_0000000000000000", "incorrect"))
    await live.delete(f"/api/v1/analyses/{analysis_id}")
    canceled = await live.post(url, json=feedback("sig_0000000000000000", "incorrect"))

    assert running.status_code == 409, running.text
    assert running.headers["content-type"].startswith("application/problem+json")
    assert "completed report" in running.json()["detail"]
    assert running.json()["detail"].split("`")[1] in ("queued", "processing")
    assert canceled.status_code == 409
    assert "is `canceled`" in canceled.json()["detail"]
    assert await db[ANALYSIS_FEEDBACK].find_one({"analysis_id": analysis_id}) is None
