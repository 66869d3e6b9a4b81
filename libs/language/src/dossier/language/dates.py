"""Dates as each language writes them, from CLDR (through Babel).

Registry dates arrive as ISO strings (`2019-03-01`); inside a French sentence they read
`1 mars 2019`.
"""

from dataclasses import dataclass
from datetime import date

from babel.dates import format_date, format_skeleton

from dossier.contracts.enums import Language
from dossier.language.locales import locale


def long_date(value: date, language: Language) -> str:
    """`1 March 2019`, `1 mars 2019`, `1. März 2019`, `1 de marzo de 2019`."""
    return str(format_date(value, format="long", locale=locale(language)))


def month_year(year: int, month: int, language: Language) -> str:
    """`March 2019`, `mars 2019`, `März 2019`, `marzo de 2019`."""
    return str(format_skeleton("yMMMM", date(year, month, 1), locale=locale(language)))


def iso_date(text: str | None) -> date | None:
    """A provider's `YYYY-MM-DD` (or longer ISO timestamp) as a date; None if unreadable."""
    if not text:
        return None
    try:
        return date.fromisoformat(str(text)[:10])
    except ValueError:
        return None


@dataclass(frozen=True)
class Month:
    """A month of a year as a sentence value: `October 2023`, `octobre 2023`."""

    year: int
    month: int

    @classmethod
    def from_iso(cls, text: str | None) -> "Month | None":
        """`2023-10` or any longer ISO stamp; None if unreadable."""
        try:
            year, month = str(text or "")[:7].split("-")
            return cls(int(year), int(month)) if 1 <= int(month) <= 12 else None
        except ValueError:
            return None

    def render(self, language: Language) -> str:
        return month_year(self.year, self.month, language)

    def isoformat(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"
