"""Prometheus metrics shared by the services. Labels never carry per-analysis values."""

from prometheus_client import Counter, Gauge, Histogram

_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
_STAGE_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120)
_ANALYSIS_BUCKETS = (0.5, 1, 2.5, 5, 10, 20, 30, 45, 60, 90, 120, 300)

HTTP_REQUESTS = Counter(
    "dossier_http_requests", "HTTP requests served.", ["route", "method", "status"]
)
HTTP_DURATION = Histogram(
    "dossier_http_request_duration_seconds",
    "HTTP request latency.",
    ["route", "method"],
    buckets=_LATENCY_BUCKETS,
)
MESSAGES_CONSUMED = Counter(
    "dossier_messages_consumed", "Bus messages handled successfully.", ["topic", "service"]
)
MESSAGES_FAILED = Counter(
    "dossier_messages_failed", "Bus messages sent to the dead-letter topic.", ["topic", "service"]
)
MESSAGES_RETRIED = Counter(
    "dossier_messages_retried", "Handler attempts retried after an error.", ["topic", "service"]
)
MESSAGES_DROPPED = Counter(
    "dossier_messages_dropped",
    "Bus messages skipped because the analysis was already terminal.",
    ["topic", "service"],
)
STAGE_DURATION = Histogram(
    "dossier_stage_duration_seconds",
    "Time one stage spent on one analysis.",
    ["stage"],
    buckets=_STAGE_BUCKETS,
)
ANALYSIS_LATENCY = Histogram(
    "dossier_analysis_latency_seconds",
    "From accepted (POST) to completed.",
    buckets=_ANALYSIS_BUCKETS,
)
SOURCE_DURATION = Histogram(
    "dossier_source_request_duration_seconds",
    "Latency of one source lookup.",
    ["source"],
    buckets=_STAGE_BUCKETS,
)
SOURCE_ERRORS = Counter(
    "dossier_source_errors", "Source lookups that did not succeed.", ["source", "reason"]
)
SOURCE_BREAKER_STATE = Gauge(
    "dossier_source_breaker_state",
    "Circuit breaker of a source in this process: 0 closed, 1 half-open, 2 open.",
    ["source"],
)
SOURCE_BREAKER_TRANSITIONS = Counter(
    "dossier_source_breaker_transitions",
    "Circuit breaker state changes, per source and new state.",
    ["source", "state"],
)
SOURCE_SKIPPED = Counter(
    "dossier_source_lookups_skipped",
    "Provider requests not sent because the source's circuit breaker was open.",
    ["source"],
)
REUSE_HITS = Counter("dossier_reuse_hits", "Requests answered with an existing analysis.", ["kind"])
CREDITS_CHARGED = Counter("dossier_credits_charged", "Credits charged for new reports.")
STORE_COMMANDS = Counter(
    "dossier_store_commands",
    "MongoDB commands sent (round trips), by command and collection.",
    ["service", "command", "collection"],
)
CONSUMER_LAG = Gauge(
    "dossier_consumer_lag", "Messages not yet consumed, per topic and group.", ["topic", "group"]
)


def observe_source(name: str, state: str, seconds: float) -> None:
    """One source lookup: its latency, and an error count unless it was checked or skipped."""
    SOURCE_DURATION.labels(name).observe(seconds)
    if state not in ("checked", "skipped"):
        SOURCE_ERRORS.labels(name, state).inc()


WEBHOOK_DELIVERIES = Counter(
    "dossier_webhook_deliveries",
    "Webhook delivery attempts, by result (delivered, retrying, failed, abandoned).",
    ["result"],
)
WEBHOOK_DELIVERY_DURATION = Histogram(
    "dossier_webhook_delivery_duration_seconds",
    "Time one webhook delivery attempt took, until the endpoint's status or an error.",
    buckets=_LATENCY_BUCKETS,
)
SWEEP_ERRORS = Counter(
    "dossier_sweep_errors",
    "Documents a background sweep could not handle (skipped; the pass went on).",
    ["job"],
)
ANALYSES_FINALISED_LATE = Counter(
    "dossier_analyses_finalised_late",
    "Terminal analyses whose key shredding and event the finaliser job completed "
    "after their decider died or failed.",
)


#: `dossier_source_breaker_state` values, by the state names of `dossier.sources.breaker`.
BREAKER_STATE_VALUES = {"closed": 0, "half_open": 1, "open": 2}


def observe_breaker_transition(source: str, old: str, new: str) -> None:
    """A source's circuit breaker changed state (or was created, `old == new`)."""
    SOURCE_BREAKER_STATE.labels(source).set(BREAKER_STATE_VALUES.get(new, 0))
    if old != new:
        SOURCE_BREAKER_TRANSITIONS.labels(source, new).inc()


def observe_source_skipped(source: str) -> None:
    """A provider request not sent: the source's breaker is open."""
    SOURCE_SKIPPED.labels(source).inc()
