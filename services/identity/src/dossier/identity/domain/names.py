"""Comparing people's names the way they are really written: with or without accents,
umlauts spelled out (`Müller` / `Mueller`), hyphens, compound surnames, and LinkedIn
slugs (`anna-mueller-4b2a91`)."""

import re
from urllib.parse import unquote, urlsplit

from dossier.sources.names import NAME_PARTICLES, fold, fold_variants, names_agree, words

_TOKEN = re.compile(r"[a-z0-9]+")


def tokens(text: str) -> list[str]:
    return words(text)


def _variants_of_parts(name: str) -> set[str]:
    out: set[str] = set()
    for variant in fold_variants(name):
        out.update(t for t in _TOKEN.findall(variant) if t not in NAME_PARTICLES)
    return out


def person_names_match(first_name: str, last_name: str, other: str) -> bool:
    """Whether `other` (a display name) names the same first and last name: the shared
    rules (`dossier.sources.names`), with a first name given as an initial (`J. Doe`)."""
    return names_agree(first_name, last_name, other, initials=True)


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
