"""Server-Sent Events: lines in, messages out (the WHATWG parsing rules we need)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class SseMessage:
    event: str | None
    data: str
    id: str | None
    retry: int | None


class SseDecoder:
    """Feed lines one at a time; a blank line completes a message."""

    def __init__(self) -> None:
        self._event: str | None = None
        self._data: list[str] = []
        self._id: str | None = None
        self._retry: int | None = None

    def feed(self, line: str) -> SseMessage | None:
        line = line.rstrip("\r\n")
        if not line:
            return self._dispatch()
        if line.startswith(":"):
            return None  # a comment (keepalive)
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "event":
            self._event = value
        elif name == "data":
            self._data.append(value)
        elif name == "id" and "\0" not in value:
            self._id = value
        elif name == "retry" and value.isdigit():
            self._retry = int(value)
        return None

    def _dispatch(self) -> SseMessage | None:
        if not self._data and self._retry is None and self._id is None:
            self._event = None
            return None
        message = SseMessage(self._event, "\n".join(self._data), self._id, self._retry)
        self._event, self._data, self._id, self._retry = None, [], None, None
        return message


def iter_messages(lines: Iterable[str]) -> Iterator[SseMessage]:
    decoder = SseDecoder()
    for line in lines:
        message = decoder.feed(line)
        if message is not None:
            yield message


async def aiter_messages(lines: AsyncIterator[str]) -> AsyncIterator[SseMessage]:
    decoder = SseDecoder()
    async for line in lines:
        message = decoder.feed(line)
        if message is not None:
            yield message
