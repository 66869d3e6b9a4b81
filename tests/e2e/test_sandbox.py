"""The sandbox over HTTP: test keys run the same API and pipeline on fixtures, never billed,
never calling a provider, isolated from live data, the same report for the same input."""

import secrets
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest_asyncio
from pymongo.asynchronous.database import AsyncDatabase

from dossier.runtime.collections import LEDGER
from tests.e2e.conftest import Providers, eventually
from tests.e2e.helpers import SAMPLE_CV, analysis_body, wait_terminal


@pytest_asyncio.fixture(loop_scope="session")
async def sandbox(gateway_url: str, partner: dict[str, str]) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        base_url=gateway_url, headers={"X-API-Key": partner["test_api_key"]}, timeout=30
    ) as client:
        yield client


def unique_last_name(magic: str = "") -> str:
    """A last name no other test uses (letters only, so it survives every query encoding)."""
    letters = "".join(chr(ord("a") + int(c, 16) % 26) for c in secrets.token_hex(5))
    return f"{magic}Zq{letters}"


def body_for(last_name: str, **extra: Any) -> dict[str, Any]:
    extra.setdefault("cv", SAMPLE_CV.replace("John Doe", f"John {last_name}"))
    return analysis_body(last_name=last_name, **extra)


async def run(client: httpx.AsyncClient, body: dict[str, Any]) -> dict[str, Any]:
    created = await client.post("/api/v1/analyses", json=body)
    assert created.status_code == 202, created.text
    return await wait_terminal(client, created.json()["id"])


async def provider_requests(providers: Providers, text: str) -> list[dict[str, str]]:
    async with httpx.AsyncClient(base_url=providers.url, timeout=5) as client:
        found: list[dict[str, str]] = (
            await client.get("/_requests", params={"contains": text})
        ).json()["requests"]
    return found


async def test_a_sandbox_analysis_completes_with_a_report(sandbox: httpx.AsyncClient) -> None:
    done = await run(sandbox, body_for(unique_last_name()))

    assert done["status"] == "completed"
    assert done["quick_signal"]["level"] == "Green"
    assert done["report"]["recommendation"]["decision"] == "GO"
    assert done["metadata"]["writer"] == "deterministic"


async def test_a_sandbox_analysis_is_never_billed(
    sandbox: httpx.AsyncClient, api: httpx.AsyncClient, db: AsyncDatabase[dict[str, Any]]
) -> None:
    test_run = await run(sandbox, body_for(unique_last_name()))
    live_run = await run(api, analysis_body())
    await eventually(lambda: db[LEDGER].find_one({"_id": live_run["id"]}))

    assert test_run["billing"] == {"charged": False, "credits_used": 0}
    assert await db[LEDGER].find_one({"_id": test_run["id"]}) is None


async def test_sandbox_and_live_analyses_are_invisible_to_each_other(
    sandbox: httpx.AsyncClient, api: httpx.AsyncClient
) -> None:
    test_id = (await sandbox.post("/api/v1/analyses", json=analysis_body())).json()["id"]
    live_id = (await api.post("/api/v1/analyses", json=analysis_body())).json()["id"]

    assert (await api.get(f"/api/v1/analyses/{test_id}")).status_code == 404
    assert (await sandbox.get(f"/api/v1/analyses/{live_id}")).status_code == 404
    assert (await api.delete(f"/api/v1/analyses/{test_id}")).status_code == 404
    assert (await sandbox.delete(f"/api/v1/analyses/{live_id}")).status_code == 404


async def test_the_same_sandbox_candidate_gets_the_same_report(
    sandbox: httpx.AsyncClient,
) -> None:
    last_name = unique_last_name()
    candidate_id = f"cand_{secrets.token_hex(4)}"
    first = await run(sandbox, body_for(last_name, candidate_id=candidate_id))
    second = await run(sandbox, body_for(last_name, candidate_id=candidate_id))

    assert first["id"] != second["id"]
    assert first["report"]["recommendation"] == second["report"]["recommendation"]
    assert first["report"]["summary"] == second["report"]["summary"]
    assert first["report"] == second["report"]
    assert first["quick_signal"] == second["quick_signal"]
    assert sorted(s["statement"] for s in first["signals"]) == sorted(
        s["statement"] for s in second["signals"]
    )


async def test_a_sanctioned_magic_name_yields_a_sanctions_risk(
    sandbox: httpx.AsyncClient,
) -> None:
    done = await run(sandbox, body_for(unique_last_name("Sanctioned")))

    sanctions = [s for s in done["signals"] if s["sourceType"] == "sanctions"]
    assert any(s["stance"] == "contradicts" and s["reliability"] == "High" for s in sanctions)
    assert done["report"]["recommendation"]["decision"] == "NO GO"
    assert done["report"]["risks"]


async def test_a_homonym_magic_name_puts_identity_in_doubt(sandbox: httpx.AsyncClient) -> None:
    done = await run(sandbox, body_for(unique_last_name("Homonym")))

    assert done["quick_signal"]["level"] == "Orange"


async def test_an_unavailable_magic_name_finds_every_source_unavailable(
    sandbox: httpx.AsyncClient,
) -> None:
    done = await run(sandbox, body_for(unique_last_name("Unavailable")))

    states = {s["name"]: s["state"] for s in done["report"]["sources"]}
    assert set(states) == {"github", "web", "sanctions", "companies_house", "orcid"}
    assert set(states.values()) == {"unavailable"}


async def test_a_sandbox_analysis_never_calls_a_provider(
    sandbox: httpx.AsyncClient, providers: Providers
) -> None:
    last_name = unique_last_name()

    done = await run(sandbox, body_for(last_name))

    assert done["status"] == "completed"
    assert await provider_requests(providers, last_name) == []


async def test_a_live_analysis_does_call_the_providers(
    api: httpx.AsyncClient, providers: Providers
) -> None:
    """The control for the test above: the request log does see live lookups."""
    last_name = unique_last_name()

    await run(api, body_for(last_name))

    assert await provider_requests(providers, last_name)


async def test_a_sandbox_report_has_at_least_three_interview_questions(
    sandbox: httpx.AsyncClient,
) -> None:
    done = await run(sandbox, body_for(unique_last_name()))

    questions = done["report"]["interviewQuestions"]
    assert len(questions) >= 3, questions
    assert len(set(questions)) == len(questions)
