"""A small, dependency-free guess of which report language a text is written in.

Good enough to catch a model answering in English when French was asked for; not a
general language detector. It counts function words that belong to one language only.
"""

import re

from dossier.contracts.enums import Language

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Frequent words that do not also appear in another of the five languages.
_MARKERS: dict[Language, frozenset[str]] = {
    Language.EN: _words(
        "the and of to is with for that this not be we it are was were which have has from by"
        " should could would"
    ),
    Language.FR: _words(
        "le les des et est du une pour que pas sur avec dans nous sont aux mais ou ce cette"
        " été être peut mieux aucun ne"
    ),
    Language.DE: _words(
        "der die das und ist nicht mit den dem von zu ein eine auf wir sich wird sind bei"
        " nach oder auch aber nur"
    ),
    Language.IT: _words(
        "il di che è per non gli della del dei delle sono una nel nella alla ma anche ha"
        " essere stato lo"
    ),
    Language.ES: _words(
        "el los las que y es por para del una con pero son está ha sido lo muy también según nada"
    ),
}

#: Fewer marker words than this and the text is too short to judge.
MIN_MARKERS = 4


def guess_language(text: str) -> Language | None:
    """The language with the most marker words, or None when the text is too short to tell."""
    words = [word.lower() for word in _WORD.findall(text)]
    scores = {
        lang: sum(1 for word in words if word in markers) for lang, markers in _MARKERS.items()
    }
    best = max(scores, key=lambda lang: scores[lang])
    if scores[best] < MIN_MARKERS:
        return None
    return best
