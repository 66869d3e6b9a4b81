"""Numbers as each language writes them."""

from babel.numbers import format_decimal

from dossier.contracts.enums import Language
from dossier.language.locales import locale


def decimal(value: float, language: Language, *, places: int = 2) -> str:
    """`0.87` in English, `0,87` in French; always `places` decimals, no grouping."""
    pattern = "0." + "0" * places if places else "0"
    return str(format_decimal(value, format=pattern, locale=locale(language)))


def number(value: float, language: Language) -> str:
    """`0.7` / `0,7`: as many decimals as the value has (up to three)."""
    return str(format_decimal(value, locale=locale(language)))
