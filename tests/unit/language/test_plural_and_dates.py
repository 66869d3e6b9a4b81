"""Plural rules and dates from CLDR (Babel), in the five languages."""

from datetime import date

import pytest

from dossier.contracts.enums import Language
from dossier.language.dates import Month, iso_date, long_date, month_year
from dossier.language.numbers import decimal, number
from dossier.language.plural import plural_form

EN, FR, DE, IT, ES = Language.EN, Language.FR, Language.DE, Language.IT, Language.ES


@pytest.mark.parametrize(
    ("count", "language", "form"),
    [
        (0, FR, "one"),  # French: 0 is singular (`0 an`)
        (1, FR, "one"),
        (2, FR, "other"),
        (0, EN, "other"),  # English: `0 years`
        (1, EN, "one"),
        (0, DE, "other"),
        (1, IT, "one"),
        (0, ES, "other"),
        (1_000_000, FR, "other"),  # CLDR `many` reads as `other`
    ],
)
def test_plural_forms_follow_cldr(count: int, language: Language, form: str) -> None:
    assert plural_form(count, language) == form


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (EN, "1 March 2019"),
        (FR, "1 mars 2019"),
        (DE, "1. März 2019"),
        (IT, "1 marzo 2019"),
        (ES, "1 de marzo de 2019"),
    ],
)
def test_dates_are_written_the_languages_way(language: Language, expected: str) -> None:
    assert long_date(date(2019, 3, 1), language) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (EN, "May 2024"),
        (FR, "mai 2024"),
        (DE, "Mai 2024"),
        (IT, "maggio 2024"),
        (ES, "mayo de 2024"),
    ],
)
def test_months_are_written_the_languages_way(language: Language, expected: str) -> None:
    assert month_year(2024, 5, language) == expected
    assert Month(2024, 5).render(language) == expected


def test_iso_text_from_providers_is_read_or_refused() -> None:
    assert iso_date("2021-04-01") == date(2021, 4, 1)
    assert iso_date("2021-04-01T10:00:00Z") == date(2021, 4, 1)
    assert iso_date("not a date") is None
    assert Month.from_iso("2024-05-17T09:00:00Z") == Month(2024, 5)
    assert Month.from_iso("2024-13") is None


def test_numbers_take_the_languages_decimal_sign() -> None:
    assert decimal(0.875, EN) == "0.88"
    assert decimal(0.875, FR) == "0,88"
    assert number(0.7, EN) == "0.7"
    assert number(0.7, IT) == "0,7"
