"""Which CLDR locale writes each report language."""

from babel import Locale

from dossier.contracts.enums import Language

#: British English: day before month (`1 March 2019`), as the reporter writes dates.
_LOCALE_NAMES = {
    Language.EN: "en_GB",
    Language.FR: "fr_FR",
    Language.DE: "de_DE",
    Language.IT: "it_IT",
    Language.ES: "es_ES",
}

_LOCALES = {language: Locale.parse(name) for language, name in _LOCALE_NAMES.items()}


def locale(language: Language) -> Locale:
    return _LOCALES[Language(language)]
