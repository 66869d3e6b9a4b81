"""The asynchronous resources of `AsyncDossier`: the same methods as `resources`, awaited."""

from __future__ import annotations

import builtins
import time
from collections.abc import AsyncIterator, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

import httpx

from dossier_client import _operations as ops
from dossier_client._operations import ProgressEvent
from dossier_client._sse import aiter_messages
from dossier_client._transport import AsyncTransport, Call
from dossier_client.errors import (
    APIConnectionError,
    RateLimitError,
    ServerError,
    WaitTimeoutError,
    retry_after_seconds,
)
from dossier_client.models import (
    Analysis,
    AnalysisAccepted,
    AnalysisList,
    ApiKey,
    ApiKeyCreated,
    ApiKeyList,
    AuditVerification,
    CandidateErasure,
    DeliveryAttempt,
    DeliveryAttemptList,
    DossierModel,
    FeedbackAccepted,
    Me,
    PartnerExport,
    ReusedAnalysis,
    UsageReport,
    Webhook,
    WebhookCreated,
    WebhookDeliveryQueued,
    WebhookList,
    WebhookSecretRotated,
    WidgetSession,
)

if TYPE_CHECKING:
    from dossier_client.models import CandidateInput, ClientRef


class _Resource:
    def __init__(self, transport: AsyncTransport) -> None:
        self._t = transport

    async def _send(self, call: Call) -> httpx.Response:
        return await self._t.send(call)


class Analyses(_Resource):
    def __init__(self, transport: AsyncTransport) -> None:
        super().__init__(transport)
        self._etags = ops.ETagCache()

    async def create(
        self,
        *,
        client: ClientRef | dict[str, Any],
        candidate: CandidateInput | dict[str, Any],
        language: str | None = None,
        refresh: bool | None = None,
        max_age_days: int | None = None,
        idempotency_key: str | None = None,
    ) -> AnalysisAccepted | ReusedAnalysis:
        """Start an analysis (or get the existing one: `reused` is then True).

        An `Idempotency-Key` is sent (a new uuid4 unless given), so a retry after a
        lost answer never starts a second analysis.
        """
        call = ops.create_analysis(
            language=language,
            client=client,
            candidate=candidate,
            refresh=refresh,
            max_age_days=max_age_days,
            idempotency_key=idempotency_key,
        )
        return ops.created(await self._send(call))

    async def get(self, analysis_id: str) -> Analysis:
        """The analysis; unchanged since the last call answers `304` and the kept copy."""
        response = await self._send(ops.get_analysis(analysis_id, self._etags))
        return self._etags.read(analysis_id, response)

    async def wait(
        self,
        analysis_id: str,
        timeout: float = 120,  # noqa: ASYNC109 (the SDK's documented signature)
        *,
        poll_interval: float | None = None,
    ) -> Analysis:
        """Poll until the analysis is completed, failed or canceled.

        Waits between polls as the server's `Retry-After` says (or `poll_interval`, when
        given); raises `WaitTimeoutError` after `timeout` seconds.
        """
        deadline = time.monotonic() + timeout
        status: str | None = None
        while True:
            response = await self._send(ops.get_analysis(analysis_id, self._etags))
            analysis = self._etags.read(analysis_id, response)
            status = str(analysis.status)
            if status in ops.TERMINAL_STATUSES:
                return analysis
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise WaitTimeoutError(analysis_id, timeout, status)
            pause = poll_interval if poll_interval is not None else retry_after_seconds(response)
            await self._t.sleep(min(pause if pause is not None else 1.0, remaining))

    def list(
        self,
        *,
        status: str | None = None,
        limit: int | None = None,
    ) -> AsyncIterator[Analysis]:
        """Every analysis (of this key's environment), newest first, optionally only those in
        `status`; pages of `limit` are fetched as the iteration goes."""
        return self._pages(status=status, limit=limit)

    async def _pages(
        self,
        *,
        status: str | None = None,
        limit: int | None = None,
        client_id: str | None = None,
        candidate_id: str | None = None,
    ) -> AsyncIterator[Analysis]:
        cursor: str | None = None
        while True:
            call = ops.list_analyses(
                client_id=client_id,
                candidate_id=candidate_id,
                status=status,
                limit=limit,
                cursor=cursor,
            )
            page = AnalysisList.model_validate_json((await self._send(call)).content)
            for analysis in page.data:
                yield analysis
            if not page.next_cursor:
                return
            cursor = page.next_cursor

    async def find(self, *, client_id: str, candidate_id: str) -> Analysis | None:
        """The newest analysis of this candidate for this client company, or None."""
        async for analysis in self._pages(client_id=client_id, candidate_id=candidate_id):
            return analysis
        return None

    async def cancel(self, analysis_id: str) -> Analysis:
        response = await self._send(Call("DELETE", f"{ops.ANALYSES}/{ops.segment(analysis_id)}"))
        return Analysis.model_validate_json(response.content)

    async def stream(
        self, analysis_id: str, *, last_event_id: str | None = None
    ) -> AsyncIterator[ProgressEvent | DossierModel]:
        """The analysis's events (stage, quick signal, signals, outcome) as they happen.

        Ends after the outcome (`completed`, `failed`, `canceled`). A dropped connection
        is resumed with `Last-Event-ID`: no event is lost or repeated.
        """
        last = last_event_id
        retry_seconds = 1.0
        failures = 0
        give_up_after = max(self._t.policy.max_retries, 3)
        while True:
            delivered = False
            try:
                async with self._t.stream(ops.stream_call(analysis_id, last)) as response:
                    async for message in aiter_messages(response.aiter_lines()):
                        if message.retry is not None:
                            retry_seconds = message.retry / 1000
                        if not message.data:
                            continue
                        event = ops.progress_event(message.data)
                        last = message.id or last
                        delivered = True
                        yield event
                        if ops.is_terminal_event(event):
                            return
            except (httpx.TransportError, RateLimitError, ServerError) as exc:
                failures = 0 if delivered else failures + 1
                if failures > give_up_after:
                    raise APIConnectionError(f"event stream of {analysis_id}: {exc!r}") from exc
                pause = getattr(exc, "retry_after", None) or retry_seconds
            else:  # the server closed the stream before the outcome (its maximum duration)
                failures = 0 if delivered else failures + 1
                if failures > give_up_after:
                    msg = f"event stream of {analysis_id} keeps closing without events"
                    raise APIConnectionError(msg)
                pause = retry_seconds
            await self._t.sleep(min(pause, 5.0))

    async def send_feedback(
        self, analysis_id: str, *, signal_id: str, verdict: str, note: str | None = None
    ) -> FeedbackAccepted:
        """A reviewer's verdict on one signal of a completed analysis."""
        call = Call(
            "POST",
            f"{ops.ANALYSES}/{ops.segment(analysis_id)}/feedback",
            json=ops.body(signal_id=signal_id, verdict=verdict, note=note),
        )
        return FeedbackAccepted.model_validate_json((await self._send(call)).content)


class Reports(_Resource):
    async def pdf(self, analysis_id: str) -> bytes:
        """The report as a PDF (`ConflictError` while the analysis is not completed)."""
        path = f"{ops.ANALYSES}/{ops.segment(analysis_id)}/report.pdf"
        return (await self._send(Call("GET", path, headers={"Accept": "application/pdf"}))).content


class MeResource(_Resource):
    async def get(self) -> Me:
        return Me.model_validate_json((await self._send(Call("GET", "/api/v1/me"))).content)


class Keys(_Resource):
    async def list(self) -> builtins.list[ApiKey]:
        return ApiKeyList.model_validate_json(
            (await self._send(Call("GET", "/api/v1/keys"))).content
        ).data

    async def create(
        self, *, name: str, scopes: Sequence[str], environment: str | None = None
    ) -> ApiKeyCreated:
        """A new key; its secret (`key`) is shown only in this answer."""
        call = Call(
            "POST",
            "/api/v1/keys",
            json=ops.body(name=name, scopes=list(scopes), environment=environment),
        )
        return ApiKeyCreated.model_validate_json((await self._send(call)).content)

    async def revoke(self, key_ref: str) -> ApiKey:
        response = await self._send(Call("DELETE", f"/api/v1/keys/{ops.segment(key_ref)}"))
        return ApiKey.model_validate_json(response.content)


class Webhooks(_Resource):
    _BASE = "/api/v1/webhooks"

    def _path(self, webhook_id: str, *rest: str) -> str:
        return "/".join([self._BASE, ops.segment(webhook_id), *rest])

    async def list(self) -> builtins.list[Webhook]:
        return WebhookList.model_validate_json(
            (await self._send(Call("GET", self._BASE))).content
        ).data

    async def create(self, *, url: str, events: Sequence[str]) -> WebhookCreated:
        """Register an endpoint; its signing `secret` is shown only in this answer."""
        call = Call("POST", self._BASE, json=ops.body(url=url, events=list(events)))
        return WebhookCreated.model_validate_json((await self._send(call)).content)

    async def get(self, webhook_id: str) -> Webhook:
        return Webhook.model_validate_json(
            (await self._send(Call("GET", self._path(webhook_id)))).content
        )

    async def update(
        self,
        webhook_id: str,
        *,
        url: str | None = None,
        events: Sequence[str] | None = None,
        enabled: bool | None = None,
    ) -> Webhook:
        fields = ops.body(
            url=url, events=list(events) if events is not None else None, enabled=enabled
        )
        response = await self._send(Call("PATCH", self._path(webhook_id), json=fields))
        return Webhook.model_validate_json(response.content)

    async def delete(self, webhook_id: str) -> None:
        await self._send(Call("DELETE", self._path(webhook_id)))

    async def deliveries(
        self, webhook_id: str, *, limit: int | None = None
    ) -> builtins.list[DeliveryAttempt]:
        call = Call("GET", self._path(webhook_id, "deliveries"), params={"limit": limit})
        return DeliveryAttemptList.model_validate_json((await self._send(call)).content).data

    async def rotate_secret(self, webhook_id: str) -> WebhookSecretRotated:
        response = await self._send(Call("POST", self._path(webhook_id, "rotate-secret")))
        return WebhookSecretRotated.model_validate_json(response.content)

    async def test(self, webhook_id: str) -> WebhookDeliveryQueued:
        """Queue a signed `webhook.test` event to the endpoint."""
        response = await self._send(Call("POST", self._path(webhook_id, "test")))
        return WebhookDeliveryQueued.model_validate_json(response.content)

    async def redeliver(self, webhook_id: str, delivery_id: str) -> WebhookDeliveryQueued:
        path = self._path(webhook_id, "deliveries", ops.segment(delivery_id), "redeliver")
        return WebhookDeliveryQueued.model_validate_json(
            (await self._send(Call("POST", path))).content
        )


class Usage(_Resource):
    async def get(
        self,
        *,
        from_: date | str | None = None,
        to: date | str | None = None,
        group_by: str | None = None,
    ) -> UsageReport:
        """Usage and credits between two days (UTC, inclusive); `group_by="client"`."""
        params = {"from": ops.body_value(from_), "to": ops.body_value(to), "group_by": group_by}
        return UsageReport.model_validate_json(
            (await self._send(Call("GET", "/api/v1/usage", params=params))).content
        )


class Audit(_Resource):
    async def export(self, *, from_: date | str | None = None, to: date | str | None = None) -> str:
        """The audit trail as CSV text."""
        params = {"from": ops.body_value(from_), "to": ops.body_value(to)}
        return (await self._send(Call("GET", "/api/v1/audit/export", params=params))).text

    async def verify(self) -> AuditVerification:
        response = await self._send(Call("GET", "/api/v1/audit/verify"))
        return AuditVerification.model_validate_json(response.content)


class Candidates(_Resource):
    async def erase(self, candidate_id: str, *, client_id: str) -> CandidateErasure:
        """Erase everything about this candidate for this client company."""
        call = Call(
            "DELETE",
            f"/api/v1/candidates/{ops.segment(candidate_id)}",
            params={"client_id": client_id},
        )
        return CandidateErasure.model_validate_json((await self._send(call)).content)


class Exports(_Resource):
    async def get(self) -> PartnerExport:
        return PartnerExport.model_validate_json(
            (await self._send(Call("GET", "/api/v1/export"))).content
        )


class WidgetSessions(_Resource):
    async def create(self, *, client_id: str, candidate_id: str) -> WidgetSession:
        """A short-lived token for the report button in the browser (never the API key)."""
        call = Call(
            "POST",
            "/api/v1/widget-sessions",
            json=ops.body(client_id=client_id, candidate_id=candidate_id),
        )
        return WidgetSession.model_validate_json((await self._send(call)).content)
