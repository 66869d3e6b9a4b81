import asyncio

import httpx

from benchmarks.latency import timed


async def test_a_budget_stops_sampling_but_keeps_the_minimum_samples():
    async def slow() -> httpx.Response:
        await asyncio.sleep(0.05)
        return httpx.Response(200)

    result = await timed(slow, 100, budget_seconds=0.12, min_samples=3)
    assert result.statuses == {200: 3}
    assert result.latency is not None
    assert result.latency.n == 3


async def test_three_budgets_end_sampling_even_below_the_minimum():
    async def slower() -> httpx.Response:
        await asyncio.sleep(0.04)
        return httpx.Response(200)

    result = await timed(slower, 100, budget_seconds=0.03, min_samples=10)
    assert sum(result.statuses.values()) < 10


async def test_errors_are_counted_but_not_timed():
    async def refused() -> httpx.Response:
        raise httpx.ConnectError("no")

    result = await timed(refused, 4)
    assert result.statuses == {0: 4}
    assert result.latency is None
