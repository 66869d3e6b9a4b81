"""Every MongoDB index Dossier needs, in one place, with the reason it exists.

Request and message paths read and write by `_id` only, so they need no
secondary index at all. What remains:

- unique indexes that decide a race or keep data consistent (always created);
- indexes for background jobs that select by another field (sweepers, expiry,
  erasure's catch-all). Real MongoDB serves those from the index. FerretDB on
  SQLite cannot use a secondary index for any query (it pushes down only
  `{_id: …}`) yet maintains it on every write, so they are created only where
  the server can use them (`apply_indexes(..., secondary=False)` on FerretDB).

Nothing else in the code creates an index. The gateway applies this list at
startup (`apply_for_server`); the Helm chart (a pre-install/pre-upgrade Job) and
docker-compose (a one-shot service) run `dossier indexes apply` before the
services start. `docs/indexes.md` is rendered from it
(`dossier indexes list --markdown`) and a test keeps it current.
"""

from dataclasses import dataclass
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import OperationFailure

from dossier.runtime.collections import (
    FINALISATIONS,
    IDEMPOTENCY,
    INFLIGHT,
    PARTNERS,
    RATE_LIMITS,
    SOURCE_CACHE,
    WEBHOOK_PENDING,
)
from dossier.runtime.mongo import Document

#: The server's answer to an index option it does not implement (FerretDB: `expireAfterSeconds`).
NOT_IMPLEMENTED = 238


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
        "outbox sweeper (gateway): accepted analyses not yet published",
    ),
    IndexSpec(
        INFLIGHT,
        (("created_at", 1),),
        "timeout sweeper (gateway): unfinished analyses by age",
    ),
    IndexSpec(
        FINALISATIONS,
        (("since", 1),),
        "finaliser (gateway sweeper): terminal analyses whose key shredding or terminal "
        "event was left undone by a process that died",
    ),
    IndexSpec(
        WEBHOOK_PENDING,
        (("next_attempt_at", 1),),
        "delivery loop (webhooks): due deliveries, earliest first",
    ),
    IndexSpec(
        RATE_LIMITS,
        (("expires_at", 1),),
        "expired rate-limit slots: TTL on MongoDB; the gateway's sweep deletes them everywhere",
        expire_after_seconds=0,
    ),
    IndexSpec(
        IDEMPOTENCY,
        (("expires_at", 1),),
        "expired idempotency records: TTL on MongoDB; elsewhere replaced on the key's next use",
        expire_after_seconds=0,
    ),
    IndexSpec(
        SOURCE_CACHE,
        (("expires_at", 1),),
        "expired source answers (data about people): TTL on MongoDB; elsewhere never read "
        "once expired, and replaced on the next lookup",
        expire_after_seconds=0,
    ),
    IndexSpec(
        SOURCE_CACHE,
        (("candidate", 1),),
        "erasure's background sweep: every cached answer about a person",
    ),
)


async def is_ferretdb(db: AsyncDatabase[Document]) -> bool:
    info = await db.client.admin.command("buildInfo")
    return "ferretdbVersion" in info


async def apply_indexes(
    db: AsyncDatabase[Document], *, secondary: bool, specs: tuple[IndexSpec, ...] = INDEXES
) -> list[str]:
    """Create the listed indexes (idempotent). `secondary=False`: the unique ones only.

    Returns `<collection>.<index>` for each, noting a TTL the server refused (FerretDB has
    none): that index is created without it, and expiry is left to the code's own sweeps.
    """
    created = []
    for spec in specs:
        if not (secondary or spec.needed_by_ferretdb):
            continue
        label = f"{spec.collection}.{spec.name}"
        if not await _create(db[spec.collection], spec, ttl=True):
            label += " (no TTL on this server)"
        created.append(label)
    return created


async def _create(collection: AsyncCollection[Document], spec: IndexSpec, *, ttl: bool) -> bool:
    """Create one index; False when the server refused its TTL and it was created without."""
    options: dict[str, Any] = {"name": spec.name}
    if spec.unique:
        options["unique"] = True
    if ttl and spec.expire_after_seconds is not None:
        options["expireAfterSeconds"] = spec.expire_after_seconds
    try:
        await collection.create_index(list(spec.keys), session=None, **options)
    except OperationFailure as error:
        if "expireAfterSeconds" not in options or error.code != NOT_IMPLEMENTED:
            raise
        await _create(collection, spec, ttl=False)
        return False
    return True


async def apply_for_server(db: AsyncDatabase[Document]) -> list[str]:
    """Every index on MongoDB; only those that keep data consistent on FerretDB."""
    return await apply_indexes(db, secondary=not await is_ferretdb(db))


async def unlisted_indexes(
    db: AsyncDatabase[Document], specs: tuple[IndexSpec, ...] = INDEXES
) -> list[str]:
    """`<collection>.<index>` of every index on the server that is not in the list (such as
    one an earlier version created). Nothing drops them: that is the operator's call."""
    listed = {(spec.collection, spec.name) for spec in specs}
    found = []
    for collection in sorted(await db.list_collection_names()):
        if collection.startswith("system."):
            continue
        async for index in await db[collection].list_indexes():
            name = str(index["name"])
            if name != "_id_" and (collection, name) not in listed:
                found.append(f"{collection}.{name}")
    return found


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


DOCUMENT_INTRO = """\
# MongoDB indexes

Every request and message path reads and writes by `_id` ([storage.md](storage.md)), so
the `_id` index serves them all. The indexes below are the only others: uniqueness that
keeps data consistent, expiry (TTL), and background jobs that select by another field.
They are defined in one place, `libs/runtime/src/dossier/runtime/indexes.py`; nothing
else in the code creates an index.

Where they are created:

- the gateway, at startup;
- `dossier indexes apply` (the operator CLI): a pre-install/pre-upgrade Job of the Helm
  chart (`indexes.create`), and the one-shot `indexes` service of docker-compose that the
  services wait for. `--all` also creates the secondary ones on FerretDB.

On MongoDB every index is created. On FerretDB (SQLite, development and CI) only the
unique ones are: it serves a query from the primary key only, so a secondary index
would never be used yet cost every write. FerretDB has no TTL indexes either; expired
documents are handled by the code as the table says. `dossier indexes apply` also names
indexes on the server that are not in this list (an earlier version's); it drops none.

This page is generated: `dossier indexes list --markdown > docs/indexes.md`.

"""


def markdown_document(specs: tuple[IndexSpec, ...] = INDEXES) -> str:
    """`docs/indexes.md`: the introduction above, then the table."""
    return DOCUMENT_INTRO + markdown_table(specs)
