"""Every catalogue (reporter, identity, sources) in one format, loaded by one loader,
complete in the five languages with the same placeholders; and the check itself."""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import pytest

from dossier.contracts.enums import Language
from dossier.identity.domain.messages import CATALOGUE as IDENTITY
from dossier.language.catalogue import catalogue_problems, entry, fill, load_catalogue
from dossier.reporter.domain.catalogue import CATALOGUE as REPORTER
from dossier.sources.wording import CATALOGUE as SOURCES

CATALOGUES: dict[str, Mapping[Language, Any]] = {
    "reporter": REPORTER,
    "identity": IDENTITY,
    "sources": SOURCES,
}


@pytest.mark.parametrize("name", CATALOGUES)
def test_every_catalogue_has_every_key_and_the_same_placeholders_in_every_language(
    name: str,
) -> None:
    assert catalogue_problems(CATALOGUES[name]) == []


@pytest.mark.parametrize("name", CATALOGUES)
def test_every_catalogue_is_one_book_type_per_package(name: str) -> None:
    books = CATALOGUES[name]
    assert set(books) == set(Language)
    assert len({type(book) for book in books.values()}) == 1


@dataclass(frozen=True)
class Book:
    greeting: str
    labels: dict[str, str]
    months: tuple[str, ...]


ENGLISH = Book(greeting="Hello {name}.", labels={"a": "A", "b": "B"}, months=("Jan", "Feb"))


def _books(**changes: object) -> dict[Language, Book]:
    other = replace(ENGLISH, **changes)  # type: ignore[arg-type]
    return {lang: ENGLISH if lang is Language.EN else other for lang in Language}


def test_a_complete_catalogue_has_no_problems() -> None:
    assert catalogue_problems(_books()) == []


def test_a_missing_language_is_a_problem() -> None:
    books = _books()
    del books[Language.IT]
    assert catalogue_problems(books) == ["languages without a book: ['it']"]


def test_a_missing_dict_key_is_a_problem_in_every_language_that_lacks_it() -> None:
    problems = catalogue_problems(_books(labels={"a": "A"}))
    assert len(problems) == 4
    assert problems[0].startswith("fr.labels: keys ['a']")


def test_different_placeholders_are_a_problem() -> None:
    problems = catalogue_problems(_books(greeting="Bonjour {nom}."))
    assert "fr.greeting: placeholders ['nom'] != ['name'] in English" in problems


def test_a_short_tuple_and_an_empty_text_are_problems() -> None:
    assert catalogue_problems(_books(months=("Jan",)))[0] == "fr.months: not 2 items as in English"
    assert catalogue_problems(_books(greeting=" "))[0] == "fr.greeting: empty"


def test_the_loader_refuses_a_module_without_a_book_of_the_right_type() -> None:
    with pytest.raises(TypeError):
        load_catalogue("dossier.reporter.domain.catalogue", Book)


def test_dotted_keys_name_fields_and_unknown_keys_are_refused() -> None:
    book = SOURCES[Language.EN]
    assert entry(book, "github.since") == book.github_since
    with pytest.raises(KeyError):
        entry(book, "github.no_such_sentence")


def test_fill_writes_values_in_the_sentences_language() -> None:
    assert fill("{score}", Language.EN, score=0.931) == "0.93"
    assert fill("{score}", Language.DE, score=0.931) == "0,93"
    assert fill("{items}", Language.FR, items=("a", "b")) == "a, b"
