"""Managing a webhook endpoint over HTTP (issue 12 item 8): change it (`PATCH`), turn it back
on after auto-disable (its failure streak starts again), rotate its secret (both secrets sign
for 24 h), send a test event, redeliver a delivery — each audited and isolated — and every
delivery verifiable with the `standardwebhooks` library as well as `X-Dossier-Signature`."""

import asyncio
import base64
import secrets
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
from pymongo.asynchronous.database import AsyncDatabase
from standardwebhooks import Webhook as StandardWebhook
from standardwebhooks import WebhookVerificationError

from dossier.devstack.stack import LocalStack
from dossier.webhooks.domain.signature import verify_signature
from tests.e2e.conftest import create_partner, eventually
from tests.e2e.test_webhooks import (
    COMPLETED,
    FAILED,
    Delivery,
    Receiver,
    listening,
    received,
    register,
    run_analysis,
)

TEST_EVENT = "webhook.test"


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def receiver() -> AsyncIterator[Receiver]:
    async with listening() as endpoint:
        yield endpoint


@pytest.fixture(scope="module")
def manager(stack: LocalStack) -> dict[str, str]:
    """A partner of its own: its webhooks receive only this file's analyses."""
    return create_partner(stack, f"Webhook management {secrets.token_hex(3)}")


@pytest_asyncio.fixture(loop_scope="session")
async def hooks(gateway_url: str, manager: dict[str, str]) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        base_url=gateway_url, headers={"X-API-Key": manager["api_key"]}, timeout=30
    ) as client:
        yield client


@pytest_asyncio.fixture(loop_scope="session")
async def sandbox(gateway_url: str, manager: dict[str, str]) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        base_url=gateway_url, headers={"X-API-Key": manager["test_api_key"]}, timeout=30
    ) as client:
        yield client


def _path() -> str:
    return f"/managed/{secrets.token_hex(6)}"


def verifies_standard(secret: str, delivery: Delivery) -> bool:
    try:
        StandardWebhook(secret).verify(delivery.body, delivery.headers)
    except WebhookVerificationError:
        return False
    return True


async def audit_actions(
    db: AsyncDatabase[dict[str, Any]], partner_id: str, webhook_id: str
) -> list[str]:
    return [
        e["action"]
        async for e in db.audit_trail.find({"partner_id": partner_id, "target": webhook_id})
    ]


async def wait_test_events(receiver: Receiver, path: str, count: int = 1) -> list[Delivery]:
    async def probe() -> list[Delivery] | None:
        got = [d for d in receiver.received if d.path == path and d.event["type"] == TEST_EVENT]
        return got if len(got) >= count else None

    return await eventually(probe, timeout=60)


async def disabled(hooks: httpx.AsyncClient, webhook_id: str) -> dict[str, Any]:
    async def probe() -> dict[str, Any] | None:
        body: dict[str, Any] = (await hooks.get(f"/api/v1/webhooks/{webhook_id}")).json()
        return body if body["enabled"] is False else None

    return await eventually(probe, timeout=60)


# Standard Webhooks ---------------------------------------------------------------------------
async def test_new_secrets_are_whsec_and_base64_of_32_bytes(
    hooks: httpx.AsyncClient, receiver: Receiver
) -> None:
    webhook = await register(hooks, receiver.url(_path()))

    secret = webhook["secret"]
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret.removeprefix("whsec_"), validate=True)) == 32
    await hooks.delete(f"/api/v1/webhooks/{webhook['id']}")


async def test_every_delivery_carries_standard_webhooks_headers_that_verify(
    hooks: httpx.AsyncClient, receiver: Receiver
) -> None:
    path = _path()
    webhook = await register(hooks, receiver.url(path))

    done = await run_analysis(hooks)
    [delivery] = await received(receiver, path, done["id"])

    headers = delivery.headers
    assert headers["webhook-id"] == delivery.event["id"] == headers["x-dossier-event-id"]
    assert abs(int(headers["webhook-timestamp"]) - time.time()) < 600
    assert headers["x-dossier-signature"].startswith(f"t={headers['webhook-timestamp']},")
    assert headers["webhook-signature"].startswith("v1,")
    assert verifies_standard(webhook["secret"], delivery)
    assert verify_signature(
        webhook["secret"], headers["x-dossier-signature"], delivery.body, now=time.time()
    ), "the Stripe-style signature keeps working"
    assert not verifies_standard("whsec_" + base64.b64encode(b"x" * 32).decode(), delivery)
    await hooks.delete(f"/api/v1/webhooks/{webhook['id']}")


async def test_an_old_format_secret_verifies_both_ways(
    hooks: httpx.AsyncClient, receiver: Receiver, db: AsyncDatabase[dict[str, Any]]
) -> None:
    """Endpoints registered before Standard Webhooks hold `whsec_<64 hex digits>`: the
    library keys on the base64 decoding of those hex digits, and so do we."""
    path = _path()
    webhook = await register(hooks, receiver.url(path))
    old_secret = "whsec_" + secrets.token_hex(32)
    await db.webhooks.update_one({"_id": webhook["id"]}, {"$set": {"secret": old_secret}})

    done = await run_analysis(hooks)
    [delivery] = await received(receiver, path, done["id"])

    assert verify_signature(
        old_secret, delivery.headers["x-dossier-signature"], delivery.body, now=time.time()
    )
    assert verifies_standard(old_secret, delivery)
    await hooks.delete(f"/api/v1/webhooks/{webhook['id']}")


# PATCH -------------------------------------------------------------------------------------
async def test_patch_moves_the_endpoint_and_changes_its_events(
    hooks: httpx.AsyncClient,
    receiver: Receiver,
    db: AsyncDatabase[dict[str, Any]],
    manager: dict[str, str],
) -> None:
    before, after = _path(), _path()
    webhook = await register(hooks, receiver.url(before), [FAILED])

    patched = await hooks.patch(
        f"/api/v1/webhooks/{webhook['id']}",
        json={"url": receiver.url(after), "events": [COMPLETED, FAILED]},
    )

    assert patched.status_code == 200, patched.text
    body = patched.json()
    assert (body["id"], body["url"]) == (webhook["id"], receiver.url(after))
    assert body["events"] == [COMPLETED, FAILED]
    assert "secret" not in body
    assert (await hooks.get(f"/api/v1/webhooks/{webhook['id']}")).json() == body
    done = await run_analysis(hooks)
    [delivery] = await received(receiver, after, done["id"])
    assert verifies_standard(webhook["secret"], delivery), "the secret is unchanged"
    assert receiver.to(before) == []
    assert "webhook.updated" in await audit_actions(db, manager["partner_id"], webhook["id"])
    await hooks.delete(f"/api/v1/webhooks/{webhook['id']}")


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ({}, "validation-error"),
        ({"url": None}, "validation-error"),
        ({"events": []}, "validation-error"),
        ({"events": ["analysis.started"]}, "validation-error"),
        ({"enabled": "maybe"}, "validation-error"),
        ({"url": "https://10.0.0.5/hook"}, "webhook-url-refused"),
        ({"url": "http://example.com/hook"}, "webhook-url-refused"),
    ],
)
async def test_patch_refuses_bad_input_and_changes_nothing(
    hooks: httpx.AsyncClient, receiver: Receiver, body: dict[str, Any], problem: str
) -> None:
    webhook = await register(hooks, receiver.url(_path()))
    before = (await hooks.get(f"/api/v1/webhooks/{webhook['id']}")).json()

    response = await hooks.patch(f"/api/v1/webhooks/{webhook['id']}", json=body)

    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["type"].endswith(f"/{problem}")
    assert (await hooks.get(f"/api/v1/webhooks/{webhook['id']}")).json() == before
    await hooks.delete(f"/api/v1/webhooks/{webhook['id']}")


async def test_reenabling_a_disabled_endpoint_restarts_its_failure_count(
    hooks: httpx.AsyncClient, receiver: Receiver
) -> None:
    """The e2e stack disables after 4 consecutive failures. Turned back on, the endpoint gets
    4 fresh failures before it is disabled again (not 1: the earlier streak is forgotten)."""
    path = _path()
    receiver.fail_first(path, 1000)
    webhook = await register(hooks, receiver.url(path))
    first = await run_analysis(hooks)
    await disabled(hooks, webhook["id"])
    await asyncio.sleep(2.5)  # its queued retry comes, finds the endpoint off, is dropped

    reenabled = await hooks.patch(f"/api/v1/webhooks/{webhook['id']}", json={"enabled": True})

    assert reenabled.status_code == 200, reenabled.text
    state = reenabled.json()
    assert state["enabled"] is True
    assert (state["disabled_at"], state["disabled_reason"]) == (None, None)
    assert state["failures_reset_at"] is not None
    second = await run_analysis(hooks)
    again = await disabled(hooks, webhook["id"])
    assert "4 consecutive" in again["disabled_reason"]
    await asyncio.sleep(2.5)  # a retry would have come by now
    assert len(receiver.to(path, first["id"])) == 4
    assert len(receiver.to(path, second["id"])) == 4, "four new failures, not one"
    await hooks.delete(f"/api/v1/webhooks/{webhook['id']}")


async def test_disabling_by_patch_stops_deliveries(
    hooks: httpx.AsyncClient, receiver: Receiver
) -> None:
    path = _path()
    webhook = await register(hooks, receiver.url(path))

    off = await hooks.patch(f"/api/v1/webhooks/{webhook['id']}", json={"enabled": False})

    assert off.status_code == 200
    assert off.json()["enabled"] is False
    assert off.json()["disabled_reason"].startswith("disabled by you")
    done = await run_analysis(hooks)
    await asyncio.sleep(2.5)  # a delivery would have come by now
    assert receiver.to(path, done["id"]) == []
    await hooks.delete(f"/api/v1/webhooks/{webhook['id']}")


# rotate-secret -----------------------------------------------------------------------------
async def test_rotation_shows_a_new_secret_once_and_signs_with_both_for_a_day(
    hooks: httpx.AsyncClient,
    receiver: Receiver,
    db: AsyncDatabase[dict[str, Any]],
    manager: dict[str, str],
) -> None:
    path = _path()
    webhook = await register(hooks, receiver.url(path))
    old = webhook["secret"]

    rotated = await hooks.post(f"/api/v1/webhooks/{webhook['id']}/rotate-secret")

    assert rotated.status_code == 200, rotated.text
    new = rotated.json()["secret"]
    assert new != old
    assert len(base64.b64decode(new.removeprefix("whsec_"), validate=True)) == 32
    expires = rotated.json()["previous_secret_expires_at"]
    assert expires.endswith("Z")
    assert new not in (await hooks.get(f"/api/v1/webhooks/{webhook['id']}")).text
    assert new not in (await hooks.get("/api/v1/webhooks")).text
    done = await run_analysis(hooks)
    [delivery] = await received(receiver, path, done["id"])
    dossier_header = delivery.headers["x-dossier-signature"]
    assert dossier_header.count("v1=") == 2
    assert len(delivery.headers["webhook-signature"].split(" ")) == 2
    for secret in (new, old):
        assert verify_signature(secret, dossier_header, delivery.body, now=time.time())
        assert verifies_standard(secret, delivery)
    assert "webhook.secret_rotated" in await audit_actions(db, manager["partner_id"], webhook["id"])
    await hooks.delete(f"/api/v1/webhooks/{webhook['id']}")


async def test_after_the_overlap_only_the_new_secret_signs(
    hooks: httpx.AsyncClient, receiver: Receiver, db: AsyncDatabase[dict[str, Any]]
) -> None:
    path = _path()
    webhook = await register(hooks, receiver.url(path))
    new = (await hooks.post(f"/api/v1/webhooks/{webhook['id']}/rotate-secret")).json()["secret"]
    # 24 hours later, as far as the registration document can tell.
    stored = await db.webhooks.find_one({"_id": webhook["id"]})
    assert stored is not None
    await db.webhooks.update_one(
        {"_id": webhook["id"]},
        {"$set": {"previous_secret_expires_at": stored["secret_rotated_at"]}},
    )

    done = await run_analysis(hooks)
    [delivery] = await received(receiver, path, done["id"])

    assert delivery.headers["x-dossier-signature"].count("v1=") == 1
    assert verifies_standard(new, delivery)
    assert not verifies_standard(webhook["secret"], delivery)
    await hooks.delete(f"/api/v1/webhooks/{webhook['id']}")


# test event --------------------------------------------------------------------------------
async def test_test_event_is_delivered_signed_and_listed(
    hooks: httpx.AsyncClient,
    receiver: Receiver,
    db: AsyncDatabase[dict[str, Any]],
    manager: dict[str, str],
) -> None:
    path = _path()
    webhook = await register(hooks, receiver.url(path))

    queued = await hooks.post(f"/api/v1/webhooks/{webhook['id']}/test")

    assert queued.status_code == 202, queued.text
    answer = queued.json()
    assert answer["event_type"] == TEST_EVENT
    assert answer["webhook_id"] == webhook["id"]
    [delivery] = await wait_test_events(receiver, path)
    event = delivery.event
    assert event["id"] == answer["event_id"] == delivery.headers["webhook-id"]
    assert event["type"] == TEST_EVENT
    assert event["data"]["webhook_id"] == webhook["id"]
    assert delivery.headers["x-dossier-event-type"] == TEST_EVENT
    assert verifies_standard(webhook["secret"], delivery)
    assert verify_signature(
        webhook["secret"], delivery.headers["x-dossier-signature"], delivery.body, now=time.time()
    )

    async def listed() -> list[dict[str, Any]] | None:
        body = (await hooks.get(f"/api/v1/webhooks/{webhook['id']}/deliveries")).json()
        return body["data"] or None

    [attempt] = await eventually(listed, timeout=30)
    assert attempt["delivery_id"] == answer["delivery_id"]
    assert (attempt["event_type"], attempt["analysis_id"]) == (TEST_EVENT, None)
    assert (attempt["result"], attempt["status_code"]) == ("delivered", 200)
    assert "webhook.tested" in await audit_actions(db, manager["partner_id"], webhook["id"])
    await hooks.delete(f"/api/v1/webhooks/{webhook['id']}")


async def test_a_disabled_endpoint_gets_no_test_event(
    hooks: httpx.AsyncClient, receiver: Receiver
) -> None:
    path = _path()
    webhook = await register(hooks, receiver.url(path))
    await hooks.patch(f"/api/v1/webhooks/{webhook['id']}", json={"enabled": False})

    refused = await hooks.post(f"/api/v1/webhooks/{webhook['id']}/test")

    assert refused.status_code == 409
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["type"].endswith("/webhook-disabled")
    await asyncio.sleep(1.5)
    assert receiver.to(path) == []
    await hooks.delete(f"/api/v1/webhooks/{webhook['id']}")


# redelivery --------------------------------------------------------------------------------
async def test_redelivery_sends_the_same_event_again(
    hooks: httpx.AsyncClient,
    receiver: Receiver,
    db: AsyncDatabase[dict[str, Any]],
    manager: dict[str, str],
) -> None:
    path = _path()
    webhook = await register(hooks, receiver.url(path))
    done = await run_analysis(hooks)
    [first] = await received(receiver, path, done["id"])

    async def listed(count: int) -> list[dict[str, Any]] | None:
        body = (await hooks.get(f"/api/v1/webhooks/{webhook['id']}/deliveries")).json()
        delivered = [a for a in body["data"] if a["result"] == "delivered"]
        return body["data"] if len(delivered) >= count else None

    [attempt] = await eventually(lambda: listed(1), timeout=30)

    again = await hooks.post(
        f"/api/v1/webhooks/{webhook['id']}/deliveries/{attempt['delivery_id']}/redeliver"
    )

    assert again.status_code == 202, again.text
    assert again.json()["event_id"] == attempt["event_id"] == first.event["id"]
    _, second = await received(receiver, path, done["id"], count=2)
    assert second.headers["webhook-id"] == first.headers["webhook-id"], "receivers can dedupe"
    assert second.event["id"] == first.event["id"]
    assert verifies_standard(webhook["secret"], second)
    attempts = sorted(await eventually(lambda: listed(2), timeout=30), key=lambda a: a["attempt"])
    assert [a["attempt"] for a in attempts] == [1, 2]
    assert {a["delivery_id"] for a in attempts} == {attempt["delivery_id"]}
    assert "webhook.redelivered" in await audit_actions(db, manager["partner_id"], webhook["id"])
    await hooks.delete(f"/api/v1/webhooks/{webhook['id']}")


async def test_redelivery_of_an_unknown_delivery_is_not_found(
    hooks: httpx.AsyncClient, receiver: Receiver
) -> None:
    path, other_path = _path(), _path()
    webhook = await register(hooks, receiver.url(path))
    other = await register(hooks, receiver.url(other_path))
    await hooks.post(f"/api/v1/webhooks/{other['id']}/test")
    [other_delivery] = await wait_test_events(receiver, other_path)
    other_delivery_id = f"{other_delivery.event['id']}:{other['id']}"

    unknown = await hooks.post(
        f"/api/v1/webhooks/{webhook['id']}/deliveries/evt_{'0' * 32}:{webhook['id']}/redeliver"
    )
    elsewhere = await hooks.post(
        f"/api/v1/webhooks/{webhook['id']}/deliveries/{other_delivery_id}/redeliver"
    )

    for response in (unknown, elsewhere):
        assert response.status_code == 404, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
    await asyncio.sleep(1.5)
    assert receiver.to(path) == []
    assert len(receiver.to(other_path)) == 1, "nothing was redelivered"
    for hook in (webhook, other):
        await hooks.delete(f"/api/v1/webhooks/{hook['id']}")


# isolation and scope -----------------------------------------------------------------------
async def test_another_partners_and_the_other_environments_webhooks_are_not_found(
    hooks: httpx.AsyncClient,
    sandbox: httpx.AsyncClient,
    receiver: Receiver,
    gateway_url: str,
    other_partner: dict[str, str],
) -> None:
    path = _path()
    webhook = await register(hooks, receiver.url(path))
    await hooks.post(f"/api/v1/webhooks/{webhook['id']}/test")
    [delivery] = await wait_test_events(receiver, path)
    delivery_id = f"{delivery.event['id']}:{webhook['id']}"
    base = f"/api/v1/webhooks/{webhook['id']}"

    async with httpx.AsyncClient(
        base_url=gateway_url, headers={"X-API-Key": other_partner["api_key"]}, timeout=30
    ) as other:
        for client in (other, sandbox):
            answers = [
                await client.patch(base, json={"enabled": False}),
                await client.post(f"{base}/rotate-secret"),
                await client.post(f"{base}/test"),
                await client.post(f"{base}/deliveries/{delivery_id}/redeliver"),
            ]
            assert [a.status_code for a in answers] == [404] * 4
            assert all(a.json()["type"].endswith("/not-found") for a in answers)
            assert all(webhook["url"] not in a.text for a in answers)

    state = (await hooks.get(base)).json()
    assert state["enabled"] is True, "nothing changed"
    await asyncio.sleep(1.5)
    assert len(receiver.to(path)) == 1, "nothing was sent"
    await hooks.delete(base)


async def test_the_new_routes_need_the_webhooks_scope(
    hooks: httpx.AsyncClient, receiver: Receiver, gateway_url: str
) -> None:
    webhook = await register(hooks, receiver.url(_path()))
    minted = await hooks.post(
        "/api/v1/keys", json={"name": "read only", "scopes": ["analyses:read"]}
    )
    assert minted.status_code == 201, minted.text
    base = f"/api/v1/webhooks/{webhook['id']}"

    async with httpx.AsyncClient(
        base_url=gateway_url, headers={"X-API-Key": minted.json()["key"]}, timeout=30
    ) as limited:
        answers = [
            await limited.patch(base, json={"enabled": False}),
            await limited.post(f"{base}/rotate-secret"),
            await limited.post(f"{base}/test"),
            await limited.post(f"{base}/deliveries/evt_x:{webhook['id']}/redeliver"),
        ]

    assert [a.status_code for a in answers] == [403] * 4
    assert (await hooks.get(base)).json()["enabled"] is True
    await hooks.delete(base)
