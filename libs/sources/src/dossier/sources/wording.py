"""Every sentence the source connectors state, in each report language.

A connector describes a finding as a `Phrase` (a kind from the catalogue and its
values); the sentence is rendered in the query's language when the signal is made.
Values may be phrases themselves (a role, a period, "linked from the CV"), rendered in
the same language, so fragments are translated once and composed, never glued from
English. Dates (`datetime.date`, `Month`) are written the language's way (`1 mars 2019`);
counted phrases pick their form by the language's plural rules.

The catalogue itself is `sources/catalogue/<lang>.py` (format: `phrasebook.py`); the
loader and the template filling are the shared ones in `dossier.language.catalogue`.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TypeAlias

from dossier.contracts.enums import Language
from dossier.language.catalogue import entry, fill, has_entry, load_catalogue, placeholders
from dossier.language.dates import Month
from dossier.language.plural import plural_form
from dossier.sources.phrasebook import SourcePhrasebook

__all__ = [
    "CATALOGUE",
    "Month",
    "Phrase",
    "Value",
    "counted",
    "phrase",
    "placeholders",
    "statement",
]

CATALOGUE: Mapping[Language, SourcePhrasebook] = load_catalogue(
    "dossier.sources.catalogue", SourcePhrasebook
)


@dataclass(frozen=True)
class Phrase:
    """A sentence or fragment not yet in any language: a catalogue kind and its values.

    With `count`, `kind` names a counted phrase whose `.one` / `.other` form is chosen
    when it is rendered, by the plural rules of the language it is rendered in.
    """

    kind: str
    values: Mapping[str, "Value"] = field(default_factory=dict)
    count: int | None = None

    def render(self, language: Language, *, iso_dates: bool = False) -> str:
        kind = self.kind
        if self.count is not None:
            kind = f"{kind}.{plural_form(self.count, language)}"
        values = {name: _plain(value, language, iso_dates) for name, value in self.values.items()}
        return fill(entry(CATALOGUE[Language(language)], kind), Language(language), **values)

    def id_text(self) -> str:
        """The English rendering with ISO dates: the text a signal id hashes.

        Ids were computed from English statements with ISO dates before dates were
        localised; hashing the same text keeps every finding's id (and its feedback).
        """
        return self.render(Language.EN, iso_dates=True)


#: What a placeholder takes: text and numbers as they are, dates and months written the
#: language's way, phrases rendered in the same language, and tuples joined by commas.
Value: TypeAlias = str | int | float | date | Month | Phrase | tuple["Value", ...]


def phrase(kind: str, **values: Value) -> Phrase:
    """`phrase("github.since", year=2019)`: checked against the catalogue at once."""
    if not has_entry(SourcePhrasebook, kind):
        raise KeyError(f"no wording for {kind!r}")
    return Phrase(kind, values)


def counted(kind: str, count: int, /, **values: Value) -> Phrase:
    """`counted("github.repositories", 3, count=3)`: the `.one` or `.other` form of `kind`."""
    for form in ("one", "other"):
        if not has_entry(SourcePhrasebook, f"{kind}.{form}"):
            raise KeyError(f"no wording for {kind}.{form!r}")
    return Phrase(kind, values, count=count)


def statement(kind: str, language: Language | str, **values: Value) -> str:
    """The catalogue's sentence for `kind` in `language`, with its placeholders filled."""
    return phrase(kind, **values).render(Language(language))


def _plain(value: Value, language: Language, iso_dates: bool) -> object:
    """A value ready for `fill`; with `iso_dates`, dates stay ISO (for ids)."""
    if isinstance(value, Phrase):
        return value.render(language, iso_dates=iso_dates)
    if isinstance(value, tuple):
        return tuple(_plain(item, language, iso_dates) for item in value)
    if iso_dates and isinstance(value, date | Month):
        return value.isoformat()
    return value
