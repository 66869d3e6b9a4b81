"""The pipeline with an LLM writer configured: a working OpenAI-compatible model writes the
report (metadata says so), in the recruiter's language, citing only real signals."""

from typing import Any

import httpx

from dossier.devstack.stack import LocalStack
from tests.e2e.conftest import Providers
from tests.e2e.helpers import analysis_body, service_env, wait_terminal

CITED = ("recommendation.evidence", "strengths", "whatToValidate", "risks", "interviewQuestions")


def _cited_ids(report: dict[str, Any]) -> set[str]:
    return {sid for citation in report["citations"] for sid in citation["signalIds"]}


async def test_a_working_model_writes_the_report_in_the_requested_language(
    api: httpx.AsyncClient, stack: LocalStack, providers: Providers
) -> None:
    llm = {
        "DOSSIER_LLM_BASE_URL": f"{providers.url}/llm-model/v1",
        "DOSSIER_LLM_MODEL": "local-model",
        "DOSSIER_LLM_API_KEY": "sk-local-test",
    }
    with service_env(stack, "reporter", llm):
        created = await api.post("/api/v1/analyses", json=analysis_body(language="fr"))
        final = await wait_terminal(api, created.json()["id"])

    assert final["status"] == "completed"
    assert final["metadata"]["writer"] == "llm"
    assert final["metadata"].get("writerNote") is None
    report = final["report"]
    assert "repose sur" in report["summary"]  # French prose from the model
    signal_ids = {s["id"] for s in final["signals"]}
    assert _cited_ids(report) <= signal_ids
    assert {c["field"] for c in report["citations"]} <= set(CITED)
