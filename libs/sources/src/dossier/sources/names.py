"""Names as people write them, folded one way for every comparison in Dossier.

Identity and every connector compare names through this module, so "Anna Müller",
"Anna Mueller" and "ANNA MÜLLER" are the same words everywhere, "Søren" is "Soren",
"Łukasz" is "Lukasz" and "Иван" is "Ivan" (transliteration by `anyascii`, ISC-licensed).

Matching stays exact after folding: two names agree when a given name and a surname of
one appear as whole words in the other. Middle names, word order ("DOE, Jane"), particles
("van der", "de la") and one of two surnames ("García" for "García López") may differ; a
different word never matches ("Smith" is not "Smithson", "Jon" is not "John"), because a
false match on a namesake is worse than a miss.
"""

import functools
import re
import unicodedata

from anyascii import anyascii

#: Germans spell umlauts out where a keyboard or a URL has none (`mueller`, `goetz`).
_UMLAUTS_SPELLED_OUT = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}
)
_WORD = re.compile(r"[a-z0-9]+")

#: Particles that are part of a surname but are often dropped or glued on (`van der`, `de la`).
NAME_PARTICLES = frozenset(
    {
        "de",
        "del",
        "della",
        "di",
        "da",
        "dos",
        "du",
        "la",
        "le",
        "van",
        "von",
        "der",
        "den",
        "y",
        "zu",
    }
)


def fold(text: str) -> str:
    """Lower-case ASCII, punctuation kept: `Zürich` → `zurich`, `Straße` → `strasse`,
    `Søren` → `soren`. Symbols outside ASCII (emoji, bullets) become spaces."""
    if text.isascii():
        return text.lower()
    nfc = unicodedata.normalize("NFC", text)
    return "".join(ch if ch < "\x80" else _ascii_of(ch) for ch in nfc).lower()


@functools.lru_cache(maxsize=8192)
def _ascii_of(ch: str) -> str:
    """One character in ASCII: letters, marks, digits and dashes/quotes transliterated."""
    category = unicodedata.category(ch)
    if category[0] in "LMN" or category in ("Pd", "Pi", "Pf"):
        return str(anyascii(ch))
    return " "


def fold_words(text: str) -> str:
    """Folded words separated by single spaces, punctuation gone: `"DOE, Jane"` → `doe jane`."""
    return " ".join(_WORD.findall(fold(text)))


def fold_variants(text: str) -> set[str]:
    """`Müller` → {`muller`, `mueller`}: both ways a German name is written in ASCII."""
    return {fold(text), fold(text.translate(_UMLAUTS_SPELLED_OUT))}


def words(text: str) -> list[str]:
    """The folded words of a text, in order."""
    return _WORD.findall(fold(text))


def name_parts(name: str) -> set[str]:
    """Every significant word of a name, in each of its ASCII spellings, particles left out."""
    return {w for v in fold_variants(name) for w in _WORD.findall(v) if w not in NAME_PARTICLES}


def split_full_name(full_name: str) -> tuple[str, str]:
    """(given names, surname) of a full name written given names first: the last word is
    the surname, the particles before it belong to it (`Ludwig van Beethoven`)."""
    parts = full_name.split()
    if len(parts) < 2:
        return "", full_name.strip()
    cut = len(parts) - 1
    while cut > 1 and fold(parts[cut - 1]) in NAME_PARTICLES:
        cut -= 1
    return " ".join(parts[:cut]), " ".join(parts[cut:])


def names_agree(first_name: str, last_name: str, other: str, *, initials: bool = False) -> bool:
    """Whether `other` (a display name, a registry entry, a snippet's words) names this
    person: one of the surname's words and one of the given names, as whole folded words.

    With `initials`, a given name may be written as its initial (`J. Doe`) — for sources
    that abbreviate; a connector deciding on a namesake keeps it off.
    """
    present = name_parts(other)
    surname, given = name_parts(last_name), name_parts(first_name)
    if not present or not surname or not surname & present:
        return False
    if given & present:
        return True
    if not given:
        return False
    if not initials:
        return False
    written_initials = {w for w in words(other) if len(w) == 1}
    return bool({g[0] for g in given} & written_initials)


def full_names_agree(full_name: str, other: str | None) -> bool:
    """`names_agree` for a full name written given names first (`Jane Marie Doe`)."""
    if not other:
        return False
    first, last = split_full_name(full_name)
    return names_agree(first, last, other)
