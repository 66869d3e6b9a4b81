"""Every sentence the identity stage writes for a recruiter, in the five languages.

The catalogue is `domain/catalogue/<lang>.py` (format: `phrasebook.py`), loaded and
filled by the shared `dossier.language.catalogue`. Sentence ids keep their dotted names
(`current.match` is the field `current_match`). Counts follow each language's CLDR
plural rule (`0 an` in French, `0 years` in English).
"""

import re
from collections.abc import Mapping
from typing import Final

from dossier.contracts.claims import YearMonth
from dossier.contracts.enums import Language
from dossier.identity.domain.cv_dates import format_year_month
from dossier.identity.domain.phrasebook import IdentityPhrasebook
from dossier.language.catalogue import entry, fill, load_catalogue
from dossier.language.plural import plural_form

CATALOGUE: Final[Mapping[Language, IdentityPhrasebook]] = load_catalogue(
    "dossier.identity.domain.catalogue", IdentityPhrasebook
)

_DOUBLE_STOP = re.compile(r"(?<!\.)\.\.(?!\.)")

#: German puts the duration after `von` in the dative (`eine Lücke von 9 Monaten`).
_GERMAN_DATIVE = {"Monate": "Monaten", "Jahre": "Jahren"}


def message(key: str, language: Language, **params: object) -> str:
    """The sentence `key` in `language`, placeholders filled.

    A value ending in an abbreviation (`Acme S.L.`) at the end of a sentence would leave
    a double full stop; it is folded into one.
    """
    return _DOUBLE_STOP.sub(".", fill(entry(CATALOGUE[language], key), language, **params))


def duration(months: int, language: Language, *, dative: bool = False) -> str:
    """`9 months`, `2 years and 3 months`; German in the dative where the sentence asks."""
    years, rest = divmod(max(months, 0), 12)
    parts: list[str] = []
    if years and months >= 24:
        parts.append(_count("year", years, language))
        if rest:
            parts.append(_count("month", rest, language))
    else:
        parts.append(_count("month", months, language))
    text = message("duration.and", language).join(parts)
    if dative and language is Language.DE:
        for plain, inflected in _GERMAN_DATIVE.items():
            text = text.replace(plain, inflected)
    return text


def years(count: int, language: Language) -> str:
    """`4 years`, `1 an`, `0 an`, `0 Jahre`."""
    return _count("year", count, language)


def _count(unit: str, n: int, language: Language) -> str:
    return message(f"duration.{unit}.{plural_form(n, language)}", language, n=n)


def date_label(value: YearMonth | None, language: Language) -> str:
    return format_year_month(value) if value else message("present", language)


def range_label(start: YearMonth | None, end: YearMonth | None, language: Language) -> str:
    """`03/2019–present`, `2015–2019`, localised."""
    return f"{date_label(start, language)}–{date_label(end, language)}"
