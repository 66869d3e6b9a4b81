"""Every MongoDB index Dossier needs, in one place, with the reason it exists.

Request and message paths read and write by `_id` only, so they need no
secondary index at all. What remains:

- unique indexes that decide a race or keep data consistent (always created);
- indexes for background jobs that select by another field (sweepers, expiry,
  erasure's catch-all). Real MongoDB serves those from the index. FerretDB on
  SQLite cannot use a secondary index for any query (it pushes down only
  `{_id: …}`) yet maintains it on every write, so they are created only where
  the server can use them (`apply_indexes(..., secondary=False)` on FerretDB).

The Helm chart (a pre-install/pre-upgrade Job) and docker-compose (a one-shot
service) run `dossier indexes apply`; `docs/indexes.md` is rendered from this
list (`dossier indexes list`) and a test keeps it current.
"""

from dataclasses import dataclass
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from dossier.runtime.collections import (
    IDEMPOTENCY,
    INFLIGHT,
    PARTNERS,
    RATE_LIMITS,
    SOURCE_CACHE,
)
from dossier.runtime.mongo import Document


@dataclass(frozen=True)
class IndexSpec:
    collection: str
    keys: tuple[tuple[str, int], ...]
    reason: str
    unique: bool = False
    expire_after_seconds: int | None = None

    @property
    def name(self) -> str:
        return "_".join(f"{field}_{direction}" for field, direction in self.keys)

    @property
    def needed_by_ferretdb(self) -> bool:
        """Unique indexes decide races on any server; the rest only speed up real MongoDB."""
        return self.unique


INDEXES: tuple[IndexSpec, ...] = (
    IndexSpec(
        PARTNERS,
        (("platform_id", 1),),
        "two partners never share a platform id (legacy API authentication)",
        unique=True,
    ),
    IndexSpec(
        INFLIGHT,
        (("published", 1), ("created_at", 1)),
        "outbox sweeper: accepted analyses not yet published",
    ),
    IndexSpec(INFLIGHT, (("created_at", 1),), "timeout sweeper: undecided analyses by age"),
    IndexSpec(
        RATE_LIMITS,
        (("expires_at", 1),),
        "expired rate-limit slots (TTL on MongoDB; a sweep elsewhere)",
        expire_after_seconds=0,
    ),
    IndexSpec(
        IDEMPOTENCY,
        (("expires_at", 1),),
        "expired idempotency records (TTL on MongoDB; replaced on next use elsewhere)",
        expire_after_seconds=0,
    ),
    IndexSpec(SOURCE_CACHE, (("expires_at", 1),), "purge of expired source answers"),
    IndexSpec(SOURCE_CACHE, (("candidate", 1),), "erasure: every cached answer about a person"),
)


async def is_ferretdb(db: AsyncDatabase[Document]) -> bool:
    info = await db.client.admin.command("buildInfo")
    return "ferretdbVersion" in info


async def apply_indexes(
    db: AsyncDatabase[Document], *, secondary: bool, specs: tuple[IndexSpec, ...] = INDEXES
) -> list[str]:
    """Create the listed indexes (idempotent). `secondary=False`: the unique ones only."""
    created = []
    for spec in specs:
        if not (secondary or spec.needed_by_ferretdb):
            continue
        options: dict[str, Any] = {"name": spec.name}
        if spec.unique:
            options["unique"] = True
        if spec.expire_after_seconds is not None:
            options["expireAfterSeconds"] = spec.expire_after_seconds
        await db[spec.collection].create_index(list(spec.keys), session=None, **options)
        created.append(f"{spec.collection}.{spec.name}")
    return created


async def apply_for_server(db: AsyncDatabase[Document]) -> list[str]:
    """Every index on MongoDB; only those that keep data consistent on FerretDB."""
    return await apply_indexes(db, secondary=not await is_ferretdb(db))


def markdown_table(specs: tuple[IndexSpec, ...] = INDEXES) -> str:
    lines = [
        "| collection | keys | options | why |",
        "| --- | --- | --- | --- |",
    ]
    for spec in specs:
        keys = ", ".join(f"`{field}: {direction}`" for field, direction in spec.keys)
        options = ", ".join(
            part
            for part in (
                "unique" if spec.unique else "",
                f"TTL {spec.expire_after_seconds} s"
                if spec.expire_after_seconds is not None
                else "",
            )
            if part
        )
        lines.append(f"| `{spec.collection}` | {keys} | {options or '—'} | {spec.reason} |")
    return "\n".join(lines) + "\n"
