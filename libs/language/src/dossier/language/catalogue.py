"""One catalogue format, one loader, one way to fill a template.

A package's catalogue is a frozen dataclass (a *book*): one field per sentence or
fragment, plus small typographic data (quotation marks, month names, labels keyed by
enum value). Each language is a module `<package>.<lang>` (`en`, `fr`, …) that defines
`PHRASES`, an instance of the book. Because the book is a dataclass, a language that
forgets a field fails at import; `catalogue_problems` catches what types cannot (a dict
missing a key, placeholders that differ between languages).

Templates use `str.format` names. Keys written with dots (`github.since`) name the field
with underscores (`github_since`), so the sentence ids in the code read as they always
have.
"""

import dataclasses
import importlib
from collections.abc import Mapping
from datetime import date
from string import Formatter
from typing import Any, Protocol, TypeVar, runtime_checkable

from dossier.contracts.enums import Language
from dossier.language.dates import long_date
from dossier.language.numbers import decimal

Book = TypeVar("Book")


@runtime_checkable
class Renderable(Protocol):
    """A value that is itself a phrase, rendered in the sentence's language."""

    def render(self, language: Language) -> str: ...


def load_catalogue(package: str, book_type: type[Book]) -> dict[Language, Book]:
    """Every language's book: `PHRASES` from the module `<package>.<lang>`.

    A missing module or a `PHRASES` of the wrong type fails here, at import time of the
    stage, not when a report is written.
    """
    books: dict[Language, Book] = {}
    for language in Language:
        module = importlib.import_module(f"{package}.{language.value}")
        book = getattr(module, "PHRASES", None)
        if not isinstance(book, book_type):
            raise TypeError(f"{module.__name__}.PHRASES is not a {book_type.__name__}")
        books[language] = book
    return books


def field_name(key: str) -> str:
    """`github.since` → `github_since`: the book field a dotted sentence id names."""
    return key.replace(".", "_")


def entry(book: object, key: str) -> str:
    """The template `key` of a book; KeyError when the book has no such sentence."""
    value = getattr(book, field_name(key), None)
    if not isinstance(value, str):
        raise KeyError(f"no wording for {key!r}")
    return value


def has_entry(book_type: type, key: str) -> bool:
    """Whether the book type has a sentence `key` (checked when a phrase is made)."""
    return any(f.name == field_name(key) for f in dataclasses.fields(book_type))


def fill(template: str, language: Language, **values: object) -> str:
    """The template with its placeholders filled, each value written in `language`.

    Phrases are rendered in the same language, tuples joined by commas, floats written
    with two decimals and the language's decimal sign, dates as the language writes them
    (`1 mars 2019`); anything else as `str`.
    """
    return template.format(
        **{name: render_value(value, language) for name, value in values.items()}
    )


def render_value(value: object, language: Language) -> str:
    if isinstance(value, Renderable):
        return value.render(language)
    if isinstance(value, tuple):
        return ", ".join(render_value(item, language) for item in value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return decimal(value, language)
    if isinstance(value, date):
        return long_date(value, language)
    return str(value)


def placeholders(template: str) -> frozenset[str]:
    """The `{names}` a template expects."""
    return frozenset(name for _, name, _, _ in Formatter().parse(template) if name)


def catalogue_problems(books: Mapping[Language, Any]) -> list[str]:
    """What differs between the languages of one catalogue, as readable lines.

    Every language must have every field, every dict the same keys, every tuple the same
    length, no empty text, and every template the same placeholders as in English.
    """
    problems: list[str] = []
    missing = set(Language) - set(books)
    if missing:
        problems.append(f"languages without a book: {sorted(m.value for m in missing)}")
    english = books.get(Language.EN)
    if english is None:
        return problems
    for language, book in books.items():
        for item in dataclasses.fields(english):
            where = f"{language.value}.{item.name}"
            if not hasattr(book, item.name):
                problems.append(f"{where}: missing")
                continue
            problems.extend(_compare(where, getattr(english, item.name), getattr(book, item.name)))
    return problems


def _compare(where: str, reference: object, value: object) -> list[str]:
    if isinstance(reference, str):
        return _compare_text(where, reference, value)
    if isinstance(reference, dict):
        if not isinstance(value, dict) or set(value) != set(reference):
            theirs = sorted(value) if isinstance(value, dict) else value
            return [f"{where}: keys {theirs} != {sorted(reference)} in English"]
        return [p for k in reference for p in _compare(f"{where}[{k}]", reference[k], value[k])]
    if isinstance(reference, tuple):
        if not isinstance(value, tuple) or len(value) != len(reference):
            return [f"{where}: not {len(reference)} items as in English"]
        pairs = enumerate(zip(reference, value, strict=True))
        return [p for i, (r, v) in pairs for p in _compare(f"{where}[{i}]", r, v)]
    return []


def _compare_text(where: str, reference: str, value: object) -> list[str]:
    if not isinstance(value, str):
        return [f"{where}: not text"]
    if not value.strip() and reference.strip():
        return [f"{where}: empty"]
    if placeholders(value) != placeholders(reference):
        ours, english = sorted(placeholders(value)), sorted(placeholders(reference))
        return [f"{where}: placeholders {ours} != {english} in English"]
    return []
