"""The sender against real loopback HTTP servers that misbehave: one attempt never outlasts
its deadline, however the endpoint trickles; a body is read only up to the cap."""

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
import pytest_asyncio

from dossier.runtime.ssrf import Allowlist
from dossier.webhooks.adapters.sender import WebhookSender

pytestmark = pytest.mark.integration

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


async def _read_request(reader: asyncio.StreamReader) -> None:
    length = 0
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode().partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)
    await reader.readexactly(length)


async def _trickle_headers(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Slow loris: a header byte every 0.3 s, for up to 30 s."""
    await _read_request(reader)
    try:
        for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"z" * 100:
            writer.write(bytes([byte]))
            await writer.drain()
            await asyncio.sleep(0.3)
    except ConnectionError:
        pass
    writer.close()


async def _trickle_body(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """A 200 at once, then a body that never ends (a chunk every 0.3 s)."""
    await _read_request(reader)
    writer.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
    try:
        for _ in range(100):
            writer.write(b"1\r\nz\r\n")
            await writer.drain()
            await asyncio.sleep(0.3)
    except ConnectionError:
        pass
    writer.close()


HUGE = 256 * 1024 * 1024
#: Bytes of the huge body the client took before hanging up.
huge_body_sent: list[int] = []


async def _huge_body(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """A 200 with a 256 MiB body, sent as fast as the client reads it."""
    await _read_request(reader)
    writer.write(f"HTTP/1.1 200 OK\r\nContent-Length: {HUGE}\r\nConnection: close\r\n\r\n".encode())
    chunk, sent = b"z" * 65_536, 0
    try:
        while sent < HUGE:
            writer.write(chunk)
            await writer.drain()
            sent += len(chunk)
    except ConnectionError:
        pass
    huge_body_sent.append(sent)
    writer.close()


async def _throttled(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await _read_request(reader)
    writer.write(
        b"HTTP/1.1 429 Too Many Requests\r\nRetry-After: 120\r\n"
        b"Content-Length: 0\r\nConnection: close\r\n\r\n"
    )
    await writer.drain()
    writer.close()


@pytest_asyncio.fixture(loop_scope="session")
async def serve() -> AsyncIterator[Callable[[Handler], Awaitable[str]]]:
    servers: list[asyncio.Server] = []

    async def start(handler: Handler) -> str:
        server = await asyncio.start_server(handler, "127.0.0.1", 0)
        servers.append(server)
        return f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/hook"

    yield start
    for server in servers:
        server.close()


def _sender(deadline: float) -> WebhookSender:
    return WebhookSender(
        timeout_seconds=5,  # per read: a byte every 0.3 s never trips it
        allowlist=Allowlist.parse("127.0.0.1"),
        deadline_seconds=deadline,
        max_response_bytes=65_536,
    )


async def test_trickled_headers_are_cut_at_the_deadline(
    serve: Callable[[Handler], Awaitable[str]],
) -> None:
    sender = _sender(deadline=1.5)
    started = time.monotonic()

    result = await sender.send(await serve(_trickle_headers), b"{}", {})

    assert result.status_code is None
    assert result.error is not None
    assert result.error.startswith("timeout")
    assert "1.5 s deadline" in result.error
    assert 1.4 <= result.duration_seconds < 10
    assert time.monotonic() - started < 10, "the endpoint would have gone on for 30 s"
    await sender.close()


async def test_a_body_that_never_ends_is_cut_at_the_deadline(
    serve: Callable[[Handler], Awaitable[str]],
) -> None:
    sender = _sender(deadline=1.5)

    result = await sender.send(await serve(_trickle_body), b"{}", {})

    assert result.error is not None
    assert result.error.startswith("timeout")
    assert result.duration_seconds < 10
    await sender.close()


async def test_a_huge_body_is_read_only_up_to_the_cap(
    serve: Callable[[Handler], Awaitable[str]],
) -> None:
    sender = _sender(deadline=20)

    result = await sender.send(await serve(_huge_body), b"{}", {})

    assert (result.status_code, result.error) == (200, None)
    assert result.ok
    await sender.close()

    async def hung_up() -> bool:
        while not huge_body_sent:
            await asyncio.sleep(0.05)
        return True

    await asyncio.wait_for(hung_up(), timeout=10)
    # What the socket buffers took counts too; reading it all would have taken 256 MiB.
    assert huge_body_sent[0] < HUGE // 4


async def test_retry_after_comes_back_with_the_status(
    serve: Callable[[Handler], Awaitable[str]],
) -> None:
    sender = _sender(deadline=5)

    result = await sender.send(await serve(_throttled), b"{}", {})

    assert (result.status_code, result.retry_after) == (429, "120")
    await sender.close()
