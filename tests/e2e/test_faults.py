"""Faults the system must survive, on a private stack (its own Kafka, FerretDB, services):

- poison messages (bytes that are not the topic's event) are dead-lettered, not
  redelivered forever, and the partition moves on;
- the broker killed with SIGKILL mid-flight and brought back on the same data: every
  accepted analysis completes, none is charged twice, no signal is duplicated;
- the store killed with SIGKILL mid-flight: the services keep answering (503 problem+json
  where the store is needed, live but not ready), recover on their own, lose nothing.

Each fault's figures (analyses in flight, lost, charged twice, time to recover) are
written to `benchmarks/results/faults.md`.
"""

import asyncio
import json
import os
import secrets
import shutil
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from pymongo import AsyncMongoClient

from dossier.contracts.topics import (
    ANALYSIS_CANCELED,
    ANALYSIS_COMPLETED,
    ANALYSIS_ENRICHED,
    ANALYSIS_FAILED,
    ANALYSIS_IDENTIFIED,
    ANALYSIS_REQUESTED,
    dead_letter_topic,
)
from dossier.devstack.infra import kafka_process, start_in_order, store_processes
from dossier.devstack.processes import ManagedProcess, free_port
from dossier.devstack.stack import CONSUMERS, LocalStack, StackConfig
from dossier.runtime.kafka import DLQ_RAW_HEADER, ensure_topics
from tests.e2e.conftest import (
    E2E_RATE_LIMITS,
    REPO,
    Providers,
    create_partner,
    eventually,
    provider_env,
)
from tests.e2e.helpers import TERMINAL, analysis_body

pytestmark = pytest.mark.e2e

RESULTS = REPO / "benchmarks" / "results" / "faults.md"
PROBLEM_JSON = "application/problem+json"

#: Which service consumes which topic (each dead-letters what it cannot decode).
CONSUMED_BY = {
    ANALYSIS_REQUESTED: ("identity",),
    ANALYSIS_IDENTIFIED: ("enrichment",),
    ANALYSIS_ENRICHED: ("reporter",),
    ANALYSIS_COMPLETED: ("billing", "webhooks"),
    ANALYSIS_FAILED: ("billing", "webhooks"),
    ANALYSIS_CANCELED: ("billing", "webhooks"),
}
PARTITIONS = 6
#: How long each fault lasts: long enough for every service to notice, short enough for
#: `make test`.
OUTAGE_SECONDS = 6.0


@dataclass
class Figures:
    fault: str
    in_flight: int
    down_seconds: float
    lost: int
    charged_twice: int
    duplicated_signals: int
    ready_seconds: float
    settled_seconds: float
    notes: str


@dataclass
class FaultStack:
    stack: LocalStack
    kafka: ManagedProcess
    ferretdb: ManagedProcess
    providers: Providers
    figures: list[Figures] = field(default_factory=list)

    @property
    def bootstrap(self) -> str:
        return self.stack.config.bootstrap


def _write_figures(figures: list[Figures]) -> None:
    if not figures:
        return
    lines = [
        "# Faults: what a SIGKILL of the broker or the store costs",
        "",
        "Measured by `tests/e2e/test_faults.py` on a private local stack (Kafka 4 KRaft,",
        f"FerretDB, the six services as processes), each part down for ~{OUTAGE_SECONDS:.0f} s "
        "while analyses were in every stage.",
        "*Down*: from the SIGKILL until the part answers again (restarted after the outage);",
        "*ready*: from then until every service's `/readyz` is green again;",
        "*settled*: from the restart until every analysis in flight is `completed`.",
        "",
        "| fault | analyses in flight | down | lost | charged twice | duplicated signals "
        "| ready after | settled after | notes |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    lines += [
        f"| {f.fault} | {f.in_flight} | {f.down_seconds:.1f} s | {f.lost} | {f.charged_twice} | {f.duplicated_signals} "
        f"| {f.ready_seconds:.1f} s | {f.settled_seconds:.1f} s | {f.notes} |"
        for f in figures
    ]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n")
    print("\n" + "\n".join(lines))


@pytest.fixture(scope="module")
def faults() -> Iterator[FaultStack]:
    """A stack no other test shares: killing its broker or store disturbs nobody else."""
    state = Path(tempfile.mkdtemp(prefix="dossier-faults-"))
    logs = state / "logs"
    kafka_port, mongo_port = free_port(), free_port()
    kafka = kafka_process(
        state / "kafka", logs / "kafka.log", port=kafka_port, controller_port=free_port()
    )
    store = store_processes(state, logs, port=mongo_port)
    provider_port = free_port()
    providers_proc = ManagedProcess(
        name="providers",
        argv=[sys.executable, "-m", "tests.fakes.provider_server", "--port", str(provider_port)],
        log_path=logs / "providers.log",
        cwd=REPO,
        env={"PYTHONPATH": str(REPO)},
        ready=lambda: _ok(f"http://127.0.0.1:{provider_port}/_health"),
    )
    providers = Providers(f"http://127.0.0.1:{provider_port}")
    config = StackConfig(
        state_dir=state,
        kafka_port=kafka_port,
        mongo_port=mongo_port,
        ports={s: free_port() for s in ("gateway", *(c.name for c in CONSUMERS))},
        mongo_database="dossier_faults",
        partitions=PARTITIONS,
        env={
            **provider_env(providers),
            "DOSSIER_OUTBOX_SWEEP_SECONDS": "1",
            "DOSSIER_OUTBOX_GRACE_SECONDS": "2",
            "DOSSIER_STAGE_RETRY_BACKOFF_SECONDS": "0.2",
            "DOSSIER_RATE_LIMITS": json.dumps(E2E_RATE_LIMITS),
        },
    )
    stack = LocalStack(config)
    stack.infra = {"kafka": kafka, **{p.name: p for p in store}}
    fault_stack = FaultStack(stack, kafka, store[-1], providers)
    try:
        kafka.start()
        providers_proc.start()
        start_in_order(store, timeout=120)
        kafka.wait_ready(timeout=120)
        providers_proc.wait_ready(timeout=30)
        asyncio.run(ensure_topics(config.bootstrap, partitions=PARTITIONS))
        stack.start_services()
        yield fault_stack
    finally:
        stack.stop()
        providers_proc.stop()
        _write_figures(fault_stack.figures)
        if not os.environ.get("DOSSIER_KEEP_TEST_STATE"):
            shutil.rmtree(state, ignore_errors=True)


def _ok(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


@pytest_asyncio.fixture(loop_scope="session")
async def partner_api(faults: FaultStack) -> AsyncIterator[httpx.AsyncClient]:
    """A new partner for each test, so its usage counts only this test's analyses."""
    partner = create_partner(faults.stack, f"Faults {secrets.token_hex(3)}")
    async with httpx.AsyncClient(
        base_url=faults.stack.config.gateway_url,
        headers={"X-API-Key": partner["api_key"]},
        timeout=httpx.Timeout(60, connect=5),
        # A fresh connection per request: a pooled one the server is just closing (idle past
        # its keep-alive) fails a POST with ReadError, a client-side race, not a server fault.
        limits=httpx.Limits(max_keepalive_connections=0),
    ) as client:
        yield client


def uncached_body() -> dict[str, Any]:
    """A candidate no source has answered for yet, so every stage really waits on providers."""
    return analysis_body(last_name=f"Doe{secrets.token_hex(3)}")


# poison messages ------------------------------------------------------------------------


async def _dead_letters(bootstrap: str, topics: list[str], marker: bytes) -> list[Any]:
    """Every record on `topics` whose key starts with `marker`, read from the beginning."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        tps = [TopicPartition(t, p) for t in topics for p in range(PARTITIONS)]
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        ends = await consumer.end_offsets(tps)
        found = []
        while [tp for tp in tps if await consumer.position(tp) < ends[tp]]:
            batch = await consumer.getmany(timeout_ms=1000)
            found += [
                r
                for records in batch.values()
                for r in records
                if (r.key or b"").startswith(marker)
            ]
        return found
    finally:
        await consumer.stop()


async def test_poison_messages_are_dead_lettered_and_the_partition_moves_on(
    faults: FaultStack, partner_api: httpx.AsyncClient
) -> None:
    marker = f"poison-{secrets.token_hex(4)}".encode()
    producer = AIOKafkaProducer(bootstrap_servers=faults.bootstrap)
    await producer.start()
    try:
        for topic in CONSUMED_BY:
            for partition in range(PARTITIONS):  # every partition: none may stay stuck
                await producer.send_and_wait(
                    topic,
                    b"\xff\xfenot an event" if partition % 2 else b'{"not": "an event"}',
                    key=marker + f":{partition}".encode(),
                    partition=partition,
                    headers=[("origin", b"test_faults")],
                )
    finally:
        await producer.stop()

    expected = {
        (service, topic, p)
        for topic, services in CONSUMED_BY.items()
        for service in services
        for p in range(PARTITIONS)
    }
    dlq_topics = [dead_letter_topic(t) for t in CONSUMED_BY]

    async def all_dead_lettered() -> list[Any] | None:
        letters = await _dead_letters(faults.bootstrap, dlq_topics, marker)
        bodies = [json.loads(r.value) for r in letters]
        seen = {(b["service"], b["topic"], b["partition"]) for b in bodies}
        return letters if expected <= seen else None

    letters = await eventually(all_dead_lettered, timeout=90, every=1)

    letter = letters[0]
    headers = dict(letter.headers)
    body = json.loads(letter.value)
    assert headers["origin"] == b"test_faults"  # the poison message's own headers are kept
    assert body["error"].startswith("undecodable message")
    raw = bytes.fromhex(headers[DLQ_RAW_HEADER].decode())
    assert raw in (b"\xff\xfenot an event", b'{"not": "an event"}')
    # dead-lettered, then committed past: no further letters from redeliveries
    await asyncio.sleep(3)
    assert len(await _dead_letters(faults.bootstrap, dlq_topics, marker)) == len(letters)

    # every partition of every topic now holds a poison message before this analysis
    created = await partner_api.post("/api/v1/analyses", json=uncached_body())
    assert created.status_code == 202
    final = await _wait_terminal(partner_api, created.json()["id"], timeout=120)
    assert final["status"] == "completed"


# broker and store faults -----------------------------------------------------------------


async def _wait_terminal(
    api: httpx.AsyncClient, analysis_id: str, timeout: float
) -> dict[str, Any]:
    async def probe() -> dict[str, Any] | None:
        response = await api.get(f"/api/v1/analyses/{analysis_id}")
        if response.status_code != 200:
            return None
        body: dict[str, Any] = response.json()
        return body if body["status"] in TERMINAL else None

    return await eventually(probe, timeout=timeout, every=0.5)


async def _post_in_flight(api: httpx.AsyncClient, count: int) -> list[str]:
    """`count` analyses spread over the stages: posted a little apart, providers slow."""
    ids = []
    for _ in range(count):
        response = await api.post("/api/v1/analyses", json=uncached_body())
        assert response.status_code == 202, response.text
        ids.append(response.json()["id"])
        await asyncio.sleep(0.7)
    return ids


async def _stages(api: httpx.AsyncClient, ids: list[str]) -> list[str]:
    bodies = [(await api.get(f"/api/v1/analyses/{a}")).json() for a in ids]
    return [b["stage"] or b["status"] for b in bodies]


async def _all_ready(stack: LocalStack) -> bool:
    async with httpx.AsyncClient(timeout=5) as http:
        for port in stack.config.ports.values():
            try:
                if (await http.get(f"http://127.0.0.1:{port}/readyz")).status_code != 200:
                    return False
            except httpx.HTTPError:
                return False
    return True


async def _settle(
    faults: FaultStack,
    api: httpx.AsyncClient,
    ids: list[str],
    *,
    fault: str,
    killed_at: float,
    restarted_at: float,
    notes: str,
) -> Figures:
    """Wait for readiness and every analysis to end; count what was lost or doubled."""
    await eventually(lambda: _all_ready(faults.stack), timeout=120, every=0.5)
    ready = time.monotonic() - restarted_at
    finals = [await _wait_terminal(api, a, timeout=180) for a in ids]
    settled = time.monotonic() - restarted_at
    completed = [f for f in finals if f["status"] == "completed"]

    async def billed() -> dict[str, Any] | None:
        usage: dict[str, Any] = (await api.get("/api/v1/usage")).json()
        return usage if usage["totals"]["credits"] >= len(completed) else None

    usage = await eventually(billed, timeout=60)
    await asyncio.sleep(2)  # a late duplicate charge would show up here
    usage = (await api.get("/api/v1/usage")).json()
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(faults.stack.config.mongo_url)
    try:
        ledger = client[faults.stack.config.mongo_database]["billing_ledger"]
        entries = [await ledger.count_documents({"_id": a}) for a in ids]
    finally:
        await client.close()
    duplicated_signals = sum(
        len(f["signals"]) - len({(s["statement"], s.get("sourceUrl")) for s in f["signals"]})
        for f in finals
    )
    figures = Figures(
        fault=fault,
        in_flight=len(ids),
        down_seconds=restarted_at - killed_at,
        lost=len(ids) - len(completed),
        charged_twice=max(0, usage["totals"]["credits"] - len(completed))
        + sum(max(0, n - 1) for n in entries),
        duplicated_signals=duplicated_signals,
        ready_seconds=ready,
        settled_seconds=settled,
        notes=notes,
    )
    faults.figures.append(figures)
    assert [f["status"] for f in finals] == ["completed"] * len(ids), finals
    assert entries == [1] * len(ids)
    assert usage["totals"]["credits"] == len(ids)
    assert duplicated_signals == 0
    return figures


async def test_kafka_killed_mid_flight_loses_nothing_and_charges_once(
    faults: FaultStack, partner_api: httpx.AsyncClient
) -> None:
    faults.providers.control(delay=1.0)
    try:
        ids = await _post_in_flight(partner_api, 6)
        stages_at_kill = await _stages(partner_api, ids)
        faults.kafka.kill()
        killed_at = time.monotonic()

        # The store is up: reads still answer.
        assert (await partner_api.get(f"/api/v1/analyses/{ids[0]}")).status_code == 200
        # A new analysis while the broker is away: accepted (delivered later) or refused
        # with a 503 problem — never a 500, never a hang.
        started = time.monotonic()
        late_body = uncached_body()
        during = await partner_api.post("/api/v1/analyses", json=late_body)
        post_seconds = time.monotonic() - started
        assert during.status_code in (202, 503), during.text
        if during.status_code == 503:
            assert during.headers["content-type"] == PROBLEM_JSON
            assert "Retry-After" in during.headers
        # Every process stays up while the broker is away.
        await asyncio.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - killed_at)))
        assert all(p.running() for p in faults.stack.services.values())
    finally:
        faults.providers.control(delay=0)
        if not faults.kafka.running():
            faults.kafka.start()  # same port, same data
    await asyncio.to_thread(faults.kafka.wait_ready, 120)
    restarted_at = time.monotonic()
    accepted = [*ids]
    if during.status_code == 202:
        accepted.append(during.json()["id"])
    else:  # the partner retries, as the problem told it to
        again = await partner_api.post("/api/v1/analyses", json=late_body)
        assert again.status_code in (200, 202)
        accepted.append(again.json()["id"])

    await _settle(
        faults,
        partner_api,
        accepted,
        fault="Kafka SIGKILL",
        killed_at=killed_at,
        restarted_at=restarted_at,
        notes=f"stages at kill: {', '.join(stages_at_kill)}; POST while down: "
        f"{during.status_code} in {post_seconds:.1f} s",
    )


async def test_ferretdb_killed_mid_flight_answers_503_and_recovers(
    faults: FaultStack, partner_api: httpx.AsyncClient
) -> None:
    stack = faults.stack
    pids = {name: p.pid for name, p in stack.services.items()}
    faults.providers.control(delay=1.0)
    try:
        ids = await _post_in_flight(partner_api, 6)
        stages_at_kill = await _stages(partner_api, ids)
        faults.ferretdb.kill()
        killed_at = time.monotonic()

        async with httpx.AsyncClient(timeout=30) as http:
            started = time.monotonic()
            read = await partner_api.get(f"/api/v1/analyses/{ids[0]}")
            read_seconds = time.monotonic() - started
            post = await partner_api.post("/api/v1/analyses", json=uncached_body())
            for response in (read, post):
                assert response.status_code == 503, response.text
                assert response.headers["content-type"] == PROBLEM_JSON
                assert int(response.headers["Retry-After"]) > 0
            assert read_seconds < 15  # bounded by the client's server-selection timeout
            for name, port in stack.config.ports.items():
                assert (await http.get(f"http://127.0.0.1:{port}/healthz")).status_code == 200
                ready = await http.get(f"http://127.0.0.1:{port}/readyz")
                assert ready.status_code == 503, name
                assert ready.json()["checks"]["mongodb"] is False, name

        await asyncio.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - killed_at)))
        # live, no crash loop: the very same processes
        assert {name: p.pid for name, p in stack.services.items()} == pids
        assert all(p.running() for p in stack.services.values())
    finally:
        faults.providers.control(delay=0)
        if not faults.ferretdb.running():
            faults.ferretdb.start()
    await asyncio.to_thread(faults.ferretdb.wait_ready, 60)
    restarted_at = time.monotonic()

    await _settle(
        faults,
        partner_api,
        ids,
        fault="FerretDB SIGKILL",
        killed_at=killed_at,
        restarted_at=restarted_at,
        notes=f"stages at kill: {', '.join(stages_at_kill)}; GET/POST while down: "
        f"503 in {read_seconds:.1f} s",
    )
    assert {name: p.pid for name, p in stack.services.items()} == pids
