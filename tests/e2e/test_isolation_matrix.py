"""The isolation matrix: every route of the gateway × {own live key, own test key, another
partner's key}. A key sees only its own environment's data, and only its own partner's.

One partner holds live and sandbox data with distinct markers (client and candidate ids,
analysis ids, webhook URLs and ids, key names and ids); another partner holds its own.
For each route and each caller, the route is exercised on the caller's own data (so the
check is not vacuous) and on the others' (addressable resources answer 404), and no
response the caller gets ever contains a marker of another environment or partner.

The list of routes comes from the app's route table: a route added to the gateway without
an entry in `MATRIX` fails `test_every_route_of_the_gateway_is_in_the_matrix`.
"""

import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx
import pytest
import pytest_asyncio
from fastapi import routing
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from dossier.devstack.stack import LocalStack
from dossier.gateway.app import create_app
from dossier.gateway.settings import GatewaySettings
from dossier.runtime.collections import LEDGER
from tests.e2e.conftest import create_partner, eventually
from tests.e2e.helpers import analysis_body, gateway_environment, wait_terminal

Caller = Literal["live", "test", "other"]
CALLERS: tuple[Caller, ...] = ("live", "test", "other")


@dataclass
class Side:
    """One environment of one partner, and what it seeded (each string a marker)."""

    name: Caller
    key: str  # the raw v1 key of this side (all scopes)
    client_id: str = ""
    candidate_id: str = ""
    analysis_id: str = ""
    pdf_url: str = ""
    report_url: str = ""
    webhook_id: str = ""
    webhook_url: str = ""
    deleted_webhook_id: str = ""
    deleted_webhook_url: str = ""
    key_name: str = ""
    key_id: str = ""

    @property
    def markers(self) -> list[str]:
        return [
            self.client_id,
            self.candidate_id,
            self.analysis_id,
            self.webhook_id,
            self.webhook_url,
            self.deleted_webhook_id,
            self.deleted_webhook_url,
            self.key_name,
            self.key_id,
        ]


@dataclass
class World:
    gateway_url: str
    partner_id: str
    platform_id: str
    legacy_key: str
    other_legacy_key: str
    sides: dict[Caller, Side] = field(default_factory=dict)
    clients: dict[Caller, httpx.AsyncClient] = field(default_factory=dict)

    def foreign(self, caller: Caller) -> list[Side]:
        """The sides whose data `caller` must never see."""
        return [side for name, side in self.sides.items() if name != caller]

    def assert_clean(self, caller: Caller, response: httpx.Response) -> None:
        """No marker of another side, except what the caller itself sent (a 404 problem
        names the path it was asked for)."""
        text = response.text
        sent = str(response.request.url) + response.request.content.decode(errors="replace")
        leaked = [
            f"{side.name}: {marker}"
            for side in self.foreign(caller)
            for marker in side.markers
            if marker and marker in text and marker not in sent
        ]
        assert not leaked, f"{caller} key saw {leaked} in {response.request.url}"

    def assert_contains_own(self, caller: Caller, response: httpx.Response, *names: str) -> None:
        side = self.sides[caller]
        for name in names:
            value = getattr(side, name)
            assert value, f"{caller}: nothing seeded as {name}"
            assert value in response.text, f"{caller}: own {name} missing"


def marker(kind: str, env: str) -> str:
    return f"iso-{kind}-{env}-{secrets.token_hex(5)}"


async def seed(client: httpx.AsyncClient, side: Side, db: AsyncDatabase[dict[str, Any]]) -> None:
    """A completed analysis (and its reuse), a webhook, a deleted webhook and a minted key."""
    env = "test" if side.name == "test" else "live"
    side.client_id, side.candidate_id = marker("client", side.name), marker("cand", side.name)
    body = analysis_body(client_id=side.client_id, candidate_id=side.candidate_id, cv=None)
    created = await client.post("/api/v1/analyses", json=body)
    assert created.status_code == 202, created.text
    side.analysis_id = created.json()["id"]
    done = await wait_terminal(client, side.analysis_id)
    assert done["status"] == "completed", done
    side.pdf_url = done["metadata"]["pdf_download_url"]
    side.report_url = done["metadata"]["report_url"]
    reused = await client.post("/api/v1/analyses", json=body)
    assert reused.status_code == 200, reused.text
    for attr in ("webhook", "deleted_webhook"):
        url = f"http://127.0.0.1:9/{marker('hook', side.name)}"
        hook = await client.post(
            "/api/v1/webhooks", json={"url": url, "events": ["analysis.failed"]}
        )
        assert hook.status_code == 201, hook.text
        setattr(side, f"{attr}_id", hook.json()["id"])
        setattr(side, f"{attr}_url", url)
    assert (await client.delete(f"/api/v1/webhooks/{side.deleted_webhook_id}")).status_code == 204
    side.key_name = marker("key", side.name)
    minted = await client.post(
        "/api/v1/keys",
        json={"name": side.key_name, "scopes": ["analyses:read"], "environment": env},
    )
    assert minted.status_code == 201, minted.text
    side.key_id = minted.json()["id"]
    if env == "live":  # billed: the ledger row (live candidate and client ids) exists
        await eventually(lambda: db[LEDGER].find_one({"_id": side.analysis_id}))


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def world(stack: LocalStack) -> AsyncIterator[World]:
    owner = create_partner(stack, f"Isolation {secrets.token_hex(3)}", monthly_credits=1000)
    other = create_partner(stack, f"Isolation other {secrets.token_hex(3)}")
    world = World(
        gateway_url=stack.config.gateway_url,
        partner_id=owner["partner_id"],
        platform_id=owner["platform_id"],
        legacy_key=owner["partner_key"],
        other_legacy_key=other["partner_key"],
    )
    keys: dict[Caller, str] = {
        "live": owner["api_key"],
        "test": owner["test_api_key"],
        "other": other["api_key"],
    }
    for name, key in keys.items():
        world.sides[name] = Side(name=name, key=key)
        world.clients[name] = httpx.AsyncClient(
            base_url=stack.config.gateway_url, headers={"X-API-Key": key}, timeout=60
        )
    mongo: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(stack.config.mongo_url)
    try:
        for name in CALLERS:
            await seed(world.clients[name], world.sides[name], mongo[stack.config.mongo_database])
        yield world
    finally:
        await mongo.close()
        for client in world.clients.values():
            await client.aclose()


# --- the checks, one per route --------------------------------------------------------------

Check = Callable[[World, Caller], Awaitable[None]]


async def public_route(path: str, world: World, caller: Caller) -> None:
    """Documentation and probes: no partner data, whoever asks."""
    response = await world.clients[caller].get(path)
    assert response.status_code < 500, response.text
    world.assert_clean(caller, response)


def public(path: str) -> Check:
    async def check(world: World, caller: Caller) -> None:
        await public_route(path, world, caller)

    return check


async def create_analysis(world: World, caller: Caller) -> None:
    """Another side's client and candidate ids start a new analysis of the caller's own:
    reuse never crosses an environment or a partner. (The caller then erases it, so its own
    data holds no other side's ids for the other checks.)"""
    client = world.clients[caller]
    for side in world.foreign(caller):
        body = analysis_body(client_id=side.client_id, candidate_id=side.candidate_id, cv=None)
        created = await client.post("/api/v1/analyses", json=body)
        assert created.status_code == 202, created.text
        assert created.json()["id"] not in {s.analysis_id for s in world.sides.values()}
        erased = await client.delete(
            f"/api/v1/candidates/{side.candidate_id}", params={"client_id": side.client_id}
        )
        assert erased.status_code == 200, erased.text
        owner = world.clients[side.name]
        assert (await owner.get(f"/api/v1/analyses/{side.analysis_id}")).status_code == 200


async def get_analysis(world: World, caller: Caller) -> None:
    client = world.clients[caller]
    own = await client.get(f"/api/v1/analyses/{world.sides[caller].analysis_id}")
    assert own.status_code == 200
    world.assert_clean(caller, own)
    for side in world.foreign(caller):
        assert (await client.get(f"/api/v1/analyses/{side.analysis_id}")).status_code == 404


async def list_analyses(world: World, caller: Caller) -> None:
    """All of one's analyses lists the caller's own only; another side's client and
    candidate ids find nothing (not that side's analyses); its cursors are refused."""
    client, own = world.clients[caller], world.sides[caller]
    listing = await client.get("/api/v1/analyses", params={"limit": 100})
    assert listing.status_code == 200, listing.text
    world.assert_contains_own(caller, listing, "analysis_id")
    world.assert_clean(caller, listing)
    found = await client.get(
        "/api/v1/analyses", params={"client_id": own.client_id, "candidate_id": own.candidate_id}
    )
    assert [a["id"] for a in found.json()["data"]] == [own.analysis_id]
    for side in world.foreign(caller):
        pair = {"client_id": side.client_id, "candidate_id": side.candidate_id}
        response = await client.get("/api/v1/analyses", params=pair)
        assert response.json() == {"data": [], "next_cursor": None}, (caller, side.name)
        page = await world.clients[side.name].get("/api/v1/analyses", params={"limit": 1})
        cursor = page.json()["next_cursor"]
        if cursor:
            refused = await client.get("/api/v1/analyses", params={"limit": 1, "cursor": cursor})
            assert refused.status_code == 400, (caller, side.name)
            world.assert_clean(caller, refused)


async def analysis_events(world: World, caller: Caller) -> None:
    client = world.clients[caller]
    own_path = f"/api/v1/analyses/{world.sides[caller].analysis_id}/events"
    async with client.stream("GET", own_path) as stream:
        assert stream.status_code == 200
        async for chunk in stream.aiter_text():
            assert not [m for s in world.foreign(caller) for m in s.markers if m and m in chunk]
            break
    for side in world.foreign(caller):
        response = await client.get(f"/api/v1/analyses/{side.analysis_id}/events")
        assert response.status_code == 404
        world.assert_clean(caller, response)


async def cancel_analysis(world: World, caller: Caller) -> None:
    client = world.clients[caller]
    for side in world.foreign(caller):
        response = await client.delete(f"/api/v1/analyses/{side.analysis_id}")
        assert response.status_code == 404
        world.assert_clean(caller, response)
    own = await client.delete(f"/api/v1/analyses/{world.sides[caller].analysis_id}")
    assert own.status_code == 200  # completed: returned unchanged
    assert own.json()["status"] == "completed"


async def analysis_feedback(world: World, caller: Caller) -> None:
    """Feedback on another side's analysis is a 404 (whatever its signal ids); on the caller's
    own, a `confirmed` verdict is recorded (it changes nothing the other checks look at)."""
    client = world.clients[caller]
    own_id = world.sides[caller].analysis_id
    own = (await client.get(f"/api/v1/analyses/{own_id}")).json()
    signal_id = own["signals"][0]["id"] if own["signals"] else "sig_0000000000000000"
    body = {"signal_id": signal_id, "verdict": "confirmed"}
    for side in world.foreign(caller):
        response = await client.post(f"/api/v1/analyses/{side.analysis_id}/feedback", json=body)
        assert response.status_code == 404
        world.assert_clean(caller, response)
    response = await client.post(f"/api/v1/analyses/{own_id}/feedback", json=body)
    assert response.status_code == (202 if own["signals"] else 422), response.text
    world.assert_clean(caller, response)


async def legacy_create(world: World, caller: Caller) -> None:
    """Legacy routes take `X-Partner-Key` only: no v1 key (live or test) opens them, and a
    legacy key works for its own partner's platform only."""
    body = {
        "partner_platform_id": world.platform_id,
        "partner_company_id": world.sides["live"].client_id,
        "partner_candidate_id": world.sides["live"].candidate_id,
        "candidate": {"full_name": "John Doe", "current_company": "Example Company"},
    }
    path = "/api/partner/v1/background-check"
    refused = await world.clients[caller].post(path, json=body)
    assert refused.status_code == 401
    world.assert_clean(caller, refused)
    if caller == "other":
        mismatch = await world.clients[caller].post(
            path, json=body, headers={"X-Partner-Key": world.other_legacy_key}
        )
        assert mismatch.status_code == 403
        world.assert_clean(caller, mismatch)


async def legacy_get(world: World, caller: Caller) -> None:
    """A legacy key is live: the partner's reads its live reports only, another partner's
    none of them; v1 keys are refused."""
    client = world.clients[caller]
    path = "/api/partner/v1/background-check/{}"
    assert (await client.get(path.format(world.sides["live"].analysis_id))).status_code == 401
    legacy, seen_as = (
        (world.other_legacy_key, "other") if caller == "other" else (world.legacy_key, "live")
    )
    for side in world.sides.values():
        response = await client.get(
            path.format(side.analysis_id), headers={"X-Partner-Key": legacy}
        )
        expected = 200 if side.name == seen_as else 404
        assert response.status_code == expected, (caller, side.name, response.text)
        world.assert_clean(seen_as, response)


async def report_pdf(world: World, caller: Caller) -> None:
    """A signed link is the capability (no key involved): a signature opens its own report
    only, whoever sends it."""
    client = world.clients[caller]
    own = httpx.URL(world.sides[caller].pdf_url)
    assert (await client.get(own)).status_code == 200
    for side in world.foreign(caller):
        forged = own.copy_with(path=f"/api/v1/reports/{side.analysis_id}/pdf")
        response = await client.get(forged)
        assert response.status_code == 403
        world.assert_clean(caller, response)


async def report_page(world: World, caller: Caller) -> None:
    """The HTML page's signed link opens its own report only, whoever sends it."""
    client = world.clients[caller]
    own = httpx.URL(world.sides[caller].report_url)
    page = await client.get(own)
    assert page.status_code == 200
    world.assert_clean(caller, page)
    for side in world.foreign(caller):
        forged = own.copy_with(path=f"/api/v1/reports/{side.analysis_id}/html")
        response = await client.get(forged)
        assert response.status_code == 403
        world.assert_clean(caller, response)


async def analysis_report_pdf(world: World, caller: Caller) -> None:
    """The PDF with the key: the key's own environment and partner only."""
    client = world.clients[caller]
    own = await client.get(f"/api/v1/analyses/{world.sides[caller].analysis_id}/report.pdf")
    assert own.status_code == 200
    assert own.content.startswith(b"%PDF-")
    for side in world.foreign(caller):
        response = await client.get(f"/api/v1/analyses/{side.analysis_id}/report.pdf")
        assert response.status_code == 404
        world.assert_clean(caller, response)


async def create_key(world: World, caller: Caller) -> None:
    client = world.clients[caller]
    env = "test" if caller == "test" else "live"
    name = marker("minted", caller)
    minted = await client.post(
        "/api/v1/keys", json={"name": name, "scopes": ["usage:read"], "environment": env}
    )
    assert minted.status_code == 201, minted.text
    world.assert_clean(caller, minted)
    await client.delete(f"/api/v1/keys/{minted.json()['id']}")
    if caller == "test":
        live = await client.post(
            "/api/v1/keys", json={"name": name, "scopes": ["usage:read"], "environment": "live"}
        )
        assert live.status_code == 403


async def list_keys(world: World, caller: Caller) -> None:
    listing = await world.clients[caller].get("/api/v1/keys")
    assert listing.status_code == 200
    world.assert_contains_own(caller, listing, "key_name", "key_id")
    world.assert_clean(caller, listing)
    environments = {k["environment"] for k in listing.json()["data"]}
    assert environments == {"test" if caller == "test" else "live"}


async def revoke_key(world: World, caller: Caller) -> None:
    client = world.clients[caller]
    for side in world.foreign(caller):
        response = await client.delete(f"/api/v1/keys/{side.key_id}")
        assert response.status_code == 404, (caller, side.name, response.text)
        world.assert_clean(caller, response)


async def create_webhook(world: World, caller: Caller) -> None:
    client = world.clients[caller]
    url = f"http://127.0.0.1:9/{marker('fresh', caller)}"
    hook = await client.post("/api/v1/webhooks", json={"url": url, "events": ["analysis.failed"]})
    assert hook.status_code == 201, hook.text
    world.assert_clean(caller, hook)
    assert (await client.delete(f"/api/v1/webhooks/{hook.json()['id']}")).status_code == 204


async def list_webhooks(world: World, caller: Caller) -> None:
    listing = await world.clients[caller].get("/api/v1/webhooks")
    assert listing.status_code == 200
    world.assert_contains_own(caller, listing, "webhook_id", "webhook_url")
    world.assert_clean(caller, listing)


def webhook_route(
    suffix: str,
    method: str = "GET",
    json: dict[str, Any] | None = None,
    own_status: int | None = None,
) -> Check:
    async def check(world: World, caller: Caller) -> None:
        client = world.clients[caller]
        for side in world.foreign(caller):
            for webhook_id in (side.webhook_id, side.deleted_webhook_id):
                response = await client.request(
                    method, f"/api/v1/webhooks/{webhook_id}{suffix}", json=json
                )
                assert response.status_code == 404, (caller, side.name, suffix)
                world.assert_clean(caller, response)
        if method == "GET" or own_status is not None:
            own = await client.request(
                method, f"/api/v1/webhooks/{world.sides[caller].webhook_id}{suffix}", json=json
            )
            assert own.status_code == (own_status or 200), (caller, suffix, own.text)
            world.assert_clean(caller, own)

    return check


async def usage(world: World, caller: Caller) -> None:
    client_id = world.sides[caller].client_id

    async def counted() -> httpx.Response | None:
        response = await world.clients[caller].get("/api/v1/usage", params={"group_by": "client"})
        assert response.status_code == 200, response.text
        return response if client_id in response.text else None

    response = await eventually(counted)
    world.assert_clean(caller, response)
    report = response.json()
    assert report["environment"] == ("test" if caller == "test" else "live")
    if caller == "test":  # credits are live money: the sandbox never shows the standing
        assert report.get("credit_limit") is None
    if caller == "live":
        assert report["credit_limit"]["monthly_credits"] == 1000


async def audit_export(world: World, caller: Caller) -> None:
    response = await world.clients[caller].get("/api/v1/audit/export")
    assert response.status_code == 200
    world.assert_contains_own(caller, response, "analysis_id", "key_id", "webhook_id")
    world.assert_clean(caller, response)


async def audit_verify(world: World, caller: Caller) -> None:
    client = world.clients[caller]
    check = (await client.get("/api/v1/audit/verify")).json()
    rows = (await client.get("/api/v1/audit/export")).text.strip().splitlines()[1:]
    assert check["valid"] is True
    assert check["entries"] == len(rows)  # the chain verified is the one exported
    assert check["head_hash"] in rows[-1]
    if caller != "other":
        sibling = "live" if caller == "test" else "test"
        other_check = (await world.clients[sibling].get("/api/v1/audit/verify")).json()
        assert other_check["head_hash"] != check["head_hash"]


async def erase_candidate(world: World, caller: Caller) -> None:
    client = world.clients[caller]
    for side in world.foreign(caller):
        response = await client.delete(
            f"/api/v1/candidates/{side.candidate_id}", params={"client_id": side.client_id}
        )
        assert response.status_code == 404, (caller, side.name)
        world.assert_clean(caller, response)
        owner = world.clients[side.name]
        assert (await owner.get(f"/api/v1/analyses/{side.analysis_id}")).status_code == 200


async def export(world: World, caller: Caller) -> None:
    response = await world.clients[caller].get("/api/v1/export")
    assert response.status_code == 200
    world.assert_contains_own(
        caller,
        response,
        "analysis_id",
        "client_id",
        "key_name",
        "webhook_url",
        "deleted_webhook_id",
    )
    world.assert_clean(caller, response)
    body = response.json()
    env = "test" if caller == "test" else "live"
    assert {k["environment"] for k in body["keys"]} == {env}
    if caller == "test":
        assert body["usage"] == []  # the sandbox is never billed
    else:
        assert world.sides[caller].analysis_id in {row["id"] for row in body["usage"]}


async def me(world: World, caller: Caller) -> None:
    """`/me` describes the calling key only: its partner, its environment, its credits."""
    response = await world.clients[caller].get("/api/v1/me")
    assert response.status_code == 200, response.text
    world.assert_clean(caller, response)
    body = response.json()
    assert (body["partner_id"] == world.partner_id) is (caller != "other")
    assert body["environment"] == ("test" if caller == "test" else "live")
    assert body["key"]["prefix"] == "_".join(world.sides[caller].key.split("_")[:3])
    assert body["credits"]["billed"] is (caller != "test")


async def widget_session(world: World, caller: Caller) -> None:
    """A widget token is its key narrowed to one pair: it reads the caller's own analysis of
    that pair, and another side's analysis (whatever pair it names) is a 404."""
    client, own = world.clients[caller], world.sides[caller]
    tokens: dict[str, str] = {}
    for side in world.sides.values():  # a token for each side's pair, minted by the caller
        minted = await client.post(
            "/api/v1/widget-sessions",
            json={"client_id": side.client_id, "candidate_id": side.candidate_id},
        )
        assert minted.status_code == 201, minted.text
        world.assert_clean(caller, minted)
        tokens[side.name] = minted.json()["token"]

    def as_widget(name: Caller) -> dict[str, str]:
        return {"Authorization": f"Bearer {tokens[name]}", "X-API-Key": ""}

    mine = await client.get(f"/api/v1/analyses/{own.analysis_id}", headers=as_widget(caller))
    assert mine.status_code == 200, mine.text
    for side in world.foreign(caller):
        for name in (caller, side.name):
            response = await client.get(
                f"/api/v1/analyses/{side.analysis_id}", headers=as_widget(name)
            )
            assert response.status_code == 404, (caller, side.name, name)
            world.assert_clean(caller, response)
        listed = await client.get(
            "/api/v1/analyses",
            params={"client_id": side.client_id, "candidate_id": side.candidate_id},
            headers=as_widget(side.name),
        )
        assert side.analysis_id not in listed.text
        world.assert_clean(caller, listed)


async def demo_session(world: World, caller: Caller) -> None:
    """The demo ATS's backend (development only) answers for its own sample candidates only."""
    response = await world.clients[caller].post(
        "/demo/ats/session", json={"client_id": "demo-client", "candidate_id": "not-in-demo"}
    )
    assert response.status_code == 404, response.text
    world.assert_clean(caller, response)


MATRIX: dict[tuple[str, str], Check] = {
    ("GET", "/openapi.json"): public("/openapi.json"),
    ("GET", "/docs"): public("/docs"),
    ("GET", "/redoc"): public("/redoc"),
    ("GET", "/docs/assets/{name}"): public("/docs/assets/portal.css"),
    ("GET", "/docs/{page}"): public("/docs/sandbox"),
    ("GET", "/asyncapi"): public("/asyncapi"),
    ("GET", "/healthz"): public("/healthz"),
    ("GET", "/readyz"): public("/readyz"),
    ("GET", "/metrics"): public("/metrics"),
    ("GET", "/llms.txt"): public("/llms.txt"),
    ("GET", "/llms-full.txt"): public("/llms-full.txt"),
    ("GET", "/docs/{page}.md"): public("/docs/sandbox.md"),
    ("GET", "/asyncapi.json"): public("/asyncapi.json"),
    ("POST", "/api/v1/analyses"): create_analysis,
    ("GET", "/api/v1/analyses"): list_analyses,
    ("GET", "/api/v1/analyses/{analysis_id}"): get_analysis,
    ("GET", "/api/v1/analyses/{analysis_id}/events"): analysis_events,
    ("DELETE", "/api/v1/analyses/{analysis_id}"): cancel_analysis,
    ("POST", "/api/v1/analyses/{analysis_id}/feedback"): analysis_feedback,
    ("POST", "/api/partner/v1/background-check"): legacy_create,
    ("GET", "/api/partner/v1/background-check/{report_id}"): legacy_get,
    ("GET", "/api/v1/reports/{report_id}/pdf"): report_pdf,
    ("GET", "/api/v1/reports/{report_id}/html"): report_page,
    ("GET", "/api/v1/analyses/{analysis_id}/report.pdf"): analysis_report_pdf,
    ("POST", "/api/v1/keys"): create_key,
    ("GET", "/api/v1/keys"): list_keys,
    ("DELETE", "/api/v1/keys/{key_ref}"): revoke_key,
    ("POST", "/api/v1/webhooks"): create_webhook,
    ("GET", "/api/v1/webhooks"): list_webhooks,
    ("GET", "/api/v1/webhooks/{webhook_id}"): webhook_route(""),
    ("DELETE", "/api/v1/webhooks/{webhook_id}"): webhook_route("", "DELETE"),
    ("GET", "/api/v1/webhooks/{webhook_id}/deliveries"): webhook_route("/deliveries"),
    ("PATCH", "/api/v1/webhooks/{webhook_id}"): webhook_route(
        "", "PATCH", json={"enabled": True}, own_status=200
    ),
    ("POST", "/api/v1/webhooks/{webhook_id}/rotate-secret"): webhook_route(
        "/rotate-secret", "POST", own_status=200
    ),
    ("POST", "/api/v1/webhooks/{webhook_id}/test"): webhook_route("/test", "POST"),
    ("POST", "/api/v1/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver"): webhook_route(
        "/deliveries/evt_0123456789abcdef/redeliver", "POST"
    ),
    ("GET", "/api/v1/usage"): usage,
    ("GET", "/api/v1/audit/export"): audit_export,
    ("GET", "/api/v1/audit/verify"): audit_verify,
    ("DELETE", "/api/v1/candidates/{candidate_id}"): erase_candidate,
    ("GET", "/api/v1/export"): export,
    ("GET", "/api/v1/me"): me,
    ("POST", "/api/v1/widget-sessions"): widget_session,
    ("GET", "/widget/dossier-report-button.js"): public("/widget/dossier-report-button.js"),
    ("GET", "/demo/ats"): public("/demo/ats"),
    ("POST", "/demo/ats/session"): demo_session,
}


def gateway_routes(stack: LocalStack) -> set[tuple[str, str]]:
    with gateway_environment(stack):
        app = create_app(GatewaySettings())
    return {
        (method, context.path)
        for context in routing.iter_route_contexts(app.routes)
        for method in context.methods or ()
        if method != "HEAD"
    }


def test_every_route_of_the_gateway_is_in_the_matrix(stack: LocalStack) -> None:
    routes = gateway_routes(stack)

    assert routes - MATRIX.keys() == set(), "a route without an isolation check"
    assert MATRIX.keys() - routes == set(), "a check for a route that no longer exists"


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("route", sorted(MATRIX), ids=lambda r: f"{r[0]} {r[1]}")
async def test_a_key_sees_only_its_own_environment_and_partner(
    world: World, route: tuple[str, str], caller: Caller
) -> None:
    await MATRIX[route](world, caller)


@pytest.mark.parametrize(
    "params",
    [
        {"from": "9999-12-31", "to": "9999-12-31"},
        {"from": "0001-01-01"},
        {"from": "0001-01-01", "to": "0001-01-01"},
        {"to": "9999-12-31"},
        {"from": "1999-12-31", "to": "2000-01-01"},
    ],
    ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()),
)
async def test_usage_dates_out_of_range_are_a_422_problem(
    world: World, params: dict[str, str]
) -> None:
    response = await world.clients["live"].get("/api/v1/usage", params=params)

    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["errors"][0]["field"] in {"from", "to"}
