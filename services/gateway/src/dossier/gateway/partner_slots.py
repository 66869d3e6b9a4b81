"""Per-partner caps on long-held requests in one gateway process (pure bookkeeping, no I/O).

Waiting legacy POSTs and open event streams each hold a connection and poll the
store; a cap per partner keeps one partner from holding every connection a
replica can serve. The caps are per process: a deployment's total is the cap
times its gateway replicas.
"""

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from starlette.requests import Request


class PartnerSlots:
    """At most `per_partner` held slots for each partner."""

    def __init__(self, per_partner: int) -> None:
        self._held: Counter[str] = Counter()
        self.per_partner = per_partner

    def held(self, partner_id: str) -> int:
        return self._held[partner_id]

    @contextmanager
    def slot(self, partner_id: str) -> Iterator[bool]:
        """Yields whether a slot was free (and is now held until the block ends)."""
        if self._held[partner_id] >= self.per_partner:
            yield False
            return
        self._held[partner_id] += 1
        try:
            yield True
        finally:
            self._held[partner_id] -= 1
            if not self._held[partner_id]:
                del self._held[partner_id]


def partner_slots(request: Request, name: str, per_partner: int) -> PartnerSlots:
    """The process's slots called `name` (created on first use)."""
    registry: dict[str, PartnerSlots] | None = getattr(request.app.state, "partner_slots", None)
    if registry is None:
        registry = request.app.state.partner_slots = {}
    if name not in registry:
        registry[name] = PartnerSlots(per_partner)
    return registry[name]
