"""Store round trips: as each service counts them, and as FerretDB counts them.

Every service exports `dossier_store_commands_total{service,command,collection}` on its
`/metrics` (the gateway on its HTTP port, consumers on their probe ports). A service
whose code predates the counter simply has no such samples: it reads as `None` ("n/a").

FerretDB's own `ferretdb_client_requests_total{command}` (on its debug address) counts
every command from every client; it cross-checks the services' sum and needs no
cooperation from the code under test. Connection handshakes and heartbeats are left out.
"""

import asyncio
from collections.abc import Mapping
from typing import TypeAlias

import httpx
from prometheus_client.parser import text_string_to_metric_families

METRIC = "dossier_store_commands_total"
FERRETDB_METRIC = "ferretdb_client_requests_total"
ALL_COLLECTIONS = "*"
FERRETDB_COUNT = "all clients (FerretDB's count)"  # its row in the results
#: Driver housekeeping, not round trips the code asked for.
HOUSEKEEPING = frozenset(
    {"hello", "ismaster", "isMaster", "ping", "endSessions", "buildInfo", "saslStart"}
)

#: (command, collection) → count, for one service.
Commands: TypeAlias = dict[tuple[str, str], float]


def parse_store_commands(exposition: str) -> Commands | None:
    """The counter's samples in a Prometheus text exposition; `None` if it has none."""
    counts: Commands = {}
    found = False
    for family in text_string_to_metric_families(exposition):
        # A counter no one has incremented yet is declared (HELP/TYPE) without samples.
        found = found or family.name == METRIC.removesuffix("_total")
        for sample in family.samples:
            if sample.name != METRIC:
                continue
            found = True
            key = (sample.labels.get("command", "?"), sample.labels.get("collection", "?"))
            counts[key] = counts.get(key, 0.0) + sample.value
    return counts if found else None


def parse_ferretdb_commands(exposition: str) -> Commands | None:
    """FerretDB's count of commands received, per command (collection `*`)."""
    counts: Commands = {}
    for family in text_string_to_metric_families(exposition):
        for sample in family.samples:
            command = sample.labels.get("command", "?")
            if sample.name == FERRETDB_METRIC and command not in HOUSEKEEPING:
                key = (command, ALL_COLLECTIONS)
                counts[key] = counts.get(key, 0.0) + sample.value
    return counts or None


async def scrape(
    urls: Mapping[str, str], ferretdb_url: str | None = None
) -> dict[str, Commands | None]:
    """Each service's counters now (and FerretDB's); a silent endpoint reads as `None`."""

    async def one(client: httpx.AsyncClient, url: str) -> str | None:
        try:
            response = await client.get(url)
            response.raise_for_status()
        except httpx.HTTPError:
            return None
        return response.text

    async with httpx.AsyncClient(timeout=10) as client:
        texts = await asyncio.gather(*(one(client, url) for url in urls.values()))
        store = await one(client, ferretdb_url) if ferretdb_url else None
    results = {
        name: None if text is None else parse_store_commands(text)
        for name, text in zip(urls, texts, strict=True)
    }
    if ferretdb_url:
        results[FERRETDB_COUNT] = None if store is None else parse_ferretdb_commands(store)
    return results


def commands_between(
    before: Mapping[str, Commands | None], after: Mapping[str, Commands | None]
) -> dict[str, Commands | None]:
    """Per service, what was counted in between; `None` where either side lacks the metric."""
    delta: dict[str, Commands | None] = {}
    for service, counts in after.items():
        earlier = before.get(service)
        if counts is None or earlier is None:
            delta[service] = None
            continue
        delta[service] = {
            key: value - earlier.get(key, 0.0)
            for key, value in counts.items()
            if value - earlier.get(key, 0.0) > 0
        }
    return delta


def nested(counts: Commands | None) -> dict[str, dict[str, float]] | None:
    """command → collection → count (what the JSON results hold)."""
    if counts is None:
        return None
    tree: dict[str, dict[str, float]] = {}
    for (command, collection), value in sorted(counts.items()):
        tree.setdefault(command, {})[collection] = value
    return tree
