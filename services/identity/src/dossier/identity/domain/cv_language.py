"""Guessing which of the five languages a CV is written in.

Counts short function words that are frequent in one language and rare in the others,
plus the language of the section headings (a strong hint, weighted higher). Words
shared between languages (`de`, `en`, `con`) are left out on purpose.
"""

import re

from dossier.contracts.enums import Language
from dossier.sources.names import fold


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_MARKERS: dict[Language, frozenset[str]] = {
    Language.EN: _word_set(
        "the and of with for at years experience in to developed led built team my our "
        "responsible managed using from present"
    ),
    Language.FR: _word_set(
        "le la les des et du pour avec chez ans une dans sur au aux developpement equipe "
        "responsable depuis mise projet projets"
    ),
    Language.DE: _word_set(
        "der die das und mit fur bei von im zu seit jahre ich ein eine als entwicklung "
        "verantwortlich aufbau kunden heute"
    ),
    Language.IT: _word_set(
        "il di della delle del e per presso anni nel gli dei sviluppo gestione ad oggi "
        "clienti progetti dal al"
    ),
    Language.ES: _word_set(
        "el los las y para anos desde por como sus desarrollo gestion equipo clientes "
        "proyectos actualidad hasta"
    ),
}
_WORD = re.compile(r"[a-z]+")

#: A heading is worth this many function words.
HEADING_WEIGHT = 5


def detect_language(
    text: str, heading_languages: dict[Language, int] | None = None
) -> Language | None:
    """The most likely language, or None when nothing points anywhere."""
    words = _WORD.findall(fold(text))
    scores = dict.fromkeys(_MARKERS, 0)
    for word in words:
        for language, markers in _MARKERS.items():
            if word in markers:
                scores[language] += 1
    for language, count in (heading_languages or {}).items():
        scores[language] += HEADING_WEIGHT * count
    best = max(scores.values())
    if best == 0:
        return None
    # Stable tie-break in declaration order (English first).
    return next(language for language in _MARKERS if scores[language] == best)
