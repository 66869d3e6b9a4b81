"""Pure text comparisons the connectors share: names, organisations, places, links.

Providers spell things their own way ("Jane DOE", "ACME LTD", "london, uk",
"https://www.acme.com/"). Every comparison here folds case, accents and
punctuation first, so a connector can say "matches the CV" without each one
re-inventing the rules.
"""

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from dossier.sources.names import fold_words, full_names_agree, names_agree

#: Words that say what kind of organisation it is, not which one.
_ORG_NOISE = frozenset(
    {
        "ltd",
        "limited",
        "plc",
        "llc",
        "llp",
        "inc",
        "incorporated",
        "corp",
        "corporation",
        "co",
        "company",
        "gmbh",
        "ag",
        "sa",
        "sas",
        "sarl",
        "srl",
        "spa",
        "bv",
        "nv",
        "ab",
        "oy",
        "as",
        "group",
        "holdings",
        "the",
        "and",
    }
)

_GITHUB_RESERVED = frozenset(
    {"orgs", "topics", "features", "about", "pricing", "settings", "marketplace", "sponsors"}
)


def name_matches(candidate: str, other: str | None) -> bool:
    """Whether `other` names the candidate (full name, given names first): order-free,
    middle names optional, as the shared rules in `dossier.sources.names` say."""
    return full_names_agree(candidate, other)


def text_mentions_name(text: str, first_name: str | None, last_name: str | None) -> bool:
    """Whether a snippet names the person: a given name and the surname appear as words."""
    return names_agree(first_name or "", last_name or "", text)


def org_key(name: str) -> str:
    """An organisation name without legal-form words: "ACME Ltd." → "acme"."""
    return " ".join(t for t in fold_words(name).split() if t not in _ORG_NOISE)


def org_matches(stated: str | None, known: Iterable[str]) -> str | None:
    """The known organisation that `stated` names, if any ("@acme-corp" matches "Acme")."""
    if not stated:
        return None
    stated_key = org_key(stated.lstrip("@"))
    if not stated_key:
        return None
    for name in known:
        key = org_key(name)
        if not key:
            continue
        if (
            key == stated_key
            or _contains_words(stated_key, key)
            or _contains_words(key, stated_key)
        ):
            return name
    return None


def text_mentions_org(text: str, known: Iterable[str]) -> str | None:
    """The first known organisation whose name appears (as words) in the text."""
    folded = fold_words(text)
    for name in known:
        key = org_key(name)
        if key and _contains_words(folded, key):
            return name
    return None


def _contains_words(haystack: str, needle: str) -> bool:
    return f" {needle} " in f" {haystack} "


def place_tokens(place: str) -> set[str]:
    return set(fold_words(place).split())


def location_matches(stated: str | None, expected: str | None) -> bool | None:
    """Do two place descriptions share the city? `None` when either is unknown.

    Compares the first part of each ("London, UK" → "london") against all words of
    the other, so "Greater London" and "London, United Kingdom" agree.
    """
    if not stated or not expected:
        return None
    stated_city = fold_words(stated.split(",")[0])
    expected_city = fold_words(expected.split(",")[0])
    if not stated_city or not expected_city:
        return None
    return _contains_words(fold_words(stated), expected_city) or _contains_words(
        fold_words(expected), stated_city
    )


def host_of(url: str) -> str:
    """The host name without `www.`, lower-case; empty for something that is not a URL."""
    candidate = url if "//" in url else f"//{url}"
    host = (urlsplit(candidate).hostname or "").lower()
    return host.removeprefix("www.")


def same_link(a: str, b: str) -> bool:
    """Two links to the same page, ignoring scheme, `www.`, case and a trailing slash."""

    def canonical(url: str) -> str:
        candidate = url.strip() if "//" in url else f"//{url.strip()}"
        parts = urlsplit(candidate)
        host = (parts.hostname or "").lower().removeprefix("www.")
        return f"{host}{parts.path.rstrip('/').lower()}"

    return bool(a.strip()) and canonical(a) == canonical(b)


def github_login_from(url: str) -> str | None:
    """The user name in a github.com profile link, or None for any other link."""
    if host_of(url) != "github.com":
        return None
    candidate = url if "//" in url else f"//{url}"
    segments = [s for s in urlsplit(candidate).path.split("/") if s]
    if not segments or segments[0].lower() in _GITHUB_RESERVED:
        return None
    login = segments[0]
    return login if re.fullmatch(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})", login) else None


def orcid_id_from(url: str) -> str | None:
    """The ORCID iD in an orcid.org link ("https://orcid.org/0000-0002-1825-0097")."""
    match = re.search(r"(\d{4}-\d{4}-\d{4}-\d{3}[\dX])", url)
    if match is None or "orcid" not in url.lower():
        return None
    return match.group(1)
