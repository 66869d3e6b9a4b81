"""Is the key that opened a long-lived request still good? Asked again every few seconds.

An event stream outlives the authentication at its start; a key revoked while it
is open must end it. The check goes through the partner repository's cache, so
it costs a store read only when that cache expires (`DOSSIER_AUTH_CACHE_SECONDS`):
a revocation ends the stream at once on the replica that revoked it, and within
the cache window plus `every_seconds` elsewhere.
"""

import time
from collections.abc import Awaitable, Callable

from dossier.gateway.auth.keys import V1_KIND
from dossier.gateway.auth.repository import PartnerRepository


class KeyCheck:
    def __init__(
        self,
        partners: PartnerRepository,
        raw_key: str,
        every_seconds: float,
        *,
        kind: str = V1_KIND,
        clock: Callable[[], float] = time.monotonic,
        check: Callable[[str], Awaitable[bool]] | None = None,
    ) -> None:
        """`check` replaces the key lookup for credentials that are not keys (widget tokens:
        signature, expiry and the issuing key)."""
        self._partners, self._raw, self._kind, self._check = partners, raw_key, kind, check
        self._every, self._clock = every_seconds, clock
        self._checked_at = clock()

    async def __call__(self) -> bool:
        """False once the key is revoked (or gone); checks at most every `every_seconds`."""
        now = self._clock()
        if now - self._checked_at < self._every:
            return True
        self._checked_at = now
        if self._check is not None:
            return await self._check(self._raw)
        return await self._partners.authenticate(self._raw, kind=self._kind) is not None
