"""Small phrasing helpers shared by the deterministic writer: quoting, dates, findings."""

import re

from dossier.contracts.api import Signal
from dossier.contracts.claims import Education, Employment, YearMonth
from dossier.reporter.domain.phrases import Phrasebook, format_year_month
from dossier.reporter.domain.recommendation import claim_area

#: Longest source statement quoted in a report item; longer ones are cut at a word.
MAX_QUOTE_CHARS = 280

_SPACES = re.compile(r"\s+")


def quote(statement: str, book: Phrasebook) -> str:
    """A source's words, in the language's quotation marks, without the closing full stop.

    Statements are data from outside: they are quoted, never paraphrased, so a reader can
    tell our words from theirs.
    """
    text = _SPACES.sub(" ", statement).strip().rstrip(".")
    if len(text) > MAX_QUOTE_CHARS:
        text = text[:MAX_QUOTE_CHARS].rsplit(" ", 1)[0] + "…"
    opening, closing = book.quotes
    return f"{opening}{text}{closing}"


def source_label(signal: Signal, book: Phrasebook) -> str:
    return book.source_labels.get(signal.source_type.value, signal.source_type.value)


def finding(signal: Signal, book: Phrasebook) -> str:
    """`“statement” (company registry, reliability: high)`."""
    level = book.levels[signal.reliability.value]
    return (
        f"{quote(signal.statement, book)} "
        f"({source_label(signal, book)}, {book.reliability_label}{book.colon}{level})"
    )


def lead(text: str, signal: Signal, book: Phrasebook) -> str:
    """`Lead: “statement” (source, reliability: level)`."""
    return f"{text}{book.colon}{finding(signal, book)}"


def area_label(signal: Signal, book: Phrasebook) -> str:
    area = claim_area(signal)
    return book.area_labels.get(area, book.area_labels["other"])


def capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def _date(value: YearMonth | None, book: Phrasebook) -> str | None:
    return format_year_month(value.year, value.month, book) if value else None


def period(start: YearMonth | None, end: YearMonth | None, current: bool, book: Phrasebook) -> str:
    """`March 2021 – present`, `2015 – 2018`, or empty when the CV gives no dates."""
    first = _date(start, book)
    last = book.present if current else _date(end, book)
    if first and last:
        return f"{first} – {last}"
    return first or last or ""


def employment_period(job: Employment, book: Phrasebook) -> str:
    return period(job.start, job.end, job.current, book)


def education_period(entry: Education, book: Phrasebook) -> str:
    return period(entry.start, entry.end, False, book)


def in_parentheses(text: str) -> str:
    """` (text)` to append after a name, or nothing."""
    return f" ({text})" if text else ""


def after_comma(text: str) -> str:
    """`, text` to append inside existing parentheses, or nothing."""
    return f", {text}" if text else ""


def month_or_unknown(value: YearMonth | None, book: Phrasebook) -> str:
    return _date(value, book) or "?"
