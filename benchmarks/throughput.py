"""Closed-loop GET throughput: N keep-alive connections, each sending its next request as
soon as the previous answer is read, for a fixed time.

A hand-rolled HTTP/1.1 client on asyncio streams: it formats the request once and
parses only the status line and the body framing, so the load generator spends a small
fraction of the CPU the servers do (httpx would cost about as much as a bare server).
"""

import asyncio
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from benchmarks.stats import Latency


@dataclass(frozen=True)
class Throughput:
    requests_per_second: float
    latency: Latency | None  # of 200 answers
    statuses: dict[int, int]
    seconds: float  # the measured window (after warm-up)
    sent: int  # every request, warm-up included (for CPU per request over the whole run)


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one response; returns (status, whether the server will close the connection)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)  # the chunk and its CRLF
            if size == 0:
                break
    return status, headers.get("connection", "").lower() == "close"


def format_request(url: str, headers: Mapping[str, str]) -> tuple[str, int, bytes]:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}:{port}", "Accept: application/json"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return host, port, ("\r\n".join(lines) + "\r\n\r\n").encode()


async def closed_loop(
    url: str,
    headers: Mapping[str, str] | None = None,
    *,
    clients: int = 32,
    seconds: float = 15.0,
    warmup: float = 2.0,
) -> Throughput:
    """Drive `url` with `clients` connections; count what completes in the `seconds` after
    `warmup` (completions, not sends: a slow server's answers may take most of the window)."""
    host, port, request = format_request(url, headers or {})
    statuses: Counter[int] = Counter()
    latencies: list[float] = []
    sent_total = 0
    measure_from = time.perf_counter() + warmup
    end = measure_from + seconds

    async def client() -> None:
        nonlocal sent_total
        reader, writer = await asyncio.open_connection(host, port)
        try:
            while time.perf_counter() < end:
                sent = time.perf_counter()
                writer.write(request)
                try:
                    status, closing = await read_response(reader)
                except (asyncio.IncompleteReadError, ConnectionError):
                    status, closing = 0, True
                done = time.perf_counter()
                sent_total += 1
                if measure_from <= done <= end:
                    statuses[status] += 1
                    if status == 200:
                        latencies.append(done - sent)
                if closing:
                    writer.close()
                    reader, writer = await asyncio.open_connection(host, port)
        finally:
            writer.close()

    await asyncio.gather(*(client() for _ in range(clients)))
    total = sum(statuses.values())
    return Throughput(
        total / seconds, Latency.of(latencies), dict(sorted(statuses.items())), seconds, sent_total
    )
