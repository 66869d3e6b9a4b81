"""Finding the end of a dense sequence (credit journal, writer registry) from a hint."""

from dossier.runtime.dense import last_present
from dossier.runtime.mongo import Document


class Sequence:
    """n documents numbered from `first`, counting the reads made."""

    def __init__(self, n: int, first: int = 1) -> None:
        self.docs = {first + i: {"n": first + i} for i in range(n)}
        self.reads = 0

    async def fetch(self, number: int) -> Document | None:
        self.reads += 1
        return self.docs.get(number)


async def test_empty_sequence() -> None:
    assert await last_present(Sequence(0).fetch, 1, first=1) == (0, None)


async def test_a_right_hint_costs_one_round_of_four_reads() -> None:
    seq = Sequence(500)

    found = await last_present(seq.fetch, 500, first=1)

    assert found == (500, {"n": 500})
    assert seq.reads == 4


async def test_finds_the_end_from_nothing_for_any_length() -> None:
    for n in (1, 2, 3, 7, 8, 9, 100, 1025, 5000):
        assert await last_present(Sequence(n).fetch, 1, first=1) == (n, {"n": n}), n


async def test_a_stale_hint_behind_the_end_catches_up() -> None:
    for hint in (1, 2, 50, 998, 999):
        assert (await last_present(Sequence(999).fetch, hint, first=1))[0] == 999


async def test_a_hint_past_the_end_restarts_from_the_first_number() -> None:
    assert await last_present(Sequence(3).fetch, 40, first=1) == (3, {"n": 3})
    assert await last_present(Sequence(0).fetch, 40, first=1) == (0, None)


async def test_zero_based_sequences() -> None:
    assert await last_present(Sequence(5, first=0).fetch, 0, first=0) == (4, {"n": 4})
    assert await last_present(Sequence(0, first=0).fetch, 0, first=0) == (-1, None)
