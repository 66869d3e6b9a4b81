"""Comparing employer names and e-mail domains.

`Acme GmbH`, `ACME`, `Acme AG` and `acme s.a.` are one employer to a recruiter: legal
suffixes, case, accents and punctuation are ignored, and a close spelling still matches.
"""

import re
from difflib import SequenceMatcher

from dossier.sources.names import fold

#: Legal-form tokens dropped before comparing (after folding and removing dots).
LEGAL_SUFFIXES = frozenset(
    {
        "gmbh", "ag", "sa", "sas", "sasu", "sarl", "ltd", "limited", "inc", "incorporated",
        "llc", "llp", "plc", "spa", "srl", "sl", "slu", "bv", "nv", "kg", "kgaa", "ug", "se",
        "co", "corp", "corporation", "company", "oy", "ab", "as", "sagl", "scarl",
        "haftungsbeschrankt", "mbh", "eg", "ev", "snc", "sca", "pty", "lda", "cie",
    }
)  # fmt: skip

#: Mail providers anyone can sign up to: their domain says nothing about an employer.
WEBMAIL_DOMAINS = frozenset(
    {
        "gmail.com", "googlemail.com", "yahoo.com", "yahoo.fr", "yahoo.de", "yahoo.it",
        "yahoo.es", "yahoo.co.uk", "hotmail.com", "hotmail.fr", "hotmail.de", "hotmail.it",
        "hotmail.es", "hotmail.co.uk", "outlook.com", "outlook.fr", "outlook.de", "outlook.it",
        "outlook.es", "live.com", "live.fr", "live.de", "live.it", "msn.com", "icloud.com",
        "me.com", "mac.com", "aol.com", "gmx.de", "gmx.net", "gmx.ch", "gmx.at", "gmx.fr",
        "web.de", "t-online.de", "freenet.de", "posteo.de", "mailbox.org", "orange.fr",
        "free.fr", "laposte.net", "sfr.fr", "wanadoo.fr", "libero.it", "virgilio.it",
        "tiscali.it", "alice.it", "tin.it", "bluewin.ch", "sunrise.ch", "hispeed.ch",
        "protonmail.com", "protonmail.ch", "proton.me", "pm.me", "hey.com", "yandex.com",
        "yandex.ru", "mail.ru", "zoho.com", "tutanota.com", "tuta.io", "fastmail.com",
        "telefonica.net", "movistar.es", "ymail.com", "rocketmail.com",
    }
)  # fmt: skip

#: Second-level labels under which country registries sell domains (`acme.co.uk`).
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "ac", "gov", "edu", "or", "ne", "gv"})

_NON_WORD = re.compile(r"[^a-z0-9]+")


def company_tokens(name: str) -> list[str]:
    """`Acme Software GmbH` → [`acme`, `software`]; `S.p.A.` and `S.L.` count as suffixes."""
    folded = fold(name).replace("&", " and ")
    folded = re.sub(r"\b([a-z])\.(?=[a-z]\b|[a-z]\.)", r"\1", folded)  # s.p.a. → spa.
    folded = folded.replace(".", "")
    words = [w for w in _NON_WORD.split(folded) if w]
    while words and words[-1] in LEGAL_SUFFIXES | {"and", "the"}:
        words.pop()
    while words and words[0] in {"the", "@"}:
        words.pop(0)
    return words or [w for w in _NON_WORD.split(folded) if w]


def company_key(name: str) -> str:
    """A comparable key: `Acme GmbH` and `ACME` both → `acme`."""
    return " ".join(company_tokens(name))


def companies_match(a: str | None, b: str | None) -> bool:
    """Same employer, allowing for legal suffixes, a dropped word (`Acme` vs `Acme Labs`)
    and small misspellings."""
    if not a or not b:
        return False
    ka, kb = company_tokens(a), company_tokens(b)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    shorter, longer = (ka, kb) if len(ka) <= len(kb) else (kb, ka)
    if longer[: len(shorter)] == shorter and len("".join(shorter)) >= 3:
        return True
    glued_a, glued_b = "".join(ka), "".join(kb)
    if glued_a == glued_b:
        return True
    return SequenceMatcher(None, glued_a, glued_b).ratio() >= 0.88


def email_domain(email: str) -> str | None:
    _, at, domain = email.strip().lower().rpartition("@")
    return domain.strip(".") if at and "." in domain else None


def is_webmail(domain: str) -> bool:
    return domain.lower() in WEBMAIL_DOMAINS


def is_academic_domain(domain: str) -> bool:
    """University and school addresses: neither an employer nor a red flag."""
    labels = domain.lower().split(".")
    return (
        labels[-1] == "edu"
        or (len(labels) >= 3 and labels[-2] in {"ac", "edu"})
        or any(label.startswith(("uni", "univ")) for label in labels)
        or any(label in {"ethz", "epfl", "polimi", "polito", "tum", "kit"} for label in labels)
    )


def organisation_label(domain: str) -> str:
    """The label an organisation chose: `mail.acme-software.co.uk` → `acme-software`."""
    labels = domain.lower().split(".")
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL:
        return labels[-3]
    return labels[-2] if len(labels) >= 2 else labels[0]


def domain_matches_company(domain: str, company: str | None) -> bool:
    """`acme-software.de` belongs to `Acme Software GmbH`; `acme.ch` to `ACME AG`."""
    if not company:
        return False
    label = organisation_label(domain).replace("-", "")
    words = company_tokens(company)
    glued = "".join(words)
    if not label or not glued:
        return False
    if label == glued or label in words:
        return True
    if len(label) >= 3 and (glued.startswith(label) or label.startswith(glued)):
        return True
    initials = "".join(w[0] for w in words)
    return len(words) >= 2 and label == initials
