"""The report button on the demo ATS page, in a real browser, against the running stack.

The recruiter's path from seeds 000/001: "Run candidate intelligence report" -> "Running…"
with the stage advancing -> the report opens by itself -> "✕ Close report" -> "View
Intelligence report", which reopens the cached report (no new analysis). The page's widget
token cannot read another candidate. Screenshots of each state go to docs/screenshots/.
"""

import asyncio
import json
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import Page, Route, expect

from dossier.devstack.stack import DEMO_PARTNER_FILE, LocalStack
from tests.e2e.conftest import create_partner

Shoot = Callable[[Page, str], Awaitable[Path]]
DEMO_CLIENT = "demo-client"
ADA, GRACE, ELSEWHERE = "demo-cand-ada", "demo-cand-grace", "demo-cand-elsewhere"

RECORD_STATES = """
window.__states = [];
document.addEventListener("dossier-report-button:state", (e) => {
  window.__states.push({ id: e.target.getAttribute("candidate-id"), ...e.detail });
});
"""


@pytest.fixture(scope="module")
def demo_partner(stack: LocalStack) -> dict[str, str]:
    """What `make up` writes once the gateway is up: the demo partner and its keys."""
    path = stack.config.state_dir / DEMO_PARTNER_FILE
    if not path.exists():
        path.write_text(json.dumps(create_partner(stack, "Demo Partner")))
        os.chmod(path, 0o600)
    partner: dict[str, str] = json.loads(path.read_text())
    return partner


async def pair_analyses(gateway_url: str, key: str, candidate_id: str) -> list[dict[str, Any]]:
    async with httpx.AsyncClient(base_url=gateway_url, headers={"X-API-Key": key}) as api:
        found = await api.get(
            "/api/v1/analyses", params={"client_id": DEMO_CLIENT, "candidate_id": candidate_id}
        )
    assert found.status_code == 200, found.text
    data: list[dict[str, Any]] = found.json()["data"]
    return data


async def test_run_follow_open_close_and_reopen_the_report(
    page: Page, gateway_url: str, demo_partner: dict[str, str], screenshot: Shoot
) -> None:
    sandbox_key = demo_partner["test_api_key"]
    assert await pair_analyses(gateway_url, sandbox_key, ADA) == []
    # Hold the event stream until "Running…" is on screen and photographed: a sandbox
    # analysis can finish before a screenshot would otherwise be taken.
    release = asyncio.Event()

    async def hold(route: Route) -> None:
        await release.wait()
        await route.continue_()

    await page.route("**/api/v1/analyses/*/events", hold)
    await page.add_init_script(RECORD_STATES)
    await page.goto(f"{gateway_url}/demo/ats")
    ada = page.locator(f'dossier-report-button[candidate-id="{ADA}"]')
    button, progress = ada.locator("#main"), ada.locator("#progress")

    await expect(button).to_have_text("Run candidate intelligence report")
    await screenshot(page, "button-idle")
    await button.click()
    await expect(button).to_have_text("Running…")
    await expect(progress).to_contain_text("signals")
    await screenshot(page, "button-running")
    release.set()

    dialog = ada.locator("dialog")
    await expect(dialog).to_have_attribute("open", "")  # opened by itself
    await expect(button).to_have_text("✕ Close report")
    frame = ada.locator("iframe")
    report = page.frame_locator(f'dossier-report-button[candidate-id="{ADA}"] iframe')
    await expect(report.locator("body")).not_to_be_empty()
    await expect(ada.locator("#close")).to_be_focused()
    await screenshot(page, "button-report-open")
    states: list[dict[str, Any]] = await page.evaluate("window.__states")
    ada_states = [s for s in states if s["id"] == ADA]
    stages = [s["stage"] for s in ada_states if s["state"] == "running"]
    assert len(dict.fromkeys(stages)) >= 3, stages  # queued, then the pipeline's stages
    assert stages.index("queued") < stages.index("report"), stages
    analysis_id = ada_states[-1]["analysisId"]
    src = await frame.get_attribute("src")
    assert src is not None
    assert f"/api/v1/reports/{analysis_id}/html" in src

    await page.keyboard.press("Escape")
    await expect(button).to_have_text("View Intelligence report")
    await expect(dialog).not_to_have_attribute("open", "")
    await expect(button).to_be_focused()
    await screenshot(page, "button-view")

    api_calls: list[str] = []
    page.on(
        "request", lambda r: api_calls.append(f"{r.method} {r.url}") if "/api/" in r.url else None
    )
    await button.click()
    await expect(dialog).to_have_attribute("open", "")
    await expect(button).to_have_text("✕ Close report")
    await ada.locator("#close").click()
    await expect(button).to_have_text("View Intelligence report")

    assert [c for c in api_calls if "/api/v1/analyses" in c] == []  # the cached report
    analyses = await pair_analyses(gateway_url, sandbox_key, ADA)
    assert [a["id"] for a in analyses] == [analysis_id]
    assert analyses[0]["status"] == "completed"


async def test_the_pages_token_cannot_read_another_candidate(
    page: Page, gateway_url: str, demo_partner: dict[str, str]
) -> None:
    async with httpx.AsyncClient(
        base_url=gateway_url, headers={"X-API-Key": demo_partner["test_api_key"]}
    ) as backend:
        body = {  # a candidate of the same client, not on the page
            "client": {"id": DEMO_CLIENT},
            "candidate": {"id": ELSEWHERE, "first_name": "Ada", "last_name": "Byron"},
        }
        created = await backend.post("/api/v1/analyses", json=body)
    assert created.status_code in (200, 202), created.text
    other_id = created.json()["id"]
    await page.goto(f"{gateway_url}/demo/ats")

    answers = await page.evaluate(
        """async ([otherId, client, grace, other]) => {
          const session = await fetch("/demo/ats/session", {
            method: "POST", headers: {"Content-Type": "application/json"},
            body: JSON.stringify({client_id: client, candidate_id: grace}),
          }).then((r) => r.json());
          const auth = {headers: {Authorization: `Bearer ${session.token}`}};
          const read = await fetch(`/api/v1/analyses/${otherId}`, auth);
          const events = await fetch(`/api/v1/analyses/${otherId}/events`, auth);
          const q = new URLSearchParams({client_id: client, candidate_id: other});
          const list = await fetch(`/api/v1/analyses?${q}`, auth);
          const me = await fetch("/api/v1/me", auth);
          return [session.token.slice(0, 3), read.status, events.status, list.status, me.status];
        }""",
        [other_id, DEMO_CLIENT, GRACE, ELSEWHERE],
    )

    assert answers == ["wt_", 404, 404, 403, 403]


async def test_the_button_speaks_the_pages_language_or_its_own(
    page: Page, gateway_url: str, demo_partner: dict[str, str], screenshot: Shoot
) -> None:
    await page.goto(f"{gateway_url}/demo/ats")
    await page.evaluate(
        """() => {
          document.documentElement.lang = "fr";  // no lang attribute: the page's language
          const alan = document.querySelector('dossier-report-button[candidate-id="demo-cand-alan"]');
          const again = alan.cloneNode();
          alan.replaceWith(again);
          for (const b of document.querySelectorAll("dossier-report-button:not([candidate-id$=alan])"))
            b.setAttribute("lang", "fr");
        }"""
    )
    alan = page.locator('dossier-report-button[candidate-id="demo-cand-alan"]')
    grace = page.locator(f'dossier-report-button[candidate-id="{GRACE}"]')

    await expect(alan.locator("#main")).to_have_text("Lancer le rapport d'intelligence candidat")
    await expect(grace.locator("#main")).to_have_text("Lancer le rapport d'intelligence candidat")
    await screenshot(page, "button-idle-fr")
    await grace.evaluate("(el) => el.setAttribute('lang', 'de')")
    await expect(grace.locator("#main")).to_have_text("Kandidaten-Intelligence-Bericht erstellen")
