"""Dates as each language writes them, from CLDR (through Babel).

Registry dates arrive as ISO strings (`2019-03-01`); inside a French sentence they read
`1 mars 2019`.
"""

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
