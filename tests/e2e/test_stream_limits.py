"""Event streams end when their key is revoked, and a partner holds a bounded number of them."""

import asyncio
import time

import httpx

from dossier.devstack.stack import LocalStack
from tests.e2e.conftest import Providers, create_partner
from tests.e2e.helpers import TERMINAL, service_env
from tests.e2e.test_keys import as_key, mint
from tests.e2e.test_live_progress import create, read_stream

#: The gateway re-checks an open stream's key this often (DOSSIER_EVENTS_KEY_CHECK_SECONDS).
KEY_CHECK_SECONDS = 2.0


async def test_revoking_a_key_ends_its_open_streams(
    api: httpx.AsyncClient, gateway_url: str, providers: Providers
) -> None:
    providers.control(delay=3.0)  # the analysis outlives the revocation by far
    try:
        created = (await mint(api, ["analyses:read"])).json()
        analysis_id = await create(api)
        async with as_key(gateway_url, created["key"]) as follower:
            stream = asyncio.create_task(read_stream(follower, analysis_id, timeout=60))
            await asyncio.sleep(1.0)  # the stream is open and has sent its first events
            revoked = await api.delete(f"/api/v1/keys/{created['id']}")
            revoked_at = time.monotonic()
            ended = await stream
            ended_after = time.monotonic() - revoked_at
        still = (await api.get(f"/api/v1/analyses/{analysis_id}")).json()
        await api.delete(f"/api/v1/analyses/{analysis_id}")  # leave nothing running behind
    finally:
        providers.control(delay=0)

    assert revoked.status_code == 200
    assert ended.status == 200
    assert ended.closed_by_server
    assert ended_after <= KEY_CHECK_SECONDS + 5
    assert not {m.event for m in ended.events} & TERMINAL, "ended by the revocation"
    assert still["status"] not in TERMINAL


async def test_a_partner_holds_at_most_the_cap_of_open_streams(
    stack: LocalStack, gateway_url: str, providers: Providers
) -> None:
    partner = create_partner(stack, "Streams cap")
    other = create_partner(stack, "Streams elsewhere")
    providers.control(delay=3.0)
    try:
        with service_env(stack, "gateway", {"DOSSIER_EVENTS_MAX_STREAMS_PER_PARTNER": "2"}):
            async with (
                as_key(gateway_url, partner["api_key"]) as client,
                as_key(gateway_url, other["api_key"]) as elsewhere,
            ):
                ids = [await create(client) for _ in range(3)]
                held = [
                    asyncio.create_task(read_stream(client, i, stop_after=1000, timeout=60))
                    for i in ids[:2]
                ]
                await asyncio.sleep(1.5)
                refused = await client.get(f"/api/v1/analyses/{ids[2]}/events")
                foreign_id = await create(elsewhere)
                foreign = asyncio.create_task(
                    read_stream(elsewhere, foreign_id, stop_after=1, timeout=60)
                )
                for task in held:
                    task.cancel()
                await asyncio.gather(*held, return_exceptions=True)
                await asyncio.sleep(0.5)
                freed = await read_stream(client, ids[2], stop_after=1, timeout=60)
                other_partner = await foreign
                for analysis_id in ids:  # leave nothing running behind
                    await client.delete(f"/api/v1/analyses/{analysis_id}")
                await elsewhere.delete(f"/api/v1/analyses/{foreign_id}")
    finally:
        providers.control(delay=0)

    assert refused.status_code == 429
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["type"].endswith("/too-many-streams")
    assert int(refused.headers["Retry-After"]) >= 1
    assert freed.status == 200, "closing a stream gives its slot back"
    assert other_partner.status == 200, "another partner has its own streams"
