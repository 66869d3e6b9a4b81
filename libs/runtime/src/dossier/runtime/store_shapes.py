"""What a MongoDB command asks of the store, with every value redacted, and whether
FerretDB 1.24 on SQLite answers it from one row or by decoding the whole collection.

FerretDB's SQLite backend turns a filter into SQL only when the filter is exactly
`{_id: <string|ObjectId>}` (internal/backends/sqlite/collection.go, `Query` and
`Explain`); anything else reads and decodes every document, then filters in Go.
Two details decide the edge cases, and both are mirrored here:

- `find` and `aggregate` drop dotted keys from the filter before that test (their
  handlers run with nested pushdown off), so `{_id: "a", "x.y": 1}` is pushed down
  for them; `update`, `delete`, `findAndModify`, `count` and `distinct` hand the filter
  over whole, so for them it is not.
- A `find` with no filter, sort or skip passes its limit to SQL: a bounded read.

`tests/integration/runtime/test_store_shapes.py` holds this module to the server's own
`explain`, so the two cannot drift apart.
"""

import datetime as dt
import json
import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from bson import Binary, Decimal128, Int64, ObjectId, Regex, Timestamp

#: The commands that read or write documents; the command log records these.
DATA_COMMANDS = frozenset(
    {"find", "update", "delete", "findAndModify", "aggregate", "count", "distinct", "insert"}
)
#: Commands whose filter reaches the backend with its dotted keys still in it.
_WHOLE_FILTER_COMMANDS = frozenset({"update", "delete", "findAndModify", "count", "distinct"})

_MARKERS: tuple[tuple[type | tuple[type, ...], str], ...] = (
    (bool, "<bool>"),  # before int: bool is an int
    ((int, Int64), "<int>"),
    (float, "<float>"),
    (str, "<str>"),
    (ObjectId, "<oid>"),
    (dt.datetime, "<date>"),
    (uuid.UUID, "<uuid>"),
    ((bytes, Binary), "<bin>"),
    ((Regex, re.Pattern), "<regex>"),
    ((Decimal128, Decimal), "<decimal>"),
    (Timestamp, "<timestamp>"),
)
_REPRESENTATIVES: dict[str, Any] = {
    "<bool>": True,
    "<int>": 1,
    "<float>": 1.5,
    "<str>": "x",
    "<oid>": ObjectId("000000000000000000000001"),
    "<date>": dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    "<uuid>": Binary.from_uuid(uuid.UUID(int=1)),
    "<bin>": Binary(b"x"),
    "<regex>": Regex("x"),
    "<decimal>": Decimal128("1"),
    "<timestamp>": Timestamp(1, 1),
    "<null>": None,
}


def redact(value: Any) -> Any:
    """The shape of `value`: field names and operators kept, every value a type marker.

    Lists collapse to their distinct element shapes, so `$in` over 3 or 300 ids has one shape.
    """
    if isinstance(value, Mapping):
        return {str(k): redact(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        shapes: dict[str, Any] = {}
        for item in value:
            shape = redact(item)
            shapes.setdefault(json.dumps(shape, sort_keys=True), shape)
        return list(shapes.values())
    if value is None:
        return "<null>"
    for kind, marker in _MARKERS:
        if isinstance(value, kind):
            return marker
    return f"<{type(value).__name__}>"


def representative(shape: Any) -> Any:
    """A concrete value of the shape `redact` gave: what a server can be asked about."""
    if isinstance(shape, Mapping):
        return {k: representative(v) for k, v in shape.items()}
    if isinstance(shape, list):
        return [representative(v) for v in shape]
    if isinstance(shape, str):
        return _REPRESENTATIVES.get(shape, "x")
    return shape


def sort_spec(sort: Any) -> Any:
    """A sort document as sent (field names and directions are code, not data)."""
    if not isinstance(sort, Mapping):
        return None if sort is None else redact(sort)
    return {str(k): v if isinstance(v, int) else redact(v) for k, v in sort.items()}


def filter_is_pushed_down(filter: Mapping[str, Any] | None, *, command: str = "find") -> bool:
    """True when FerretDB (SQLite) reads one row by `_id` for this filter, not the collection."""
    if not filter:
        return False
    if command not in _WHOLE_FILTER_COMMANDS:
        filter = {k: v for k, v in filter.items() if "." not in k}
    if len(filter) != 1 or "_id" not in filter:
        return False
    return isinstance(filter["_id"], str | ObjectId)


def limit_is_pushed_down(
    filter: Mapping[str, Any] | None, sort: Mapping[str, Any] | None, skip: int, limit: int
) -> bool:
    """True when a `find` hands its limit to SQL: no filter, no sort, no skip."""
    return bool(limit) and not filter and not sort and not skip


def pipeline_pushdown_filter(pipeline: Sequence[Any]) -> Mapping[str, Any] | None:
    """The `$match` FerretDB lifts from a pipeline's first two stages (aggregations/pushdown.go)."""
    match: Mapping[str, Any] | None = None
    for stage in list(pipeline)[:2]:
        if not isinstance(stage, Mapping):
            return None
        if "$match" in stage:
            if isinstance(stage["$match"], Mapping) and match is None:
                match = stage["$match"]
        elif "$sort" not in stage:
            return match
    return match


def statement_is_keyed(command: str, statement: Mapping[str, Any]) -> bool:
    """Whether one redacted statement (from `statements`) reads one row or a bounded few."""
    if command == "insert":
        return True
    if command == "aggregate":
        match = pipeline_pushdown_filter(representative(statement.get("pipeline", [])))
        return filter_is_pushed_down(match, command=command)
    filter = representative(statement.get("filter") or {})
    if filter_is_pushed_down(filter, command=command):
        return True
    return command == "find" and limit_is_pushed_down(
        filter,
        statement.get("sort"),
        int(statement.get("skip") or 0),
        int(statement.get("limit") or 0),
    )


def _find(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "filter": redact(doc.get("filter") or {}),
            "sort": sort_spec(doc.get("sort")),
            "skip": int(doc.get("skip") or 0),
            "limit": abs(int(doc.get("limit") or 0)),
        }
    ]


def _update(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "filter": redact(u.get("q") or {}),
            "multi": bool(u.get("multi")),
            "upsert": bool(u.get("upsert")),
        }
        for u in doc.get("updates") or []
    ]


def _delete(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [
        {"filter": redact(d.get("q") or {}), "limit": int(d.get("limit") or 0)}
        for d in doc.get("deletes") or []
    ]


def _find_and_modify(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "filter": redact(doc.get("query") or {}),
            "sort": sort_spec(doc.get("sort")),
            "remove": bool(doc.get("remove")),
            "upsert": bool(doc.get("upsert")),
        }
    ]


def _aggregate(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [{"pipeline": [redact(stage) for stage in doc.get("pipeline") or []]}]


def _count(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [{"filter": redact(doc.get("query") or {}), "limit": int(doc.get("limit") or 0)}]


def _distinct(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [{"filter": redact(doc.get("query") or {}), "key": str(doc.get("key"))}]


_STATEMENTS: dict[str, Callable[[Mapping[str, Any]], list[dict[str, Any]]]] = {
    "find": _find,
    "update": _update,
    "delete": _delete,
    "findAndModify": _find_and_modify,
    "aggregate": _aggregate,
    "count": _count,
    "distinct": _distinct,
}


def statements(command: str, document: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The redacted statements of one data command: each filter (or pipeline) and its flags.

    `update` and `delete` carry one statement per entry of `updates` / `deletes`; `insert`
    has none (it has no filter).
    """
    describe = _STATEMENTS.get(command)
    return describe(document) if describe else []


def explain_request(collection: str, command: str, statement: Mapping[str, Any]) -> dict[str, Any]:
    """The `explain` document that asks the server what it does with this statement.

    `explain` understands `find` and `aggregate`. Other commands are asked as the `find`
    their filter amounts to, with dots in top-level keys swapped out: those commands keep
    dotted keys in the filter they hand the backend (see the module doc), and a key that
    `find` would drop must still count here.
    """
    if command == "aggregate":
        pipeline = representative(statement.get("pipeline", []))
        return {"aggregate": collection, "pipeline": pipeline, "cursor": {}}
    filter = representative(statement.get("filter") or {})
    if command != "find":
        return {
            "find": collection,
            "filter": {k.replace(".", "__dot__"): v for k, v in filter.items()},
        }
    request: dict[str, Any] = {"find": collection, "filter": filter}
    if statement.get("sort"):
        request["sort"] = representative(statement["sort"])
    for option in ("skip", "limit"):
        if statement.get(option):
            request[option] = Int64(statement[option])  # FerretDB's explain wants a long
    return request
