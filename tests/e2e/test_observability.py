"""One trace from the partner's POST through every Kafka hop; logs and metrics that move."""

import json
import secrets
from pathlib import Path

import httpx

from dossier.devstack.stack import CONSUMERS, LocalStack
from tests.e2e.conftest import eventually
from tests.e2e.helpers import analysis_body, wait_terminal

SERVICES = {"gateway", "identity", "enrichment", "reporter", "billing"}


def _spans(path: Path, trace_id: str) -> list[dict[str, str]]:
    if not path.exists():
        return []
    spans = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return [s for s in spans if s["trace_id"] == trace_id]


async def test_partner_traceparent_spans_every_service_and_tags_their_logs(
    api: httpx.AsyncClient, stack: LocalStack
) -> None:
    trace_id = secrets.token_hex(16)
    traceparent = f"00-{trace_id}-{secrets.token_hex(8)}-01"
    # A name no source has cached yet, so the stages really call out (and trace it).
    body = analysis_body(last_name=f"Trace{secrets.token_hex(3)}")
    created = (
        await api.post("/api/v1/analyses", json=body, headers={"traceparent": traceparent})
    ).json()
    assert (await wait_terminal(api, created["id"]))["status"] == "completed"
    spans_file = Path(stack.config.env["DOSSIER_TRACE_FILE"])

    async def every_service_traced() -> set[str] | None:
        services = {s["service"].removeprefix("dossier-") for s in _spans(spans_file, trace_id)}
        return services if services >= SERVICES else None

    await eventually(every_service_traced, timeout=30)
    names = {s["name"] for s in _spans(spans_file, trace_id)}
    assert any("analysis.requested" in n for n in names)
    assert any("analysis.completed" in n for n in names)
    assert any(n.endswith((".find", ".insert", ".update")) for n in names), "MongoDB spans"
    assert any(n in {"GET", "POST"} for n in names), "outbound HTTP spans"
    for service in SERVICES:
        # A service's first span (a store read) is written before its handler's last log
        # line: wait for the lines too rather than race them.
        async def tagged_lines(service: str = service) -> list[str] | None:
            log = (stack.config.logs / f"{service}.log").read_text()
            return [line for line in log.splitlines() if created["id"] in line] or None

        tagged = await eventually(tagged_lines, timeout=30)
        assert tagged, f"{service} logged nothing about the analysis"
        assert all(f'"trace_id": "{trace_id}"' in line for line in tagged), service


async def test_metrics_move_on_every_service(api: httpx.AsyncClient, stack: LocalStack) -> None:
    created = (await api.post("/api/v1/analyses", json=analysis_body())).json()
    await wait_terminal(api, created["id"])

    gateway = httpx.get(f"{stack.config.gateway_url}/metrics", timeout=5).text
    assert any(
        line.startswith("dossier_http_requests_total{")
        and 'route="/api/v1/analyses"' in line
        and 'status="202"' in line
        for line in gateway.splitlines()
    )
    assert "dossier_http_request_duration_seconds_bucket" in gateway
    for spec in CONSUMERS:
        # Billing and webhooks consume the completion after the partner can see it.
        async def consumed(name: str = spec.name) -> bool:
            text = httpx.get(f"http://127.0.0.1:{stack.config.ports[name]}/metrics", timeout=5).text
            return "dossier_messages_consumed_total{" in text

        await eventually(consumed, timeout=30)
    reporter = httpx.get(
        f"http://127.0.0.1:{stack.config.ports['reporter']}/metrics", timeout=5
    ).text
    assert "dossier_analysis_latency_seconds_count" in reporter
    assert 'dossier_stage_duration_seconds_count{stage="report"}' in reporter
    enrichment = httpx.get(
        f"http://127.0.0.1:{stack.config.ports['enrichment']}/metrics", timeout=5
    ).text
    assert "dossier_consumer_lag{" in enrichment or "dossier_consumer_lag " in enrichment
    # Identity asks GitHub; enrichment reuses that answer (look up once) and asks the rest.
    identity = httpx.get(
        f"http://127.0.0.1:{stack.config.ports['identity']}/metrics", timeout=5
    ).text
    assert 'dossier_source_request_duration_seconds_count{source="github"}' in identity
    assert 'dossier_source_request_duration_seconds_count{source="sanctions"}' in enrichment
    assert 'dossier_source_request_duration_seconds_count{source="github"}' not in enrichment
