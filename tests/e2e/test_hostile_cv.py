"""A CV built to make the parser's regexes backtrack must not stall identity.

Before the fix, one line of 99,900 commas took a minute of CPU on identity's event loop:
heartbeats stopped, the group rebalanced, the message was redelivered and parsed again,
and every partner's analyses waited behind it.
"""

import asyncio
import time

import httpx

from dossier.contracts.enums import Language
from dossier.devstack.stack import LocalStack
from dossier.identity.domain.messages import message
from tests.e2e.helpers import analysis_body, service_env, wait_terminal

#: The line reproduced in issue 11 (62.8 s of CPU in `_EDGE`), in a CV under the API's
#: 100,000-character limit.
REPRODUCED_LINE = "Engineer at Acme 2019 - 2021 x" + "," * 99_900 + "y"
HOSTILE_CV = "John Doe\nExperience\n" + REPRODUCED_LINE

#: Other shapes that were quadratic or worse: whitespace after a number or after the
#: word `experience` (claimed years), in skills and languages lists, digit runs.
MIXED_HOSTILE_CV = "\n".join(
    [
        "John Doe",
        "5" + " " * 15_000 + "x",
        "experience" + " " * 15_000 + "x",
        "Experience",
        "Engineer at Acme 2019 - 2021 " + "1" * 15_000 + "x",
        "Engineer" + " " * 15_000 + "at Acme 2019 - 2021",
        "Skills",
        "Python" + " " * 15_000 + "x",
        "Languages",
        "German" + " " * 15_000 + "x",
    ]
)

#: Generous against a normal analysis (seconds), far below the minute one hostile CV
#: used to cost.
BOUND_SECONDS = 60


def _identity_counters(stack: LocalStack) -> dict[str, float]:
    """Identity's handling counters for `analysis.requested`, by metric name."""
    port = stack.config.ports["identity"]
    text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=10).text
    counters = dict.fromkeys(("consumed", "retried", "failed", "dropped"), 0.0)
    for line in text.splitlines():
        for name in counters:
            if line.startswith(f"dossier_messages_{name}_total{{") and (
                'topic="analysis.requested"' in line
            ):
                counters[name] += float(line.rsplit(" ", 1)[1])
    return counters


async def test_hostile_cv_completes_and_does_not_stall_other_partners(
    api: httpx.AsyncClient,
    gateway_url: str,
    other_partner: dict[str, str],
    stack: LocalStack,
) -> None:
    before = await asyncio.to_thread(_identity_counters, stack)
    started = time.monotonic()
    hostile = [
        (await api.post("/api/v1/analyses", json=analysis_body(cv=cv))).json()
        for cv in (HOSTILE_CV, MIXED_HOSTILE_CV)
    ]
    async with httpx.AsyncClient(
        base_url=gateway_url, headers={"X-API-Key": other_partner["api_key"]}, timeout=30
    ) as other:
        bystander = (await other.post("/api/v1/analyses", json=analysis_body())).json()
        finished_bystander = await wait_terminal(other, bystander["id"], timeout=BOUND_SECONDS)
    bystander_seconds = time.monotonic() - started
    finished = [await wait_terminal(api, h["id"], timeout=BOUND_SECONDS) for h in hostile]
    elapsed = time.monotonic() - started

    assert finished_bystander["status"] == "completed", finished_bystander.get("error")
    assert bystander_seconds < BOUND_SECONDS
    for body in finished:
        assert body["status"] == "completed", body.get("error")
        assert body["report"] is not None
    assert elapsed < BOUND_SECONDS

    # Identity counts a message before the analysis moves on, so the counts are final.
    # Once each: no retry, no dead letter, no redelivery after a rebalance.
    after = await asyncio.to_thread(_identity_counters, stack)
    assert after["consumed"] - before["consumed"] == 3
    assert after["retried"] == before["retried"]
    assert after["failed"] == before["failed"]
    assert after["dropped"] == before["dropped"]


async def test_a_cv_over_the_parse_budget_is_left_out_and_the_report_says_so(
    api: httpx.AsyncClient, stack: LocalStack
) -> None:
    # No parse fits a microsecond: the worker is killed and identity goes on without it.
    with service_env(stack, "identity", {"DOSSIER_CV_PARSE_BUDGET_SECONDS": "0.000001"}):
        created = (await api.post("/api/v1/analyses", json=analysis_body())).json()
        finished = await wait_terminal(api, created["id"], timeout=BOUND_SECONDS * 2)

    assert finished["status"] == "completed", finished.get("error")
    statements = [signal["statement"] for signal in finished["signals"]]
    assert message("cv.unread", Language.EN) in statements
