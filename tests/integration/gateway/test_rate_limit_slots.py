"""Rate-limit slots on a real FerretDB: replicas share a window's budget without exceeding it."""

import asyncio
import time

from pymongo.asynchronous.database import AsyncDatabase

from dossier.gateway.ratelimit.limiter import Window, block_size
from dossier.gateway.ratelimit.repository import RateLimitRepository


async def test_two_replicas_never_admit_more_than_the_limit(
    mongo_db: AsyncDatabase[dict[str, object]],
) -> None:
    limit = 300  # blocks of 6
    window = Window("m", 60, limit, int(time.time() // 60))
    replicas = [RateLimitRepository(mongo_db), RateLimitRepository(mongo_db)]

    taken = await asyncio.gather(*(replicas[i % 2].take(window, "ptn_x:live") for i in range(400)))

    admitted = [n for n in taken if n is not None]
    assert len(admitted) <= limit
    assert len(admitted) == len(set(admitted))  # no slot given out twice
    assert len(admitted) >= limit - 2 * (block_size(limit) - 1)  # at most a block lost per replica
    assert await mongo_db["rate_limit_slots"].count_documents({}) <= limit // block_size(limit)


async def test_a_block_admits_many_requests_with_one_write(
    mongo_db: AsyncDatabase[dict[str, object]],
) -> None:
    window = Window("h", 3600, 18_000, int(time.time() // 3600))
    repository = RateLimitRepository(mongo_db)

    for _ in range(50):
        assert await repository.take(window, "ptn_y:live") is not None

    assert await mongo_db["rate_limit_slots"].count_documents({}) == 1
