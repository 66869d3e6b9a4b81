"""Reading the dates people really write on CVs, in five languages.

Points: `03/2019`, `3.2019`, `15.03.2019`, `2019-03`, `Jan 2019`, `janv. 2019`, `März 2019`,
`enero de 2019`, `2019`. Present: `present`, `aujourd'hui`, `heute`, `ad oggi`,
`actualidad`… Ranges join two points with a dash (-, –, —) or a word (`to`, `bis`, `à`,
`al`, `hasta`…); open ranges start with `since`, `seit`, `depuis`, `dal`, `desde`….

`find_date_range` returns the first range in a line and where it sits, so the rest of
the line can be read as title and employer.
"""

import itertools
import re
from dataclasses import dataclass

from dossier.contracts.claims import YearMonth

_MONTH_NAMES: dict[int, tuple[str, ...]] = {
    1: ("january", "januar", "jänner", "jaenner", "janvier", "janv", "jan", "gennaio", "gen",
        "enero", "ene"),
    2: ("february", "februar", "février", "fevrier", "févr", "fevr", "fév", "fev", "feb",
        "febbraio", "febrero"),
    3: ("march", "märz", "maerz", "marz", "mär", "mars", "marzo", "mar"),
    4: ("april", "avril", "avr", "aprile", "abril", "abr", "apr"),
    5: ("may", "mai", "maggio", "mag", "mayo"),
    6: ("june", "juni", "juin", "giugno", "giu", "junio", "jun"),
    7: ("july", "juli", "juillet", "juil", "luglio", "lug", "julio", "jul"),
    8: ("august", "août", "aout", "agosto", "ago", "aug"),
    9: ("september", "septembre", "settembre", "septiembre", "setiembre", "sept", "sett",
        "sep", "set"),
    10: ("october", "oktober", "octobre", "ottobre", "octubre", "oct", "okt", "ott"),
    11: ("november", "novembre", "noviembre", "nov"),
    12: ("december", "dezember", "décembre", "decembre", "dicembre", "diciembre", "déc",
         "dec", "dez", "dic"),
}  # fmt: skip
MONTHS: dict[str, int] = {name: n for n, names in _MONTH_NAMES.items() for name in names}

#: Words for "until now", longest first so `ad oggi` wins over `oggi`.
PRESENT_WORDS = (
    "aujourd'hui", "aujourd’hui", "aujourdhui", "à ce jour", "a ce jour", "ce jour",
    "la actualidad", "actualidad", "actualmente", "hasta hoy", "la fecha", "ad oggi", "a oggi",
    "in corso", "en cours", "to date", "till now", "until now", "present", "présent",
    "presente", "current", "currently", "ongoing", "now", "today", "maintenant",
    "actuellement", "heute", "jetzt", "derzeit", "aktuell", "dato", "oggi", "attuale", "actual",
    "hoy", "date",
)  # fmt: skip

_YEAR = r"(?:19[5-9]\d|20\d\d)"
_MONTH_ALT = "|".join(re.escape(m) for m in sorted(MONTHS, key=len, reverse=True))
_PRESENT_ALT = "|".join(re.escape(w) for w in sorted(PRESENT_WORDS, key=len, reverse=True))

_POINT = re.compile(
    rf"""
      (?<![\w])(?P<mname>{_MONTH_ALT})\.?\s*(?:de\s+|del\s+|,\s*)?(?P<myear>{_YEAR})(?!\d)
    | (?<![\w/.])(?:(?:0?[1-9]|[12]\d|3[01])[./])?(?P<nm>0?[1-9]|1[0-2])\s*[/.]\s*(?P<ny>{_YEAR})(?!\d)
    | (?<![\w/.-])(?P<dm>0[1-9]|1[0-2])-(?P<dy>{_YEAR})(?!\d)
    | (?<![\w/.-])(?P<iy>{_YEAR})[-/.](?P<im>0[1-9]|1[0-2])(?![\d/.-])
    | (?<![\w/.])(?P<year>{_YEAR})(?![\w/]|\.\d)
    | (?<![\w])(?P<present>{_PRESENT_ALT})(?![\w])
    """,
    re.IGNORECASE | re.VERBOSE,
)

_RANGE_SEPARATOR = re.compile(
    r"^\s*(?:[-–—‐‑~→>]+|to|till|until|through|bis|à|au|jusqu'à|jusqu’à|a|al|fino a|hasta)"
    r"\s*(?:[-–—]\s*)?$",
    re.IGNORECASE,
)
_OPEN_START = re.compile(
    r"(?:^|[\s(:,;|])(?P<word>since|seit|ab|depuis|dal|dall'|dall’|da|desde|from|dès)\s*$",
    re.IGNORECASE,
)
_RANGE_LEAD = re.compile(
    r"(?:^|[\s(:,;|])(?P<word>from|von|de|du|dal|da|del|desde|entre|zwischen|tra)\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DatePoint:
    """One date as written: a month and year, a year, or `present`."""

    when: YearMonth | None
    start: int
    end: int

    @property
    def is_present(self) -> bool:
        return self.when is None


@dataclass(frozen=True)
class DateRange:
    """Dates found in a line. `end` is None while `current`; `span` is where they sit."""

    start: YearMonth | None
    end: YearMonth | None
    current: bool
    span: tuple[int, int]


def _point(match: re.Match[str]) -> DatePoint:
    groups = match.groupdict()
    when: YearMonth | None
    if groups["mname"]:
        month = MONTHS[groups["mname"].lower()]
        when = YearMonth(year=int(groups["myear"]), month=month)
    elif groups["nm"]:
        when = YearMonth(year=int(groups["ny"]), month=int(groups["nm"]))
    elif groups["dm"]:
        when = YearMonth(year=int(groups["dy"]), month=int(groups["dm"]))
    elif groups["iy"]:
        when = YearMonth(year=int(groups["iy"]), month=int(groups["im"]))
    elif groups["year"]:
        when = YearMonth(year=int(groups["year"]))
    else:
        when = None
    return DatePoint(when=when, start=match.start(), end=match.end())


def date_points(text: str) -> list[DatePoint]:
    """Every date (and every word for "present") in the text, in order."""
    return [_point(m) for m in _POINT.finditer(text)]


def parse_date_point(text: str) -> YearMonth | None:
    """A single date such as `März 2019` or `03/2019`; None if the text holds none."""
    points = [p for p in date_points(text) if not p.is_present]
    return points[0].when if points else None


def _lead_start(text: str, pos: int, pattern: re.Pattern[str]) -> int | None:
    found = pattern.search(text[:pos])
    return found.start("word") if found else None


def find_date_range(text: str) -> DateRange | None:
    """The first date range in a line, or an open range (`seit 2021`), or a lone date.

    A lone date stands for a stint within that month or year (start = end). A lone
    "present" word is not a date: `Current role` must not make a line dated.
    """
    points = date_points(text)
    for first, second in itertools.pairwise(points):
        if first.is_present:
            continue
        between = text[first.end : second.start]
        joined = _RANGE_SEPARATOR.match(between) or (second.is_present and not between.strip())
        if not joined:
            continue
        lead = _lead_start(text, first.start, _RANGE_LEAD)
        start = lead if lead is not None else first.start
        if second.is_present:
            return DateRange(first.when, None, True, (start, second.end))
        return DateRange(first.when, second.when, False, (start, second.end))
    dated = [p for p in points if not p.is_present]
    if not dated:
        return None
    first = dated[0]
    lead = _lead_start(text, first.start, _OPEN_START)
    if lead is not None:
        return DateRange(first.when, None, True, (lead, first.end))
    return DateRange(first.when, first.when, False, (first.start, first.end))


def format_year_month(value: YearMonth) -> str:
    """`06/2019`, or `2019` when the CV gives no month."""
    return f"{value.month:02d}/{value.year}" if value.month else str(value.year)
