"""Which of the five report languages a text is written in — the one guesser.

Used to read a CV (with its section headings as a strong hint) and to check that a
written report is in the language asked for. Not a general language detector: it counts
frequent function words and a few words CVs are full of.

Words that belong to more than one of the five languages (`que` is French and Spanish,
`del` and `una` Italian and Spanish, `la` three of them) are kept, but their vote is
split: a word listed for k languages adds 1/k to each. A text written in French then
still wins on the words only French has, and a shared word alone cannot tip it.
Accents are folded before counting (`für` and `fur`, `está` and `esta` are one word).
"""

import re
import unicodedata
from collections.abc import Mapping
from fractions import Fraction

from dossier.contracts.enums import Language


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Frequent words of each language, accents folded. A word may appear under several
#: languages; `_WEIGHTS` splits its vote.
MARKERS: Mapping[Language, frozenset[str]] = {
    Language.EN: _words(
        "the and of to is with for that this not be we it are was were which have has from"
        " by should could would at in years experience developed led built team my our"
        " responsible managed using present"
    ),
    Language.FR: _words(
        "le la les des et est du une pour que pas sur avec dans nous sont aux mais ou ce"
        " cette ete etre peut mieux aucun ne chez ans au son developpement equipe responsable"
        " depuis mise projet projets non"
    ),
    Language.DE: _words(
        "der die das und ist nicht mit den dem des von zu ein eine auf wir sich wird sind bei"
        " nach oder auch aber nur fur seit jahre ich im in als entwicklung verantwortlich"
        " aufbau kunden heute"
    ),
    Language.IT: _words(
        "il di che e per non gli della del dei delle sono una nel nella alla ma anche ha"
        " essere stato lo presso anni sviluppo gestione ad oggi clienti progetti dal al la"
        " in con"
    ),
    Language.ES: _words(
        "el los las que y es por para del una con pero son esta ha sido lo muy tambien segun"
        " nada anos desde como sus desarrollo gestion equipo clientes proyectos actualidad"
        " hasta al la"
    ),
}


def _weights() -> dict[str, dict[Language, Fraction]]:
    owners: dict[str, list[Language]] = {}
    for language, words in MARKERS.items():
        for word in words:
            owners.setdefault(word, []).append(language)
    return {
        word: dict.fromkeys(languages, Fraction(1, len(languages)))
        for word, languages in owners.items()
    }


_WEIGHTS = _weights()
_WORD = re.compile(r"[a-z]+")

#: A section heading in a language is worth this many function words.
HEADING_WEIGHT = 5


def fold_accents(text: str) -> str:
    """Lower case without accents: `Für` → `fur`, `está` → `esta`."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def language_scores(
    text: str, hints: Mapping[Language, int] | None = None
) -> dict[Language, Fraction]:
    """Each language's score: marker words (shared ones split) plus weighted hints."""
    scores = dict.fromkeys(MARKERS, Fraction(0))
    for word in _WORD.findall(fold_accents(text)):
        for language, weight in _WEIGHTS.get(word, {}).items():
            scores[language] += weight
    for language, count in (hints or {}).items():
        scores[language] += HEADING_WEIGHT * count
    return scores


def guess_language(
    text: str, *, hints: Mapping[Language, int] | None = None, min_score: float = 1
) -> Language | None:
    """The most likely language, or None when the best score is below `min_score`.

    `hints` counts outside evidence per language (a CV's section headings), each worth
    `HEADING_WEIGHT` words. Ties go to the first language in `MARKERS` (English), so the
    answer never depends on dict order.
    """
    scores = language_scores(text, hints)
    best = max(scores.values())
    if best == 0 or best < min_score:
        return None
    return next(language for language in MARKERS if scores[language] == best)
