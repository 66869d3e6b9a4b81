"""What a poll of a finished analysis costs the store, and who may see the rendering kept for it.

A finished analysis is rendered once per gateway process (and minute, for its PDF link);
each later poll reads only the analysis's small accepted document, to learn that it still
exists. The counts come from the gateway's own `dossier_store_commands_total`.
"""

from collections import Counter
from typing import Any

import httpx
from prometheus_client.parser import text_string_to_metric_families

from dossier.contracts.enums import Environment
from dossier.devstack.stack import LocalStack
from tests.e2e.helpers import analysis_body, wait_terminal
from tests.e2e.test_admission import issue_key
from tests.e2e.test_keys import mint

POLLS = 5


async def gateway_store_commands(stack: LocalStack) -> Counter[tuple[str, str]]:
    async with httpx.AsyncClient(timeout=10) as http:
        text = (await http.get(f"{stack.config.gateway_url}/metrics")).text
    return Counter(
        {
            (sample.labels["command"], sample.labels["collection"]): int(sample.value)
            for family in text_string_to_metric_families(text)
            for sample in family.samples
            if sample.name == "dossier_store_commands_total"
            and sample.labels["service"] == "gateway"
        }
    )


async def test_polls_of_a_finished_analysis_read_one_small_document_each(
    stack: LocalStack, api: httpx.AsyncClient
) -> None:
    analysis_id = (await api.post("/api/v1/analyses", json=analysis_body())).json()["id"]
    await wait_terminal(api, analysis_id)
    first = await api.get(f"/api/v1/analyses/{analysis_id}")  # rendered (again) and kept

    before = await gateway_store_commands(stack)
    polls = [await api.get(f"/api/v1/analyses/{analysis_id}") for _ in range(POLLS)]
    after = await gateway_store_commands(stack)

    assert [p.status_code for p in polls] == [200] * POLLS
    assert {p.content for p in polls} == {first.content}
    assert {p.headers["ETag"] for p in polls} == {first.headers["ETag"]}
    spent = after - before
    assert spent[("find", "analyses")] == POLLS
    assert spent[("find", "analysis_outcomes")] == 0
    assert spent[("find", "analysis_stages")] == 0


async def test_a_kept_rendering_is_served_to_its_owner_only(
    stack: LocalStack,
    api: httpx.AsyncClient,
    db: Any,
    gateway_url: str,
    partner: dict[str, str],
    other_partner: dict[str, str],
) -> None:
    analysis_id = (await api.post("/api/v1/analyses", json=analysis_body())).json()["id"]
    await wait_terminal(api, analysis_id)
    assert (await api.get(f"/api/v1/analyses/{analysis_id}")).status_code == 200
    test_key = await issue_key(db, partner, Environment.TEST)

    async with httpx.AsyncClient(base_url=gateway_url, timeout=30) as http:
        foreign = await http.get(
            f"/api/v1/analyses/{analysis_id}", headers={"X-API-Key": other_partner["api_key"]}
        )
        sandbox = await http.get(f"/api/v1/analyses/{analysis_id}", headers={"X-API-Key": test_key})

    assert foreign.status_code == 404
    assert sandbox.status_code == 404
    assert foreign.json()["type"].endswith("/not-found")


async def test_a_kept_rendering_answers_every_rule_of_the_operation(
    api: httpx.AsyncClient, gateway_url: str
) -> None:
    """Kept renderings skip FastAPI's routing: keys, scopes, 304 and metrics must not."""
    analysis_id = (await api.post("/api/v1/analyses", json=analysis_body())).json()["id"]
    await wait_terminal(api, analysis_id)
    served = await api.get(f"/api/v1/analyses/{analysis_id}")
    writer = (await mint(api, ["analyses:write"])).json()["key"]
    path = f"/api/v1/analyses/{analysis_id}"

    async with httpx.AsyncClient(base_url=gateway_url, timeout=30) as http:
        before = await http_requests(http, path_template="/api/v1/analyses/{analysis_id}")
        keyless = await http.get(path)
        wrong_key = await http.get(path, headers={"X-API-Key": "ats_live_000000000000_nope"})
        unscoped = await http.get(path, headers={"X-API-Key": writer})
        unchanged = await api.get(path, headers={"If-None-Match": served.headers["ETag"]})
        after = await http_requests(http, path_template="/api/v1/analyses/{analysis_id}")

    assert keyless.status_code == 401
    assert wrong_key.status_code == 401
    assert keyless.headers["content-type"].startswith("application/problem+json")
    assert unscoped.status_code == 403
    assert unscoped.json()["type"].endswith("/insufficient-scope")
    assert unchanged.status_code == 304
    assert unchanged.headers["ETag"] == served.headers["ETag"]
    assert all(h in unchanged.headers for h in ("X-RateLimit-Remaining", "X-Request-ID"))
    assert after - before == 4, "each answer is counted under the operation's route"


async def http_requests(http: httpx.AsyncClient, *, path_template: str) -> int:
    text = (await http.get("/metrics")).text
    return int(
        sum(
            sample.value
            for family in text_string_to_metric_families(text)
            for sample in family.samples
            if sample.name == "dossier_http_requests_total"
            and sample.labels["route"] == path_template
            and sample.labels["method"] == "GET"
        )
    )
