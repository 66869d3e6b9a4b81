"""The listing's cursor codec and its backward walk (pure: no store involved)."""

from collections.abc import Awaitable, Callable, Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dossier.gateway.analyses.cursor import CursorCodec, InvalidCursorError, ListQuery
from dossier.gateway.analyses.listing import MAX_EXAMINED, IdsAt, collect
from dossier.runtime.mongo import Document

CODEC = CursorCodec(b"signing-key")
ALL = ListQuery()
PAIR = ListQuery(client_id="client_1", candidate_id="cand_1")


@given(st.integers(min_value=1, max_value=10**12))
def test_a_cursor_decodes_to_the_position_it_was_made_from(position: int) -> None:
    cursor = CODEC.encode(position, partner_id="p1", environment="live", query=ALL)

    assert CODEC.decode(cursor, partner_id="p1", environment="live", query=ALL) == position


@pytest.mark.parametrize(
    ("partner_id", "environment", "query"),
    [
        ("p2", "live", ALL),  # another partner
        ("p1", "test", ALL),  # another environment
        ("p1", "live", PAIR),  # other filters
        ("p1", "live", ListQuery(status="completed")),
    ],
)
def test_a_cursor_is_refused_outside_the_partner_environment_and_query_it_was_made_for(
    partner_id: str, environment: str, query: ListQuery
) -> None:
    cursor = CODEC.encode(7, partner_id="p1", environment="live", query=ALL)

    with pytest.raises(InvalidCursorError):
        CODEC.decode(cursor, partner_id=partner_id, environment=environment, query=query)


def test_a_cursor_of_another_signing_key_is_refused() -> None:
    cursor = CursorCodec(b"another-key").encode(7, partner_id="p1", environment="live", query=ALL)

    with pytest.raises(InvalidCursorError):
        CODEC.decode(cursor, partner_id="p1", environment="live", query=ALL)


@given(st.text(max_size=80))
def test_any_other_string_is_refused_not_crashed_on(garbage: str) -> None:
    with pytest.raises(InvalidCursorError):
        CODEC.decode(garbage, partner_id="p1", environment="live", query=ALL)


def test_an_edited_position_is_refused() -> None:
    cursor = CODEC.encode(7, partner_id="p1", environment="live", query=ALL)
    payload, signature = cursor.split(".")
    other_payload = CODEC.encode(8, partner_id="p1", environment="live", query=ALL).split(".")[0]

    with pytest.raises(InvalidCursorError):
        CODEC.decode(f"{other_payload}.{signature}", partner_id="p1", environment="live", query=ALL)
    assert payload != other_payload


# --- the walk -------------------------------------------------------------------------------


Read = Callable[[str], Awaitable[Document | None]]


def store(size: int, hidden: frozenset[int] = frozenset()) -> tuple[IdsAt, Read]:
    """Positions 1..size, each holding analysis `a<n>`; `hidden` ones hold nothing to show."""

    async def ids_at(positions: Sequence[int]) -> list[str | None]:
        return [None if p in hidden or p > size else f"a{p}" for p in positions]

    async def read(analysis_id: str) -> Document | None:
        return {"_id": analysis_id, "n": int(analysis_id[1:])}

    return ids_at, read


async def test_the_walk_goes_newest_first_and_resumes_where_it_stopped() -> None:
    ids_at, read = store(45)
    seen: list[int] = []
    start: int | None = 45
    while start is not None:
        page = await collect(ids_at, read, lambda _d: True, start=start, limit=20)
        seen += [d["n"] for d in page.analyses]
        start = page.next_position

    assert seen == list(range(45, 0, -1))


async def test_a_filtered_page_stops_after_examining_its_budget_and_says_where_to_go_on() -> None:
    ids_at, read = store(1000)
    page = await collect(ids_at, read, lambda d: d["n"] % 500 == 0, start=1000, limit=20)

    assert [d["n"] for d in page.analyses] == [1000]
    assert page.next_position == 1000 - MAX_EXAMINED


async def test_positions_without_an_analysis_are_skipped_without_a_read() -> None:
    reads: list[str] = []
    ids_at, read = store(10, hidden=frozenset({9, 8, 2}))

    async def counting(analysis_id: str) -> Document | None:
        reads.append(analysis_id)
        return await read(analysis_id)

    page = await collect(ids_at, counting, lambda _d: True, start=10, limit=5)

    assert [d["n"] for d in page.analyses] == [10, 7, 6, 5, 4]
    assert page.next_position == 3
    assert not {"a9", "a8"} & set(reads)
