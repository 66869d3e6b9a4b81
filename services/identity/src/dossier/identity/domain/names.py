"""Comparing people's names the way they are really written: with or without accents,
umlauts spelled out (`Müller` / `Mueller`), hyphens, compound surnames, and LinkedIn
slugs (`anna-mueller-4b2a91`)."""

import re
import unicodedata
from urllib.parse import unquote, urlsplit

_SPECIAL = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ı": "i"})
_GERMAN_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})
_TOKEN = re.compile(r"[a-z0-9]+")

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
    """Lower-case, accents removed: `Zürich` → `zurich`, `Straße` → `strasse`."""
    lowered = text.lower().translate(_SPECIAL)
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold_variants(text: str) -> set[str]:
    """`Müller` → {`muller`, `mueller`}: Germans spell umlauts out in URLs and e-mails."""
    return {fold(text), fold(text.lower().translate(_GERMAN_UMLAUTS))}


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(fold(text))


def _name_parts(name: str) -> list[str]:
    """Significant tokens of a name, particles left out."""
    return [t for t in tokens(name) if t not in NAME_PARTICLES]


def _variants_of_parts(name: str) -> set[str]:
    out: set[str] = set()
    for variant in fold_variants(name):
        out.update(t for t in _TOKEN.findall(variant) if t not in NAME_PARTICLES)
    return out


def person_names_match(first_name: str, last_name: str, other: str) -> bool:
    """Whether `other` (a display name) names the same first and last name.

    Any surname part suffices (`García` for `García López`); the first name may be given
    as an initial (`J. Doe`).
    """
    other_parts = _variants_of_parts(other)
    if not other_parts:
        return False
    last_parts = _variants_of_parts(last_name)
    first_parts = _variants_of_parts(first_name)
    if not last_parts & other_parts:
        return False
    if first_parts & other_parts:
        return True
    initials = {p[0] for p in first_parts}
    other_initials = {p for p in tokens(other) if len(p) == 1}
    return bool(initials & other_initials)


def linkedin_slug(url: str) -> str | None:
    """`https://www.linkedin.com/in/anna-mueller-4b2a91/` → `anna-mueller-4b2a91`."""
    text = url.strip()
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    if "linkedin." not in parts.netloc.lower():
        return None
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) >= 2 and segments[0].lower() in {"in", "pub"}:
        return unquote(segments[1])
    return None


def slug_letters(slug: str) -> str:
    """The name part of a slug: tokens carrying digits (LinkedIn's suffixes) dropped, glued."""
    parts = [p for p in re.split(r"[-_.]+", fold(unquote(slug))) if p]
    return "".join(p for p in parts if not any(ch.isdigit() for ch in p))


def slug_name_agreement(slug: str, first_name: str, last_name: str) -> str:
    """`both`, `last`, `first` or `none`: which of the names the slug spells out.

    An initial counts for the first name when the surname is present (`jdoe`, `doe-j`).
    """
    letters = slug_letters(slug)
    if not letters:
        return "none"
    lasts = {v.replace(" ", "") for v in _joined_variants(last_name)}
    firsts = {v.replace(" ", "") for v in _joined_variants(first_name)}
    has_last = any(v and v in letters for v in lasts) or any(
        p in letters for p in _variants_of_parts(last_name) if len(p) >= 3
    )
    has_first = any(v and v in letters for v in firsts)
    if has_last and not has_first:
        initials = {v[0] for v in firsts if v}
        rest = letters
        for v in lasts:
            rest = rest.replace(v, "")
        has_first = bool(rest) and (rest[0] in initials or rest[-1] in initials) and len(rest) <= 2
    if has_first and has_last:
        return "both"
    if has_last:
        return "last"
    return "first" if has_first else "none"


def _joined_variants(name: str) -> set[str]:
    """A name as it appears glued in a slug: `García López` → `garcialopez`, also `garcia`."""
    out: set[str] = set()
    for variant in fold_variants(name):
        words = [w for w in _TOKEN.findall(variant) if w]
        if words:
            out.add("".join(words))
            out.add("".join(w for w in words if w not in NAME_PARTICLES))
    return out
