"""`GET /api/v1/analyses`: a partner's analyses newest first, by its own ids, in pages that
stay put under inserts — isolated by partner and environment, and served by keyed reads
(`test_store_access.py` checks every command this module makes the gateway send)."""

import base64
import secrets
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio

from dossier.devstack.stack import LocalStack
from tests.e2e.conftest import create_partner
from tests.e2e.helpers import analysis_body, wait_terminal

LIST = "/api/v1/analyses"


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def own(stack: LocalStack) -> AsyncIterator[dict[str, httpx.AsyncClient]]:
    """A partner of this module alone (exact listings): its live and test keys, and
    another partner's key."""
    partner = create_partner(stack, f"List {secrets.token_hex(3)}", monthly_credits=1000)
    other = create_partner(stack, f"List other {secrets.token_hex(3)}")
    keys = {"live": partner["api_key"], "test": partner["test_api_key"], "other": other["api_key"]}
    clients = {
        name: httpx.AsyncClient(
            base_url=stack.config.gateway_url, headers={"X-API-Key": key}, timeout=60
        )
        for name, key in keys.items()
    }
    try:
        yield clients
    finally:
        for client in clients.values():
            await client.aclose()


async def create(client: httpx.AsyncClient, **ids: Any) -> str:
    created = await client.post("/api/v1/analyses", json=analysis_body(cv=None, **ids))
    assert created.status_code == 202, created.text
    analysis_id: str = created.json()["id"]
    return analysis_id


async def listed(client: httpx.AsyncClient, **params: Any) -> dict[str, Any]:
    response = await client.get(LIST, params=params)
    assert response.status_code == 200, response.text
    page: dict[str, Any] = response.json()
    return page


async def every_id(client: httpx.AsyncClient, **params: Any) -> list[str]:
    """All pages of a listing, in order."""
    ids: list[str] = []
    cursor = None
    for _ in range(1000):
        page = await listed(client, **params, **({"cursor": cursor} if cursor else {}))
        ids += [a["id"] for a in page["data"]]
        cursor = page["next_cursor"]
        if cursor is None:
            return ids
    pytest.fail("the listing never ended")


def without_link(analysis: dict[str, Any]) -> dict[str, Any]:
    """The resource minus the signed PDF link (its expiry moves with the minute)."""
    metadata = analysis.get("metadata")
    if metadata:
        analysis = {**analysis, "metadata": {**metadata, "pdf_download_url": "…"}}
    return analysis


async def test_lists_the_analyses_newest_first_as_get_serves_them(
    own: dict[str, httpx.AsyncClient],
) -> None:
    live = own["live"]
    created = [await create(live) for _ in range(3)]
    for analysis_id in created:
        await wait_terminal(live, analysis_id)

    page = await listed(live, limit=3)

    assert [a["id"] for a in page["data"]] == created[::-1]
    for item in page["data"]:
        single = (await live.get(f"{LIST}/{item['id']}")).json()
        assert without_link(item) == without_link(single)


async def test_pages_stay_put_while_analyses_are_created_between_them(
    own: dict[str, httpx.AsyncClient],
) -> None:
    live = own["live"]
    before = [await create(live) for _ in range(7)]
    everything_before = await every_id(live)
    assert everything_before[:7] == before[::-1]

    first = await listed(live, limit=3)
    inserted = [await create(live), await create(live)]
    second = await listed(live, limit=3, cursor=first["next_cursor"])
    inserted.append(await create(live))
    third = await listed(live, limit=3, cursor=second["next_cursor"])

    pages = [[a["id"] for a in p["data"]] for p in (first, second, third)]
    assert pages == [before[6:3:-1], before[3:0:-1], [before[0], *everything_before[7:9]]]
    walked = [i for p in pages for i in p]
    assert len(walked) == len(set(walked))  # no duplicates
    assert not set(inserted) & set(walked)  # inserts never shift a page
    rest = await every_id(live, cursor=third["next_cursor"]) if third["next_cursor"] else []
    assert walked + rest == everything_before  # no gaps
    newest = await listed(live, limit=3)
    assert [a["id"] for a in newest["data"]] == inserted[::-1]


async def test_client_and_candidate_find_that_pairs_analyses_newest_first(
    own: dict[str, httpx.AsyncClient],
) -> None:
    live = own["live"]
    pair = {
        "client_id": f"client_{secrets.token_hex(4)}",
        "candidate_id": f"cand_{secrets.token_hex(4)}",
    }
    first = await create(live, **pair)
    await live.delete(f"{LIST}/{first}")
    second = await create(live, **pair)  # the canceled one is replaced: generation 2
    await create(live, client_id=pair["client_id"])  # same client, another candidate
    await create(live, candidate_id=pair["candidate_id"])  # same candidate, another client

    found = await listed(live, **pair)

    assert [a["id"] for a in found["data"]] == [second, first]
    assert found["next_cursor"] is None
    assert {(a["client_id"], a["candidate_id"]) for a in found["data"]} == {
        (pair["client_id"], pair["candidate_id"])
    }
    paged = await listed(live, **pair, limit=1)
    assert [a["id"] for a in paged["data"]] == [second]
    rest = await listed(live, **pair, limit=1, cursor=paged["next_cursor"])
    assert [a["id"] for a in rest["data"]] == [first]


async def test_a_pair_nobody_analysed_is_an_empty_list(own: dict[str, httpx.AsyncClient]) -> None:
    found = await listed(own["live"], client_id="client_never", candidate_id="cand_never")

    assert found == {"data": [], "next_cursor": None}


async def test_status_keeps_only_analyses_in_that_status(
    own: dict[str, httpx.AsyncClient],
) -> None:
    live = own["live"]
    canceled = await create(live)
    await live.delete(f"{LIST}/{canceled}")
    done = await create(live)
    await wait_terminal(live, done)

    only_canceled = await every_id(live, status="canceled", limit=5)
    statuses = {a["status"] for a in (await listed(live, status="completed"))["data"]}

    assert canceled in only_canceled
    assert done not in only_canceled
    assert statuses == {"completed"}
    for analysis_id in only_canceled:
        assert (await live.get(f"{LIST}/{analysis_id}")).json()["status"] == "canceled"


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 0},
        {"limit": 101},
        {"limit": "x"},
        {"limit": -1},
        {"status": "done"},
        {"client_id": ""},
        {"cursor": ""},
    ],
    ids=repr,
)
async def test_bad_parameters_are_422_problems(
    own: dict[str, httpx.AsyncClient], params: dict[str, Any]
) -> None:
    response = await own["live"].get(LIST, params=params)

    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize("params", [{"client_id": "c1"}, {"candidate_id": "k1"}])
async def test_client_or_candidate_alone_is_an_unsupported_filter(
    own: dict[str, httpx.AsyncClient], params: dict[str, str]
) -> None:
    response = await own["live"].get(LIST, params=params)

    assert response.status_code == 400
    assert response.json()["type"].endswith("/unsupported-filter")


async def test_limit_bounds_are_1_and_100(own: dict[str, httpx.AsyncClient]) -> None:
    live = own["live"]
    await create(live)
    await create(live)

    assert len((await listed(live, limit=1))["data"]) == 1
    assert (await live.get(LIST, params={"limit": 100})).status_code == 200
    assert len((await listed(live))["data"]) <= 20


def tampered(cursor: str) -> str:
    payload, signature = cursor.split(".")
    raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    edited = raw.replace(b'"p":', b'"p":1')
    return base64.urlsafe_b64encode(edited).rstrip(b"=").decode() + "." + signature


async def test_a_garbled_or_edited_cursor_is_400(own: dict[str, httpx.AsyncClient]) -> None:
    live = own["live"]
    for _ in range(2):
        await create(live)
    cursor = (await listed(live, limit=1))["next_cursor"]
    assert cursor

    for bad in ("garbage", "x.y", tampered(cursor), cursor + "A"):
        response = await live.get(LIST, params={"cursor": bad, "limit": 1})
        assert response.status_code == 400, bad
        assert response.json()["type"].endswith("/invalid-cursor")


async def test_a_cursor_works_only_for_its_partner_environment_and_filters(
    own: dict[str, httpx.AsyncClient],
) -> None:
    live = own["live"]
    for _ in range(2):
        await create(live)
    cursor = (await listed(live, limit=1))["next_cursor"]

    for client, params in (
        (own["test"], {"cursor": cursor, "limit": 1}),
        (own["other"], {"cursor": cursor, "limit": 1}),
        (live, {"cursor": cursor, "limit": 1, "status": "completed"}),
    ):
        response = await client.get(LIST, params=params)
        assert response.status_code == 400, response.text
        assert response.json()["type"].endswith("/invalid-cursor")
    assert (await live.get(LIST, params={"cursor": cursor, "limit": 1})).status_code == 200


async def test_another_partners_client_and_candidate_ids_find_nothing(
    own: dict[str, httpx.AsyncClient],
) -> None:
    pair = {
        "client_id": f"client_{secrets.token_hex(4)}",
        "candidate_id": f"cand_{secrets.token_hex(4)}",
    }
    mine = await create(own["live"], **pair)

    theirs = await own["other"].get(LIST, params=pair)
    everything = await every_id(own["other"])

    assert theirs.json() == {"data": [], "next_cursor": None}
    assert mine not in everything
    assert mine not in theirs.text


async def test_a_test_key_lists_only_sandbox_analyses_and_a_live_key_only_live_ones(
    own: dict[str, httpx.AsyncClient],
) -> None:
    pair = {
        "client_id": f"client_{secrets.token_hex(4)}",
        "candidate_id": f"cand_{secrets.token_hex(4)}",
    }
    live_id = await create(own["live"], **pair)
    test_id = await create(own["test"], **pair)

    sandbox_all, live_all = await every_id(own["test"]), await every_id(own["live"])
    sandbox_pair = [a["id"] for a in (await listed(own["test"], **pair))["data"]]
    live_pair = [a["id"] for a in (await listed(own["live"], **pair))["data"]]

    assert test_id in sandbox_all
    assert live_id not in sandbox_all
    assert live_id in live_all
    assert test_id not in live_all
    assert sandbox_pair == [test_id]
    assert live_pair == [live_id]
