"""When to retry a request and how long to wait first (pure, no I/O).

A request is retried on 429, 5xx and connection errors only if repeating it cannot
do something twice: its method is idempotent, or it carries an `Idempotency-Key`
(the gateway then replays the first outcome). The wait is the server's
`Retry-After` when it sends one, else exponential backoff with full jitter.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    max_retries: int = 3
    backoff_base: float = 0.5
    backoff_max: float = 8.0
    max_retry_after: float = 60.0  # never sleep longer than this on a server's word


def is_retry_safe(method: str, headers: Mapping[str, str]) -> bool:
    """Whether sending this request again cannot repeat its effect."""
    if method.upper() in IDEMPOTENT_METHODS:
        return True
    return any(name.lower() == "idempotency-key" for name in headers)


def should_retry_status(status: int) -> bool:
    return status in RETRY_STATUSES


def backoff_delay(
    attempt: int,
    policy: RetryPolicy,
    retry_after: float | None = None,
    rand: Callable[[], float] = random.random,
) -> float:
    """Seconds to wait before retry number `attempt + 1` (attempt counts from 0).

    `Retry-After` wins (capped at `max_retry_after`); otherwise a delay drawn uniformly
    between half and all of `backoff_base * 2**attempt` (capped at `backoff_max`), so
    clients that failed together do not come back together.
    """
    if retry_after is not None:
        return min(max(retry_after, 0.0), policy.max_retry_after)
    ceiling = min(policy.backoff_base * (2.0**attempt), policy.backoff_max)
    return ceiling * (0.5 + 0.5 * rand())
