"""Who may start an attempt now: a cap on attempts in flight, overall, per partner and per
endpoint, so a slow endpoint holds only its own slots and one partner never all of them.

Pure bookkeeping for one dispatcher process; no I/O. The dispatcher takes a slot before
it starts an attempt and gives it back when the attempt ends, however it ends.
"""

from collections import Counter
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Flight:
    """One attempt in flight: its delivery, and whose slots it holds."""

    delivery_id: str
    partner_id: str
    webhook_id: str


@dataclass
class Slots:
    total: int
    per_partner: int
    per_endpoint: int
    _flights: dict[str, Flight] = field(default_factory=dict)
    _partners: Counter[str] = field(default_factory=Counter)
    _endpoints: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        if min(self.total, self.per_partner, self.per_endpoint) < 1:
            msg = "every in-flight cap must be at least 1"
            raise ValueError(msg)

    @property
    def free(self) -> int:
        return self.total - len(self._flights)

    def in_flight(self) -> list[str]:
        """Deliveries with an attempt running here."""
        return list(self._flights)

    def full_partners(self) -> list[str]:
        """Partners at their cap: the next look for due work can leave them out."""
        return [p for p, n in self._partners.items() if n >= self.per_partner]

    def full_endpoints(self) -> list[str]:
        return [w for w, n in self._endpoints.items() if n >= self.per_endpoint]

    def take(self, flight: Flight) -> bool:
        """Hold a slot for this attempt, if every cap allows. False: leave it for later."""
        if (
            self.free < 1
            or flight.delivery_id in self._flights
            or self._partners[flight.partner_id] >= self.per_partner
            or self._endpoints[flight.webhook_id] >= self.per_endpoint
        ):
            return False
        self._flights[flight.delivery_id] = flight
        self._partners[flight.partner_id] += 1
        self._endpoints[flight.webhook_id] += 1
        return True

    def release(self, delivery_id: str) -> None:
        flight = self._flights.pop(delivery_id, None)
        if flight is None:
            return
        self._partners[flight.partner_id] -= 1
        if not self._partners[flight.partner_id]:
            del self._partners[flight.partner_id]
        self._endpoints[flight.webhook_id] -= 1
        if not self._endpoints[flight.webhook_id]:
            del self._endpoints[flight.webhook_id]
