"""One phrasebook per report language."""

from dossier.contracts.enums import Language
from dossier.reporter.domain.catalogue import de, en, es, fr, it
from dossier.reporter.domain.phrases import Phrasebook

CATALOGUE: dict[Language, Phrasebook] = {
    Language.EN: en.PHRASES,
    Language.FR: fr.PHRASES,
    Language.DE: de.PHRASES,
    Language.IT: it.PHRASES,
    Language.ES: es.PHRASES,
}


def phrasebook(language: Language) -> Phrasebook:
    """The catalogue for one report language."""
    return CATALOGUE[language]
