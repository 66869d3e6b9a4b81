"""Request bodies and polling helpers shared by the e2e tests."""

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer, ConsumerRecord

from dossier.devstack.stack import LocalStack
from tests.e2e.conftest import eventually

TERMINAL = {"completed", "failed", "canceled"}

SAMPLE_CV = """John Doe
Senior Software Engineer — London, UK
john.doe@example-company.com · github.com/jdoe-example

Experience
Senior Software Engineer — Example Company, 03/2021 – present
Software Engineer — Northwind Traders, 01/2017 – 02/2021

Education
BSc Computer Science — University of Leeds, 2013 – 2016

Skills
Python, Kafka, PostgreSQL
"""


def analysis_body(
    *,
    client_id: str | None = None,
    candidate_id: str | None = None,
    cv: str | None = SAMPLE_CV,
    language: str = "en",
    **candidate: Any,
) -> dict[str, Any]:
    """A valid POST body with unique ids unless given."""
    return {
        "language": language,
        "client": {
            "id": client_id or f"client_{secrets.token_hex(4)}",
            "company": "Acme Recruiting",
        },
        "candidate": {
            "id": candidate_id or f"cand_{secrets.token_hex(4)}",
            "first_name": "John",
            "last_name": "Doe",
            "company": "Example Company",
            "location": "London, UK",
            "role": "Senior Software Engineer",
            **({"cv": cv} if cv is not None else {}),
            **candidate,
        },
    }


async def wait_terminal(
    api: httpx.AsyncClient, analysis_id: str, timeout: float = 90
) -> dict[str, Any]:
    async def probe() -> dict[str, Any] | None:
        body: dict[str, Any] = (await api.get(f"/api/v1/analyses/{analysis_id}")).json()
        return body if body["status"] in TERMINAL else None

    return await eventually(probe, timeout=timeout)


@contextmanager
def service_env(stack: LocalStack, name: str, env: dict[str, str]) -> Iterator[None]:
    """Run one service with extra settings for the duration of a block, then restore it."""
    stack.services[name].stop()
    stack.config.service_env[name] = env
    stack.start_service(name)
    try:
        yield
    finally:
        stack.services[name].stop()
        stack.config.service_env.pop(name, None)
        stack.start_service(name)


async def records_on(
    stack: LocalStack, topic: str, analysis_id: str
) -> list[ConsumerRecord[bytes, bytes]]:
    """Every record on `topic` keyed by this analysis, read from the real broker's start
    until it has been quiet for two polls."""
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=stack.config.bootstrap,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        group_id=None,
    )
    await consumer.start()
    found: list[ConsumerRecord[bytes, bytes]] = []
    try:
        quiet = 0
        while quiet < 2:
            batches = await consumer.getmany(timeout_ms=1500, max_records=10_000)
            records = [r for rs in batches.values() for r in rs]
            quiet = 0 if records else quiet + 1
            found += [r for r in records if r.key == analysis_id.encode()]
    finally:
        await consumer.stop()
    return found


@contextmanager
def gateway_environment(stack: LocalStack) -> Iterator[None]:
    """The gateway's own settings, so the app is built exactly as the running one."""
    env = stack.config.service_environment("gateway")
    saved = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
