"""The webhooks guide's verification code works: its Python blocks, taken from the page the
gateway serves (`/docs/webhooks.md`), are executed as a partner would paste them and run on
real deliveries — a test event and a completed analysis, before and after a secret rotation."""

import re
import secrets
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
import pytest_asyncio

from dossier.devstack.stack import LocalStack
from tests.e2e.conftest import create_partner, eventually
from tests.e2e.test_webhooks import Delivery, Receiver, listening, received, register, run_analysis

FENCED_PYTHON = re.compile(r"^```python\n(.*?)^```$", re.MULTILINE | re.DOTALL)


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def receiver() -> AsyncIterator[Receiver]:
    async with listening() as endpoint:
        yield endpoint


@pytest.fixture(scope="module")
def reader(stack: LocalStack) -> dict[str, str]:
    return create_partner(stack, f"Guide reader {secrets.token_hex(3)}")


@pytest_asyncio.fixture(loop_scope="session")
async def hooks(gateway_url: str, reader: dict[str, str]) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        base_url=gateway_url, headers={"X-API-Key": reader["api_key"]}, timeout=30
    ) as client:
        yield client


@pytest.fixture(scope="module")
def guide(gateway_url: str) -> dict[str, Any]:
    """Every Python block of the served guide, executed in order in one namespace."""
    page = httpx.get(f"{gateway_url}/docs/webhooks.md", timeout=10)
    assert page.status_code == 200
    blocks = FENCED_PYTHON.findall(page.text)
    assert len(blocks) >= 2, "the guide shows both verifications in Python"
    namespace: dict[str, Any] = {"__name__": "webhooks_guide"}
    for block in blocks:
        exec(compile(block, "webhooks.md", "exec"), namespace)  # our own guide, as served
    return namespace


def verifiers(guide: dict[str, Any]) -> tuple[Callable[..., bool], Callable[..., bool]]:
    standard, dossier = guide.get("verify_standard"), guide.get("verify")
    assert callable(standard), "the guide defines verify_standard(secret, headers, body)"
    assert callable(dossier), "the guide defines verify(secret, header, body)"
    return standard, dossier


def checks(guide: dict[str, Any], secret: str, delivery: Delivery) -> tuple[bool, bool]:
    standard, dossier = verifiers(guide)
    return (
        standard(secret, delivery.headers, delivery.body),
        dossier(secret, delivery.headers["x-dossier-signature"], delivery.body),
    )


def _path() -> str:
    return f"/guide/{secrets.token_hex(6)}"


async def last_delivery(receiver: Receiver, path: str) -> Delivery:
    async def probe() -> Delivery | None:
        got = [d for d in receiver.received if d.path == path]
        return got[-1] if got else None

    delivery: Delivery = await eventually(probe, timeout=60)
    return delivery


async def test_the_guides_code_verifies_a_test_event_both_ways(
    hooks: httpx.AsyncClient, receiver: Receiver, guide: dict[str, Any]
) -> None:
    path = _path()
    webhook = await register(hooks, receiver.url(path))
    assert (await hooks.post(f"/api/v1/webhooks/{webhook['id']}/test")).status_code == 202

    delivery = await last_delivery(receiver, path)

    assert checks(guide, webhook["secret"], delivery) == (True, True)
    tampered = Delivery(delivery.path, delivery.headers, delivery.body.replace(b"test", b"tost"))
    assert checks(guide, webhook["secret"], tampered) == (False, False)
    await hooks.delete(f"/api/v1/webhooks/{webhook['id']}")


async def test_the_guides_code_verifies_an_analysis_event_with_both_secrets_after_rotation(
    hooks: httpx.AsyncClient, receiver: Receiver, guide: dict[str, Any]
) -> None:
    path = _path()
    webhook = await register(hooks, receiver.url(path))
    rotated = await hooks.post(f"/api/v1/webhooks/{webhook['id']}/rotate-secret")
    assert rotated.status_code == 200

    done = await run_analysis(hooks)
    [delivery] = await received(receiver, path, done["id"])

    for secret in (webhook["secret"], rotated.json()["secret"]):
        assert checks(guide, secret, delivery) == (True, True)
    stranger = "whsec_" + secrets.token_hex(32)
    assert checks(guide, stranger, delivery) == (False, False)
    await hooks.delete(f"/api/v1/webhooks/{webhook['id']}")
