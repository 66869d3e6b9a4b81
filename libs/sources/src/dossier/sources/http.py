"""HTTP behaviour every connector shares: timeouts, bounded retries, rate limits.

Providers fail in a handful of ways, and each deserves one considered answer
rather than five slightly different ones:

- a 5xx or a dropped connection is retried with exponential backoff and jitter, a
  bounded number of times, never past the lookup's time budget;
- a timeout is NOT retried: a provider that hangs would otherwise cost one request
  timeout per attempt, in every analysis. The lookup ends `failed` after one timeout,
  and the source's circuit breaker (`dossier.sources.breaker`) counts it;
- every request asks the source's circuit breaker first: while it is open the lookup
  ends at once as `unavailable` ("circuit open after …") without touching the network;
- a rate limit (`429`, GitHub's `403` with `X-RateLimit-Remaining: 0`) is waited
  out when the provider's `Retry-After` / reset time fits in the budget, and
  otherwise ends the lookup as `unavailable` ("rate limited until …") instead of
  holding a pipeline stage hostage;
- a response that announces an exhausted quota is remembered, so the next request
  to that provider does not waste an attempt.

Time is injected (`Clock`) so tests exercise waits without sleeping.
"""

import asyncio
import datetime as dt
import email.utils
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import httpx

from dossier.sources.base import SourceFailedError, SourceUnavailableError
from dossier.sources.breaker import CircuitBreaker, CircuitOpenError

#: Reset values below this are "seconds from now" (Brave); above, a Unix time (GitHub).
_EPOCH_THRESHOLD = 1_000_000_000

_RETRYABLE_STATUSES = frozenset({500, 502, 503, 504})


class Clock(Protocol):
    """Monotonic time for budgets, wall time for providers' reset stamps, and sleeping."""

    def monotonic(self) -> float: ...

    def time(self) -> float: ...

    async def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def monotonic(self) -> float:
        return time.monotonic()

    def time(self) -> float:
        return time.time()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


@dataclass(frozen=True)
class HttpPolicy:
    """How patient one source is. `budget_seconds` bounds one whole lookup, waits included."""

    request_timeout_seconds: float = 10.0
    max_attempts: int = 3
    backoff_base_seconds: float = 0.5
    backoff_cap_seconds: float = 8.0
    budget_seconds: float = 25.0


@dataclass
class Budget:
    """The deadline of one lookup, on the clock's monotonic scale."""

    deadline: float

    def remaining(self, clock: Clock) -> float:
        return self.deadline - clock.monotonic()


def backoff_delay(attempt: int, policy: HttpPolicy, jitter: float) -> float:
    """Equal-jitter exponential backoff: half the capped delay, plus up to the other half.

    `attempt` counts from 1 (the attempt that just failed); `jitter` is in [0, 1).
    """
    ceiling = min(policy.backoff_cap_seconds, policy.backoff_base_seconds * 2.0 ** (attempt - 1))
    return ceiling / 2 + ceiling / 2 * jitter


def _first_number(value: str) -> float | None:
    """The first value of a header that may list several windows ("1, 1419704" → 1)."""
    head = value.split(",", maxsplit=1)[0].strip()
    try:
        return float(head)
    except ValueError:
        return None


def retry_after_seconds(headers: Mapping[str, str], now: float) -> float | None:
    """Seconds the provider asks us to wait, from `Retry-After` or an exhausted quota.

    `Retry-After` may be seconds or an HTTP date. `X-RateLimit-Reset` is a Unix time at
    GitHub and a number of seconds at Brave (several comma-separated windows there; the
    first exhausted window decides). It only counts when `X-RateLimit-Remaining` says 0.
    """
    retry_after = headers.get("retry-after")
    if retry_after:
        seconds = _first_number(retry_after)
        if seconds is not None:
            return max(0.0, seconds)
        try:
            when = email.utils.parsedate_to_datetime(retry_after)
        except (TypeError, ValueError):
            when = None
        if when is not None:
            if when.tzinfo is None:
                when = when.replace(tzinfo=dt.UTC)
            return max(0.0, when.timestamp() - now)
    remaining = headers.get("x-ratelimit-remaining")
    reset = headers.get("x-ratelimit-reset")
    if remaining is None or reset is None:
        return None
    windows = [r.strip() for r in remaining.split(",")]
    resets = [r.strip() for r in reset.split(",")]
    for left, reset_value in zip(windows, resets, strict=False):
        try:
            exhausted = float(left) <= 0
            reset_number = float(reset_value)
        except ValueError:
            continue
        if exhausted:
            if reset_number >= _EPOCH_THRESHOLD:
                return max(0.0, reset_number - now)
            return max(0.0, reset_number)
    return None


def _is_rate_limited(response: httpx.Response) -> bool:
    if response.status_code == 429:
        return True
    return response.status_code == 403 and (
        response.headers.get("x-ratelimit-remaining", "").split(",")[0].strip() == "0"
        or "retry-after" in response.headers
    )


def _until(epoch_seconds: float) -> str:
    stamp = dt.datetime.fromtimestamp(epoch_seconds, tz=dt.UTC).replace(microsecond=0)
    return stamp.isoformat().replace("+00:00", "Z")


class SourceHttp:
    """One provider's HTTP client behaviour over a shared, injected `httpx.AsyncClient`.

    Returns responses with any status below 500 except rate limits; the connector decides
    what a 404 means. Raises `SourceUnavailableError` or `SourceFailedError` when it gives up.
    """

    def __init__(
        self,
        client: httpx.AsyncClient,
        *,
        provider: str,
        policy: HttpPolicy | None = None,
        clock: Clock | None = None,
        jitter: Callable[[], float] = random.random,
        breaker: CircuitBreaker | None = None,
    ) -> None:
        self._client = client
        self.provider = provider
        self.policy = policy or HttpPolicy()
        self.clock: Clock = clock or SystemClock()
        self._jitter = jitter
        self._blocked_until: float | None = None  # wall time, from an exhausted quota
        self.breaker = breaker or CircuitBreaker(
            provider, monotonic=self.clock.monotonic, wall=self.clock.time
        )

    def budget(self) -> Budget:
        """Start the clock for one lookup."""
        return Budget(self.clock.monotonic() + self.policy.budget_seconds)

    async def request(
        self,
        method: str,
        url: str,
        *,
        budget: Budget,
        params: Mapping[str, str | int] | None = None,
        headers: Mapping[str, str] | None = None,
        json: Any = None,
        auth: httpx.BasicAuth | None = None,
    ) -> httpx.Response:
        last_problem = "no attempt made"
        attempts_made = 0
        for attempt in range(1, self.policy.max_attempts + 1):
            attempts_made = attempt
            await self._wait_for_quota(budget)
            timeout = max(
                0.001, min(self.policy.request_timeout_seconds, budget.remaining(self.clock))
            )
            try:
                self.breaker.before_request()
            except CircuitOpenError as refused:
                raise SourceUnavailableError(f"{self.provider}: {refused.reason}") from None
            try:
                response = await self._client.request(
                    method,
                    url,
                    params=params,
                    headers=headers,
                    json=json,
                    auth=auth if auth is not None else httpx.USE_CLIENT_DEFAULT,
                    timeout=timeout,
                )
            except httpx.TimeoutException:
                # Not retried: a hanging provider costs one timeout per lookup, not one per
                # attempt; the breaker counts it and stops the next lookups once open.
                self.breaker.failure("timed out")
                detail = f"timed out after {timeout:g} s (attempt {attempt}, not retried)"
                raise SourceFailedError(f"{self.provider}: {detail}") from None
            except httpx.TransportError as error:
                last_problem = f"cannot reach {httpx.URL(url).host} ({type(error).__name__})"
                self.breaker.failure(last_problem)
                if not await self._back_off(attempt, budget):
                    raise SourceUnavailableError(f"{self.provider}: {last_problem}") from None
                continue
            except BaseException:
                self.breaker.neutral()
                raise
            self._remember_quota(response)
            if _is_rate_limited(response):
                self.breaker.neutral()
                await self._wait_out_rate_limit(response, attempt, budget)
                last_problem = f"rate limited (HTTP {response.status_code})"
                continue
            if response.status_code in _RETRYABLE_STATUSES:
                last_problem = f"HTTP {response.status_code}"
                self.breaker.failure(last_problem)
                if not await self._back_off(attempt, budget):
                    break
                continue
            self.breaker.success()
            return response
        raise SourceFailedError(f"{self.provider}: {last_problem} after {attempts_made} attempt(s)")

    async def get_json(
        self,
        url: str,
        *,
        budget: Budget,
        params: Mapping[str, str | int] | None = None,
        headers: Mapping[str, str] | None = None,
        auth: httpx.BasicAuth | None = None,
        not_found_ok: bool = False,
    ) -> Any:
        """GET and decode JSON; `None` for a 404 when `not_found_ok`."""
        response = await self.request(
            "GET", url, budget=budget, params=params, headers=headers, auth=auth
        )
        return self.decode(response, not_found_ok=not_found_ok)

    async def post_json(
        self,
        url: str,
        body: Any,
        *,
        budget: Budget,
        headers: Mapping[str, str] | None = None,
    ) -> Any:
        response = await self.request("POST", url, budget=budget, json=body, headers=headers)
        return self.decode(response)

    def decode(self, response: httpx.Response, *, not_found_ok: bool = False) -> Any:
        """The JSON body of a 2xx; a refused key is `unavailable`, other statuses `failed`."""
        if response.status_code == 404 and not_found_ok:
            return None
        if response.status_code in (401, 403):
            raise SourceUnavailableError(
                f"{self.provider}: credentials refused (HTTP {response.status_code})"
            )
        if not response.is_success:
            raise SourceFailedError(f"{self.provider}: unexpected HTTP {response.status_code}")
        try:
            return response.json()
        except ValueError:
            raise SourceFailedError(f"{self.provider}: response is not JSON") from None

    async def _back_off(self, attempt: int, budget: Budget) -> bool:
        """Sleep before the next attempt; False when no attempt or no time is left."""
        if attempt >= self.policy.max_attempts:
            return False
        delay = backoff_delay(attempt, self.policy, self._jitter())
        if delay >= budget.remaining(self.clock):
            return False
        await self.clock.sleep(delay)
        return True

    async def _wait_out_rate_limit(
        self, response: httpx.Response, attempt: int, budget: Budget
    ) -> None:
        now = self.clock.time()
        wait = retry_after_seconds(response.headers, now)
        if wait is None:
            wait = backoff_delay(attempt, self.policy, self._jitter())
        if attempt >= self.policy.max_attempts or wait >= budget.remaining(self.clock):
            until = _until(now + wait)
            raise SourceUnavailableError(f"{self.provider}: rate limited until {until}")
        await self.clock.sleep(wait)

    def _remember_quota(self, response: httpx.Response) -> None:
        """Note an exhausted quota announced by any response, even a successful one."""
        remaining = response.headers.get("x-ratelimit-remaining")
        if remaining is None or not any(
            part.strip() in ("0", "0.0") for part in remaining.split(",")
        ):
            self._blocked_until = None
            return
        wait = retry_after_seconds(response.headers, self.clock.time())
        self._blocked_until = self.clock.time() + wait if wait else None

    async def _wait_for_quota(self, budget: Budget) -> None:
        if self._blocked_until is None:
            return
        wait = self._blocked_until - self.clock.time()
        if wait <= 0:
            self._blocked_until = None
            return
        if wait >= budget.remaining(self.clock):
            raise SourceUnavailableError(
                f"{self.provider}: rate limited until {_until(self._blocked_until)}"
            )
        await self.clock.sleep(wait)
        self._blocked_until = None
