"""Names as people write them: one folding for identity and every connector.

Pairs seen in real CVs, registries and profiles, in the five report languages and
beyond. A pair that names the same person must agree; a namesake must not (a false
match is worse than a miss, so nothing fuzzy: whole words after folding).
"""

import pytest

from dossier.identity.domain.names import person_names_match
from dossier.sources.base import SourceQuery
from dossier.sources.matching import name_matches, text_mentions_name
from dossier.sources.names import fold, fold_words, names_agree, split_full_name

SAME_PERSON = [
    # (given names, surname, as written elsewhere)
    ("Anna", "Müller", "Anna Mueller"),  # de: umlaut spelled out
    ("Anna", "Mueller", "Anna Müller"),
    ("Jürgen", "Groß", "JUERGEN GROSS"),
    ("Jürgen", "Groß", "Jurgen Gross"),
    ("Søren", "Kierkegaard", "Soren Kierkegaard"),  # da
    ("Łukasz", "Wróbel", "Lukasz Wrobel"),  # pl
    ("Jane Marie", "Doe", "Jane Doe"),  # en: middle name dropped
    ("Jane", "Doe", "Jane Marie Doe"),  # en: middle name added
    ("Jane", "Doe", "DOE, Jane"),  # registry order
    ("Élodie", "Lefèvre", "Elodie LEFEVRE"),  # fr
    ("Jean-Luc", "Picard", "Jean Luc Picard"),  # fr: hyphenated given name
    ("François", "de La Tour", "Francois La Tour"),  # fr: particle dropped
    ("José Luis", "García López", "José García"),  # es: first surname only
    ("María José", "Fernández", "Maria Jose Fernandez"),
    ("Núria", "Puig i Serra", "Nuria Puig"),  # ca
    ("Giuseppe", "D'Angelo", "Giuseppe D'Angelo"),  # it: apostrophe
    ("Niccolò", "Ammaniti", "Niccolo Ammaniti"),  # it
    ("Ludwig", "van Beethoven", "Ludwig Beethoven"),  # de/nl particle
    ("Иван", "Петров", "Ivan Petrov"),  # Cyrillic transliterated
    ("Zoë", "O'Brien", "Zoe O'Brien"),  # en: diaeresis
]

NAMESAKES = [
    ("Anna", "Müller", "Anna Möller"),  # de: another umlaut, another family
    ("Jane", "Doe", "John Doe"),
    ("Jane", "Doe", "Jane Doerr"),
    ("John", "Smith", "John Smithson"),
    ("Jon", "Smith", "John Smith"),
    ("Marco", "Rossi", "Mario Rossi"),  # it
    ("Pierre", "Martin", "Pierre Martinez"),  # fr
    ("Anna", "Muller", "Anna Mueller"),  # a real Muller is not a spelled-out Müller
    ("Juan", "García", "Juana García"),  # es
]


@pytest.mark.parametrize(("first", "last", "other"), SAME_PERSON)
def test_the_same_person_written_another_way_agrees(first: str, last: str, other: str) -> None:
    assert names_agree(first, last, other)
    assert person_names_match(first, last, other)  # identity
    assert SourceQuery(full_name=f"{first} {last}", first_name=first, last_name=last).named_in(
        other
    )  # connectors


@pytest.mark.parametrize(("first", "last", "other"), NAMESAKES)
def test_a_namesake_does_not_agree(first: str, last: str, other: str) -> None:
    assert not names_agree(first, last, other)
    assert not person_names_match(first, last, other)
    assert not SourceQuery(full_name=f"{first} {last}", first_name=first, last_name=last).named_in(
        other
    )


def test_initials_count_only_where_asked() -> None:
    assert names_agree("Jane", "Doe", "J. Doe", initials=True)
    assert not names_agree("Jane", "Doe", "J. Doe")
    assert person_names_match("Jane", "Doe", "J. Doe")  # identity reads abbreviated profiles


def test_a_full_name_splits_at_the_surname_with_its_particles() -> None:
    assert split_full_name("Ludwig van Beethoven") == ("Ludwig", "van Beethoven")
    assert split_full_name("Jane Marie Doe") == ("Jane Marie", "Doe")
    assert name_matches("Jane Marie Doe", "Jane Doe")
    assert name_matches("Anna Müller", "Anna Mueller")
    assert not name_matches("Anna Müller", "Anna Meier")


def test_a_snippet_names_the_person_with_any_spelling() -> None:
    assert text_mentions_name("Vortrag von Anna Mueller (Berlin)", "Anna", "Müller")
    assert text_mentions_name("Søren Kierkegaard gave a talk", "Soren", "Kierkegaard")
    assert not text_mentions_name("Anna Meier gave a talk", "Anna", "Müller")


def test_folding_is_ascii_lower_case_with_symbols_dropped() -> None:
    assert fold("Zürich Straße Øre Łódź") == "zurich strasse ore lodz"
    assert fold("Node.js • C++ 🚀") == "node.js   c++  "
    assert fold_words("  Zoë  O'Brien-Müller ") == "zoe o brien muller"
    assert fold("Ærø") == "aero"
