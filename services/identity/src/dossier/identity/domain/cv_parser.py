"""From a plain-text CV to `CvClaims`: what the CV says, as data.

Robust rather than perfect: the parser reads the shapes people really use in English,
French, German, Italian and Spanish CVs and leaves a field empty rather than guess
wildly. The CV text itself is never kept in the claims.

The text comes from strangers, so parsing is linear in its size and capped
(`bounded_text`: 100,000 characters; the structural parse reads the first 2,000 lines,
each cut at 1,000 characters; at most 60 jobs, 30 schools, 150 skills…). The identity stage still runs it in a
worker process under a time budget (`dossier.identity.cv_worker`).
"""

import datetime as dt
import re

from dossier.contracts.claims import CvClaims
from dossier.identity.domain.bounded_text import (
    MAX_CV_CHARS,
    MAX_EMAILS,
    MAX_LANGUAGES,
    MAX_LINE_CHARS,
    MAX_LINES,
    MAX_LINKS,
    MAX_SKILLS,
)
from dossier.identity.domain.cv_dates import find_date_range
from dossier.identity.domain.cv_entries import (
    looks_like_header_line,
    parse_education,
    parse_employments,
)
from dossier.identity.domain.cv_sections import Section, heading_of, split_sections
from dossier.identity.domain.places import looks_like_location
from dossier.language.guess import guess_language
from dossier.sources.names import NAME_PARTICLES, fold

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_URL = re.compile(
    r"(?:https?://|www\.)[^\s<>()|,;]+"
    r"|(?<![@\w.])(?:[a-z]{2,3}\.)?(?:linkedin\.com|github\.com|gitlab\.com|xing\.com|"
    r"stackoverflow\.com|medium\.com|behance\.net|dribbble\.com)/[^\s<>()|,;]+"
    r"|(?<![@\w.-])[a-z0-9][a-z0-9-]*\.(?:dev|io|me|ch|com|de|fr|it|es|net|org|eu|tech|app)"
    r"(?:/[^\s<>()|,;]*)?(?![\w@.-])",
    re.IGNORECASE,
)
_PHONE = re.compile(r"\+?\d[\d\s()./-]{6,}\d")
_LABEL = re.compile(
    r"^\s*(?:location|address|based in|lieu|adresse|localisation|wohnort|adresse|standort|"
    r"ort|città|citta|residenza|indirizzo|ubicación|ubicacion|dirección|direccion|ciudad)"
    r"\s*[:\-–]\s*",
    re.IGNORECASE,
)
_HEADER_SPLIT = re.compile(r"\s*[|·•;]\s*|\s{3,}|\s+[-–—]\s+")
_NOT_A_NAME = frozenset(
    {"curriculum", "vitae", "cv", "resume", "résumé", "lebenslauf", "curriculum vitae"}
)
_NAME_WORD = re.compile(
    r"^(?:[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’]+|[A-ZÀ-ÖØ-Þ]{2,}|[A-ZÀ-ÖØ-Þ]\.)(?:-[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’]+)*$"
)

_YEARS_WORD = r"(?:years?|yrs?|ans|années|annees|jahre?n?|anni|años|anos)"
_EXPERIENCE_WORD = (
    r"(?:experience|expérience|experience|erfahrung|berufserfahrung|esperienza|experiencia|"
    r"praxis)"
)
# Each run of whitespace is read by one `\s*` only (`\s*\+?\s*` would try every split
# of a long run, and three in a row every triple); the suffix after the experience word
# is bounded so a long word is not re-read from each of its occurrences.
_CLAIMED_YEARS = (
    re.compile(
        rf"(?P<n>\d{{1,2}})\s*(?:\+\s*)?{_YEARS_WORD}\b[^.\n]{{0,40}}?{_EXPERIENCE_WORD}",
        re.IGNORECASE,
    ),
    re.compile(
        rf"{_EXPERIENCE_WORD}\w{{0,3}}\s*(?:(?::|of|de|di|von)\s*)?"
        rf"(?:(?:über|more than|plus de|oltre|más de)\s*)?"
        rf"(?P<n>\d{{1,2}})\s*(?:\+\s*)?{_YEARS_WORD}\b",
        re.IGNORECASE,
    ),
)
# Whitespace before a separator is taken only from the start of its run (`(?<!\s)`):
# searching from each position of a long run that leads nowhere is quadratic.
_LIST_SPLIT = re.compile(r"(?:(?<!\s)\s+)?[,;•·|/]\s*|(?<!\s)\s+[-–]\s+")
_LANGUAGE_SPLIT = re.compile(r"(?:(?<!\s)\s+)?[,;•·|/]\s*")
_LEVEL = re.compile(
    r"(?:(?<!\s)\s+)?[(:\-–—].*$"
    r"|(?<!\s)\s+(?:[abc][12]|native|fluent|muttersprache|langue maternelle|madrelingua|"
    r"nativo|nativa)\b.*$",
    re.IGNORECASE,
)

MAX_LIST_ITEM = 40


def _looks_like_name(line: str) -> bool:
    text = line.strip()
    if not text or len(text) > 60 or any(ch.isdigit() for ch in text) or "@" in text:
        return False
    if fold(text) in _NOT_A_NAME or heading_of(text) is not None:
        return False
    words = text.split()
    if not 2 <= len(words) <= 5:
        return False
    significant = [w for w in words if w.lower() not in NAME_PARTICLES]
    return len(significant) >= 2 and all(_NAME_WORD.match(w) for w in significant)


def _pretty_name(line: str) -> str:
    words = line.strip().split()
    if all(w.isupper() for w in words if len(w) > 1):
        return " ".join(w if w.lower() in NAME_PARTICLES else w.title() for w in words)
    return " ".join(words)


def _header_fields(header: list[str]) -> tuple[str | None, str | None, str | None]:
    """(full name, headline, location) from the lines above the first heading."""
    lines = [line.strip() for line in header if line.strip()]
    while lines and fold(lines[0]).strip(" :") in _NOT_A_NAME:
        lines.pop(0)
    name: str | None = None
    if lines and _looks_like_name(lines[0]):
        name = _pretty_name(lines.pop(0))
    headline: str | None = None
    location: str | None = None
    for line in lines:
        labelled = _LABEL.match(line)
        if labelled and location is None:
            location = line[labelled.end() :].strip() or None
            continue
        for part in _HEADER_SPLIT.split(line):
            bare = part.strip()
            if location is None and looks_like_location(bare) and not EMAIL.search(bare):
                location = bare
        if (
            headline is None
            and not EMAIL.search(line)
            and not _URL.search(line)
            and not _PHONE.search(line)
            and not looks_like_location(line)
            and looks_like_header_line(line)
            and find_date_range(line) is None
        ):
            headline = line
    return name, headline, location


def _links(text: str) -> list[str]:
    found: dict[str, None] = {}  # ordered, and `in` stays constant-time on hostile input
    for match in _URL.finditer(text):
        if len(found) >= MAX_LINKS:
            break
        start = match.start()
        if start > 0 and text[start - 1] == "@":
            continue
        url = match.group(0).rstrip(".,;:)")
        if "@" in url:
            continue
        if not url.lower().startswith(("http://", "https://")):
            url = "https://" + url
        found.setdefault(url)
    return list(found)


def _emails(text: str) -> list[str]:
    out: dict[str, None] = {}
    for match in EMAIL.finditer(text):
        if len(out) >= MAX_EMAILS:
            break
        out.setdefault(match.group(0).rstrip(".").lower())
    return list(out)


def claimed_years_of_experience(text: str) -> int | None:
    """`10+ years of experience`, `plus de 8 ans d'expérience`, `über 10 Jahre Erfahrung`…"""
    for pattern in _CLAIMED_YEARS:
        found = pattern.search(text)
        if found:
            return int(found.group("n"))
    return None


def _list_items(lines: list[str], *, limit: int, strip_level: bool = False) -> list[str]:
    items: dict[str, None] = {}
    for line in lines:
        if len(items) >= limit:
            break
        text = re.sub(r"^\s*(?:[-*•·▪◦‣>]\s*)", "", line).strip()
        if not text:
            continue
        label, colon, rest = text.partition(":")
        if colon and len(label) <= 30 and rest.strip() and not strip_level:
            text = rest
        for raw in (_LANGUAGE_SPLIT if strip_level else _LIST_SPLIT).split(text):
            item = raw.strip(" .")
            if strip_level:
                item = _LEVEL.sub("", item).strip(" .")
            if item and len(item) <= MAX_LIST_ITEM:
                items.setdefault(item)
    return list(items)[:limit]


def parse_cv(text: str | None, *, today: dt.date) -> CvClaims:
    """Read a plain-text CV into claims. Empty or missing text gives empty claims.

    `today` is accepted so callers pass one clock to the whole stage; the parser itself
    reports dates as written and leaves judging them to the consistency checks.
    """
    del today
    if text is None or not text.strip():
        return CvClaims()
    text = text[:MAX_CV_CHARS]
    every_line = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = [line[:MAX_LINE_CHARS] for line in every_line[:MAX_LINES]]
    cv = split_sections(lines)
    name, headline, location = _header_fields(cv.header)
    experience_lines = cv.lines(Section.EXPERIENCE)
    if Section.EXPERIENCE not in cv.sections:
        # No recognisable heading: any dated line outside education may be a job.
        experience_lines = [*cv.header, *cv.lines(Section.OTHER), *cv.lines(Section.SUMMARY)]
    skills = _list_items(cv.lines(Section.SKILLS), limit=MAX_SKILLS)
    return CvClaims(
        language=guess_language(text, hints=cv.heading_languages),
        full_name=name,
        headline=headline,
        location=location,
        employments=parse_employments(experience_lines, skills=skills),
        education=parse_education(cv.lines(Section.EDUCATION)),
        skills=skills,
        languages=_list_items(cv.lines(Section.LANGUAGES), limit=MAX_LANGUAGES, strip_level=True),
        links=_links(text),
        emails=_emails(text),
        claimed_years_experience=claimed_years_of_experience(text),
    )
