"""A stage's retry policy: the message's own failures are retried then dead-lettered; an
unreachable store or broker is not the message's fault and spends no attempt."""

from typing import Any, cast

import pytest
from aiokafka.errors import KafkaConnectionError
from pymongo.errors import ServerSelectionTimeoutError

from dossier.contracts.enums import Stage
from dossier.runtime.stage import StageRunner

UNUSED = cast(Any, None)  # the paths below never reach the store or the broker


def runner() -> StageRunner:
    return StageRunner(
        service="identity",
        stage=Stage.IDENTITY,
        topic="analysis.requested",
        read_model=UNUSED,
        vault=UNUSED,
        broker=UNUSED,
        backoff_seconds=0,
    )


@pytest.mark.parametrize(
    "outage",
    [ServerSelectionTimeoutError("store away"), KafkaConnectionError("broker away")],
    ids=["store", "broker"],
)
async def test_an_outage_is_raised_after_one_try_not_dead_lettered(outage: Exception) -> None:
    calls = 0

    async def work() -> None:
        nonlocal calls
        calls += 1
        raise outage

    with pytest.raises(type(outage)):
        await runner()._attempt("an_1", work)
    assert calls == 1


async def test_the_messages_own_failure_is_retried_then_reported() -> None:
    calls = 0

    async def work() -> None:
        nonlocal calls
        calls += 1
        raise ValueError("bad input")

    error = await runner()._attempt("an_1", work)

    assert calls == 3
    assert error is not None
    assert error.code == "stage_error"
