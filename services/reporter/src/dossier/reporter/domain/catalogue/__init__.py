"""One phrasebook per report language (`en.py`, `fr.py`, …), read by the shared loader."""

from collections.abc import Mapping

from dossier.contracts.enums import Language
from dossier.language.catalogue import load_catalogue
from dossier.reporter.domain.phrases import Phrasebook

CATALOGUE: Mapping[Language, Phrasebook] = load_catalogue(
    "dossier.reporter.domain.catalogue", Phrasebook
)


def phrasebook(language: Language) -> Phrasebook:
    """The catalogue for one report language."""
    return CATALOGUE[language]
