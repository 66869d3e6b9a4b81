"""OpenTelemetry for every service: one trace from the partner's POST through every Kafka hop.

A tracer provider is always installed, so W3C `traceparent` travels in Kafka
headers and every log line carries the `trace_id` even when nothing is
exported. Export is off by default and configured by the standard `OTEL_*`
variables (`OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_TRACES_SAMPLER`, `OTEL_SDK_DISABLED`, …);
`DOSSIER_TRACE_FILE` additionally writes finished spans as JSON lines, which is
how the e2e suite checks a trace end to end.

When nothing exports, nothing is recorded: spans are started unsampled (they still carry
the trace and span ids, so logs and Kafka headers keep them) and MongoDB commands and
outbound HTTP calls get no spans at all. Recording spans no one receives cost ~12% of the
gateway's CPU per poll (py-spy, 2026-12-07).
"""

import json
import os
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path

from opentelemetry import trace
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.instrumentation.pymongo import PymongoInstrumentor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    SimpleSpanProcessor,
    SpanExporter,
    SpanExportResult,
)
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF

_configured = False


class JsonLinesSpanExporter(SpanExporter):
    """Appends one JSON object per finished span to a file (safe across processes: O_APPEND)."""

    def __init__(self, path: str) -> None:
        self._path = Path(path)
        self._lock = threading.Lock()

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        lines = []
        for span in spans:
            ctx = span.get_span_context()
            if ctx is None:
                continue
            lines.append(
                json.dumps(
                    {
                        "trace_id": f"{ctx.trace_id:032x}",
                        "span_id": f"{ctx.span_id:016x}",
                        "parent_id": f"{span.parent.span_id:016x}" if span.parent else None,
                        "name": span.name,
                        "service": span.resource.attributes.get("service.name"),
                        "kind": span.kind.name,
                    }
                )
            )
        with self._lock, self._path.open("a") as out:
            out.write("".join(line + "\n" for line in lines))
        return SpanExportResult.SUCCESS


def configure_tracing(service: str) -> None:
    """Install the tracer provider and instrument MongoDB and outbound HTTP. Idempotent."""
    global _configured  # noqa: PLW0603 - process-wide, once
    if _configured or os.environ.get("OTEL_SDK_DISABLED", "").lower() == "true":
        return
    _configured = True
    processors = span_processors(os.environ)
    provider = TracerProvider(
        resource=Resource.create(
            {"service.name": os.environ.get("OTEL_SERVICE_NAME", f"dossier-{service}")}
        ),
        # None: the standard OTEL_TRACES_SAMPLER (default: parent-based, always on).
        sampler=None if processors else ALWAYS_OFF,
    )
    for processor in processors:
        provider.add_span_processor(processor)
    trace.set_tracer_provider(provider)
    if processors:
        PymongoInstrumentor().instrument()
        HTTPXClientInstrumentor().instrument()


def span_processors(env: Mapping[str, str]) -> list[SpanProcessor]:
    """Where finished spans go: OTLP when an endpoint is set, the JSON-lines file when
    `DOSSIER_TRACE_FILE` is; none by default."""
    processors: list[SpanProcessor] = []
    if env.get("OTEL_EXPORTER_OTLP_ENDPOINT") or env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"):
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import (  # noqa: PLC0415
            OTLPSpanExporter,
        )

        processors.append(BatchSpanProcessor(OTLPSpanExporter()))
    if trace_file := env.get("DOSSIER_TRACE_FILE"):
        processors.append(SimpleSpanProcessor(JsonLinesSpanExporter(trace_file)))
    return processors


def current_trace_ids() -> dict[str, str]:
    """`trace_id`/`span_id` of the active span, for log lines; empty outside a trace."""
    ctx = trace.get_current_span().get_span_context()
    if not ctx.is_valid:
        return {}
    return {"trace_id": f"{ctx.trace_id:032x}", "span_id": f"{ctx.span_id:016x}"}
