"""The legacy API says it is deprecated, on every answer: `Deprecation`, `Sunset`, `Link`.

- `Deprecation: @<unix seconds>` (RFC 9745): when the legacy API was deprecated;
- `Sunset: <HTTP-date>` (RFC 8594): when it stops answering;
- `Link: </docs/migrating-from-legacy.md>; rel="deprecation"` and the same page as
  `rel="sunset"`: where the way out is described.

Pure ASGI on the legacy prefix only, so errors (401, 404, 429…) carry the headers too
and v1 requests pay nothing. The dates come from settings
(`DOSSIER_LEGACY_DEPRECATED_AT`, `DOSSIER_LEGACY_SUNSET_AT`).
"""

from datetime import datetime
from email.utils import format_datetime

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

LEGACY_PREFIX = "/api/partner/"
MIGRATION_GUIDE = "/docs/migrating-from-legacy.md"


def deprecation_headers(deprecated_at: datetime, sunset_at: datetime) -> list[tuple[str, str]]:
    """The three headers (pure: the dates in, header values out)."""
    return [
        ("Deprecation", f"@{int(deprecated_at.timestamp())}"),
        ("Sunset", format_datetime(sunset_at, usegmt=True)),
        ("Link", f'<{MIGRATION_GUIDE}>; rel="deprecation", <{MIGRATION_GUIDE}>; rel="sunset"'),
    ]


class LegacyDeprecationHeaders:
    def __init__(self, app: ASGIApp, deprecated_at: datetime, sunset_at: datetime) -> None:
        self.app = app
        self._headers = [
            (name.lower().encode(), value.encode())
            for name, value in deprecation_headers(deprecated_at, sunset_at)
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(LEGACY_PREFIX):
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *self._headers]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def install_deprecation_headers(app: FastAPI, deprecated_at: datetime, sunset_at: datetime) -> None:
    app.add_middleware(LegacyDeprecationHeaders, deprecated_at=deprecated_at, sunset_at=sunset_at)
