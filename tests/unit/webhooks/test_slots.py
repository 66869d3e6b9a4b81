"""Slots for attempts in flight: overall, per partner and per endpoint."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dossier.webhooks.domain.slots import Flight, Slots


def flight(n: int, partner: str = "ptn_a", webhook: str | None = None) -> Flight:
    return Flight(f"dlv_{n}", partner, webhook or f"wh_{partner}_{n}")


def test_a_partner_takes_at_most_its_share() -> None:
    slots = Slots(total=10, per_partner=3, per_endpoint=10)

    taken = [slots.take(flight(n)) for n in range(5)]

    assert taken == [True, True, True, False, False]
    assert slots.full_partners() == ["ptn_a"]
    assert slots.free == 7
    assert slots.take(flight(9, "ptn_b")), "another partner still gets a slot"


def test_an_endpoint_takes_at_most_its_share() -> None:
    slots = Slots(total=10, per_partner=10, per_endpoint=2)

    taken = [slots.take(flight(n, webhook="wh_slow")) for n in range(3)]

    assert taken == [True, True, False]
    assert slots.full_endpoints() == ["wh_slow"]
    assert slots.take(flight(5, webhook="wh_fast")), "the partner's other endpoint still flows"


def test_the_total_caps_everyone() -> None:
    slots = Slots(total=2, per_partner=2, per_endpoint=2)

    assert slots.take(flight(1, "ptn_a"))
    assert slots.take(flight(2, "ptn_b"))
    assert not slots.take(flight(3, "ptn_c"))


def test_one_delivery_holds_one_slot() -> None:
    slots = Slots(total=5, per_partner=5, per_endpoint=5)

    assert slots.take(flight(1))
    assert not slots.take(flight(1))
    assert slots.in_flight() == ["dlv_1"]


def test_releasing_frees_every_cap() -> None:
    slots = Slots(total=1, per_partner=1, per_endpoint=1)
    slots.take(flight(1, webhook="wh_1"))

    slots.release("dlv_1")
    slots.release("dlv_1")  # twice is harmless

    assert (slots.free, slots.full_partners(), slots.full_endpoints()) == (1, [], [])
    assert slots.take(flight(2, webhook="wh_1"))


def test_caps_below_one_are_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        Slots(total=5, per_partner=0, per_endpoint=1)


@given(
    st.lists(
        st.tuples(
            st.booleans(), st.integers(0, 30), st.sampled_from("abc"), st.sampled_from("xyz")
        ),
        max_size=200,
    )
)
def test_no_sequence_of_takes_and_releases_breaks_a_cap(
    steps: list[tuple[bool, int, str, str]],
) -> None:
    slots = Slots(total=6, per_partner=3, per_endpoint=2)
    held: dict[str, Flight] = {}
    for take, n, partner, webhook in steps:
        one = Flight(f"dlv_{n}", partner, f"{partner}{webhook}")
        if take:
            if slots.take(one):
                held[one.delivery_id] = one
        elif one.delivery_id in held:
            slots.release(one.delivery_id)
            del held[one.delivery_id]
        assert len(held) <= 6
        assert all(sum(f.partner_id == p for f in held.values()) <= 3 for p in "abc")
        assert all(
            sum(f.webhook_id == w for f in held.values()) <= 2
            for w in {f.webhook_id for f in held.values()}
        )
        assert sorted(slots.in_flight()) == sorted(held)
        assert slots.free == 6 - len(held)
