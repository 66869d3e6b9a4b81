"""The startup heap leaves the collector's sight once startup completes, not before."""

import gc
from collections.abc import Iterator
from typing import Any

import pytest

from dossier.runtime.service import _freezing_heap_after_startup


@pytest.fixture(autouse=True)
def _thawed() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()


async def test_the_heap_is_frozen_when_startup_completes() -> None:
    seen: list[tuple[str, int]] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        assert (await receive())["type"] == "lifespan.startup"
        seen.append(("before startup.complete", gc.get_freeze_count()))
        await send({"type": "lifespan.startup.complete"})

    messages = iter([{"type": "lifespan.startup"}])

    async def receive() -> dict[str, str]:
        return next(messages)

    async def send(message: dict[str, str]) -> None:
        seen.append((message["type"], gc.get_freeze_count()))

    await _freezing_heap_after_startup(app)({"type": "lifespan"}, receive, send)
    assert seen[0] == ("before startup.complete", 0)
    assert seen[1][0] == "lifespan.startup.complete"
    assert seen[1][1] > 10_000  # this test process's modules, at least


async def test_requests_pass_through_untouched() -> None:
    calls: list[str] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        calls.append(scope["type"])

    async def nothing(*_: Any) -> Any:
        return None

    await _freezing_heap_after_startup(app)({"type": "http"}, nothing, nothing)
    assert calls == ["http"]
    assert gc.get_freeze_count() == 0
