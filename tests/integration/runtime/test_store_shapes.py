"""The pushdown classifier agrees with the server's own `explain`, filter by filter, so it can
never drift from what FerretDB actually does (on real MongoDB `explain` has no
`filterPushdown`; these tests only mean something on FerretDB, and skip elsewhere)."""

import datetime as dt
from typing import Any

import pytest
from bson import Int64, ObjectId, Regex

from dossier.runtime.store_shapes import (
    explain_request,
    filter_is_pushed_down,
    limit_is_pushed_down,
    pipeline_pushdown_filter,
    redact,
    statement_is_keyed,
    statements,
)

pytestmark = pytest.mark.integration

OID = ObjectId()
NOW = dt.datetime.now(dt.UTC)

#: (filter, pushed down on FerretDB 1.24 SQLite)
FILTERS: list[tuple[dict[str, Any], bool]] = [
    ({"_id": "an_1"}, True),
    ({"_id": OID}, True),
    ({"_id": "an_1", "nested.field": 1}, True),  # `find` drops dotted keys before pushdown
    ({}, False),
    ({"_id": 1}, False),
    ({"_id": 1.5}, False),
    ({"_id": None}, False),
    ({"_id": NOW}, False),
    ({"_id": True}, False),
    ({"_id": {"k": "v"}}, False),
    ({"_id": ["a"]}, False),
    ({"_id": {"$eq": "an_1"}}, False),
    ({"_id": {"$in": ["an_1", "an_2"]}}, False),
    ({"_id": {"$regex": "^p_1:"}}, False),
    ({"_id": Regex("^p_1:")}, False),
    ({"_id": "an_1", "partner_id": "p_1"}, False),
    ({"partner_id": "p_1", "_id": "an_1"}, False),
    ({"_id": "an_1", "$comment": "why"}, False),
    ({"partner_id": "p_1"}, False),
    ({"_id.part": "x"}, False),
    ({"nested.field": "x"}, False),
    ({"$and": [{"_id": "an_1"}]}, False),
    ({"$or": [{"_id": "an_1"}, {"_id": "an_2"}]}, False),
    ({"status": {"$ne": "done"}}, False),
    ({"expires_at": {"$lt": NOW}}, False),
]

#: (pipeline, its $match pushed down)
PIPELINES: list[tuple[list[dict[str, Any]], bool]] = [
    ([{"$match": {"_id": "an_1"}}], True),
    ([{"$match": {"_id": "an_1"}}, {"$group": {"_id": None, "n": {"$sum": 1}}}], True),
    ([{"$sort": {"at": 1}}, {"$match": {"_id": "an_1"}}], True),
    ([{"$match": {"_id": "an_1", "x.y": 2}}], True),
    ([{"$match": {"_id": "an_1", "partner_id": "p"}}], False),
    ([{"$match": {"partner_id": "p"}}, {"$group": {"_id": "$k", "n": {"$sum": 1}}}], False),
    ([{"$group": {"_id": None, "n": {"$sum": 1}}}], False),
    ([{"$project": {"a": 1}}, {"$match": {"_id": "an_1"}}], False),
    ([{"$sort": {"a": 1}}, {"$project": {"a": 1}}, {"$match": {"_id": "an_1"}}], False),
    ([{"$sort": {"a": 1}}, {"$sort": {"b": 1}}, {"$match": {"_id": "an_1"}}], False),
    ([], False),
]

#: (filter, sort, skip, limit, limit pushed down)
LIMITS: list[tuple[dict[str, Any], dict[str, int] | None, int, int, bool]] = [
    ({}, None, 0, 1, True),
    ({}, None, 0, 0, False),
    ({}, {"created_at": -1}, 0, 1, False),
    ({}, None, 5, 1, False),
    ({"partner_id": "p"}, None, 0, 1, False),
    ({"_id": "an_1"}, None, 0, 1, False),
]


async def explain(db: Any, request: dict[str, Any]) -> dict[str, Any]:
    answer: dict[str, Any] = await db.command("explain", request)
    assert "filterPushdown" in answer, (
        "these checks read FerretDB's own pushdown verdict: run them on FerretDB "
        "(the dev/CI store), not MongoDB"
    )
    return answer


@pytest.fixture
async def coll(mongo_db: Any) -> str:
    """A collection that exists: FerretDB explains nothing about a missing one."""
    await mongo_db.things.insert_one({"_id": "an_1", "partner_id": "p_1"})
    return "things"


@pytest.mark.parametrize(("filter", "expected"), FILTERS, ids=repr)
async def test_filter_classifier_matches_find_explain(
    mongo_db: Any, coll: str, filter: dict[str, Any], expected: bool
) -> None:
    answer = await explain(mongo_db, {"find": coll, "filter": filter})
    assert answer["filterPushdown"] is expected
    assert filter_is_pushed_down(filter) is expected


@pytest.mark.parametrize(("filter", "expected"), FILTERS, ids=repr)
async def test_a_redacted_filter_is_classified_like_the_original(
    mongo_db: Any, coll: str, filter: dict[str, Any], expected: bool
) -> None:
    statement = statements("find", {"find": coll, "filter": filter})[0]
    answer = await explain(mongo_db, explain_request(coll, "find", statement))
    assert answer["filterPushdown"] is expected
    assert statement_is_keyed("find", statement) is expected


@pytest.mark.parametrize(("pipeline", "expected"), PIPELINES, ids=repr)
async def test_pipeline_classifier_matches_aggregate_explain(
    mongo_db: Any, coll: str, pipeline: list[dict[str, Any]], expected: bool
) -> None:
    answer = await explain(mongo_db, {"aggregate": coll, "pipeline": pipeline, "cursor": {}})
    assert answer["filterPushdown"] is expected
    match = pipeline_pushdown_filter(pipeline)
    assert filter_is_pushed_down(match, command="aggregate") is expected
    statement = statements("aggregate", {"aggregate": coll, "pipeline": pipeline})[0]
    assert statement_is_keyed("aggregate", statement) is expected


@pytest.mark.parametrize(("filter", "sort", "skip", "limit", "expected"), LIMITS, ids=repr)
async def test_limit_classifier_matches_find_explain(
    mongo_db: Any,
    coll: str,
    filter: dict[str, Any],
    sort: dict[str, int] | None,
    skip: int,
    limit: int,
    expected: bool,
) -> None:
    request: dict[str, Any] = {"find": coll, "filter": filter, "limit": Int64(limit)}
    if skip:
        request["skip"] = Int64(skip)
    if sort:
        request["sort"] = sort
    answer = await explain(mongo_db, request)
    assert answer["limitPushdown"] is expected
    assert limit_is_pushed_down(filter, sort, skip, limit) is expected


@pytest.mark.parametrize("command", ["update", "delete", "findAndModify", "count", "distinct"])
async def test_write_commands_keep_dotted_keys_so_explain_is_asked_without_dots(
    mongo_db: Any, coll: str, command: str
) -> None:
    """`update` & co. pass the whole filter to the backend (no dotted-key stripping)."""
    statement = {"filter": redact({"_id": "an_1", "nested.field": 1})}
    answer = await explain(mongo_db, explain_request(coll, command, statement))
    assert answer["filterPushdown"] is False
    assert statement_is_keyed(command, statement) is False
    keyed = {"filter": redact({"_id": "an_1"})}
    assert (await explain(mongo_db, explain_request(coll, command, keyed)))["filterPushdown"]
    assert statement_is_keyed(command, keyed)


@pytest.mark.parametrize(("filter", "sort", "skip", "limit", "expected"), LIMITS, ids=repr)
async def test_a_recorded_find_is_explained_with_its_sort_skip_and_limit(
    mongo_db: Any,
    coll: str,
    filter: dict[str, Any],
    sort: dict[str, int] | None,
    skip: int,
    limit: int,
    expected: bool,
) -> None:
    find = {"find": coll, "filter": filter, "sort": sort, "skip": skip, "limit": limit}
    statement = statements("find", find)[0]
    answer = await explain(mongo_db, explain_request(coll, "find", statement))
    assert answer["limitPushdown"] is expected
    assert statement_is_keyed("find", statement) is (expected or filter_is_pushed_down(filter))
