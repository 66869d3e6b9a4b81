"""The message catalogue: complete in five languages, placeholders consistent."""

import pytest

from dossier.contracts.claims import YearMonth
from dossier.contracts.enums import Language
from dossier.identity.domain.messages import (
    CATALOGUE,
    duration,
    message,
    range_label,
    years,
)
from dossier.language.catalogue import catalogue_problems


def test_the_catalogue_is_complete_with_the_same_placeholders_in_every_language() -> None:
    assert catalogue_problems(CATALOGUE) == []


@pytest.mark.parametrize(
    ("months", "language", "text"),
    [
        (1, Language.EN, "1 month"),
        (9, Language.EN, "9 months"),
        (15, Language.FR, "15 mois"),
        (24, Language.IT, "2 anni"),
        (25, Language.ES, "2 años y 1 mes"),
        (27, Language.DE, "2 Jahre und 3 Monate"),
    ],
)
def test_durations_read_naturally(months: int, language: Language, text: str) -> None:
    assert duration(months, language) == text


def test_german_durations_take_the_dative_after_von() -> None:
    assert duration(9, Language.DE, dative=True) == "9 Monaten"
    assert duration(27, Language.DE, dative=True) == "2 Jahren und 3 Monaten"
    assert duration(1, Language.DE, dative=True) == "1 Monat"


def test_zero_is_singular_in_french_and_plural_in_english() -> None:
    assert years(0, Language.FR) == "0 an"
    assert years(0, Language.EN) == "0 years"
    assert years(0, Language.DE) == "0 Jahre"
    assert duration(0, Language.IT) == "0 mesi"


def test_years_are_singular_for_one() -> None:
    assert years(1, Language.FR) == "1 an"
    assert years(4, Language.IT) == "4 anni"


def test_open_range_says_present_in_the_language() -> None:
    start = YearMonth(year=2019, month=3)
    assert range_label(start, None, Language.EN) == "03/2019–present"
    assert range_label(start, None, Language.DE) == "03/2019–heute"
    assert range_label(start, YearMonth(year=2021), Language.ES) == "03/2019–2021"


def test_abbreviation_at_the_end_of_a_sentence_leaves_one_full_stop() -> None:
    text = message("current.match", Language.EN, employer="Acme S.L.")
    assert text.endswith("Acme S.L. as the current employer, as stated in the request.")
    text = message("qs.red.employer", Language.EN)
    assert not text.endswith("..")
    mismatch = message("current.mismatch", Language.ES, requested="A", cv_employer="Cortexa S.L.")
    assert mismatch.endswith("Cortexa S.L.")
    assert not mismatch.endswith("..")
