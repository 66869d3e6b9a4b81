"""Create → poll (stage advances, signals grow) → completed report → PDF; and the wiring."""

import asyncio
import secrets
import time
from typing import Any

import httpx

from tests.e2e.conftest import Providers, eventually
from tests.e2e.helpers import TERMINAL, analysis_body, wait_terminal


async def test_post_returns_202_with_location_and_retry_after(api: httpx.AsyncClient) -> None:
    body = analysis_body()

    response = await api.post("/api/v1/analyses", json=body)

    assert response.status_code == 202
    created = response.json()
    # Seed 001's fields, plus `reused` (issue 12: whether this request started the analysis).
    assert set(created) == {"id", "status", "candidate_id", "created_at", "reused"}
    assert created["reused"] is False
    assert created["status"] == "queued"
    assert created["candidate_id"] == body["candidate"]["id"]
    assert created["created_at"].endswith("Z")
    assert response.headers["Location"] == f"/api/v1/analyses/{created['id']}"
    assert response.headers["Retry-After"] == "10"


async def test_analysis_progresses_through_every_stage_to_a_report_with_pdf(
    api: httpx.AsyncClient, providers: Providers
) -> None:
    # Slow enough to watch stages arrive, and each source answering at its own time so
    # its signals reach the read model on their own (one write per source result).
    providers.control(
        delay=0.4, delays={"searxng": 1.0, "yente": 2.0, "companies-house": 3.0, "orcid": 4.0}
    )
    # A role no other test uses: the sources' answers are not in the cache yet, so each
    # source really answers (at its own pace) instead of all at once from the cache.
    role = f"Staff Engineer {secrets.token_hex(3)}"
    try:
        created = (await api.post("/api/v1/analyses", json=analysis_body(role=role))).json()
        stages: list[str | None] = []
        signal_counts: list[int] = []
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            response = await api.get(f"/api/v1/analyses/{created['id']}")
            body: dict[str, Any] = response.json()
            if not stages or stages[-1] != body["stage"]:
                stages.append(body["stage"])
            signal_counts.append(len(body["signals"]))
            if body["status"] in TERMINAL:
                break
            assert response.headers["Retry-After"] == "10"
            await asyncio.sleep(0.05)
    finally:
        providers.control(delay=0, delays={})

    assert body["status"] == "completed", body.get("error")
    assert "Retry-After" not in response.headers
    seen = [s for s in stages if s is not None]
    assert seen[-1] == "done"
    assert {"enrichment", "report"} & set(seen), stages
    assert seen == sorted(seen, key=["identity", "enrichment", "report", "done"].index)
    assert signal_counts == sorted(signal_counts), "signals only ever grow"
    assert any(0 < n < signal_counts[-1] for n in signal_counts), "signals arrived source by source"
    assert body["quick_signal"]["level"] in {"Green", "Orange", "Red"}
    report = body["report"]
    assert report["candidateName"] == "John Doe"
    assert report["recommendation"]["decision"] in {"GO", "GO with validation", "NO GO"}
    assert body["metadata"]["report_id"] == created["id"]
    assert body["metadata"]["language"] == "en"
    assert body["billing"] == {"charged": True, "credits_used": 1}

    pdf = httpx.get(body["metadata"]["pdf_download_url"], timeout=10)
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


async def test_each_service_process_handles_the_analysis_and_billing_records_it(
    api: httpx.AsyncClient, db: Any
) -> None:
    created = (await api.post("/api/v1/analyses", json=analysis_body())).json()

    done = await wait_terminal(api, created["id"])

    stages = {d["stage"] async for d in db.analysis_stages.find({"analysis_id": created["id"]})}
    assert stages == {"identity", "enrichment", "report"}
    assert done["status"] == "completed"
    entry = await eventually(lambda: db.billing_ledger.find_one({"_id": created["id"]}))
    assert entry["credits"] == 1


async def test_tampered_or_expired_pdf_links_are_refused(api: httpx.AsyncClient) -> None:
    created = (await api.post("/api/v1/analyses", json=analysis_body())).json()
    done = await wait_terminal(api, created["id"])
    url = httpx.URL(done["metadata"]["pdf_download_url"])
    expires = int(url.params["expires"])

    tampered = httpx.get(url.copy_set_param("sig", url.params["sig"][:-2] + "xx"), timeout=10)
    stretched = httpx.get(url.copy_set_param("expires", str(expires + 3600)), timeout=10)
    expired = httpx.get(url.copy_set_param("expires", "1000"), timeout=10)

    for refused in (tampered, stretched, expired):
        assert refused.status_code == 403
        assert refused.headers["content-type"] == "application/problem+json"
