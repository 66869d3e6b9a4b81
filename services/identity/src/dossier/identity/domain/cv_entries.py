"""Reading employment and education entries out of a CV section.

An entry is anchored on a line with dates. Its title and organisation come from the
rest of that line (`Senior Engineer — Acme GmbH, 03/2019 – present`,
`Acme GmbH | Senior Engineer | 2018–2020`, `2018 - 2020: Ingénieur chez Société X`) or,
when the dates stand alone, from the short lines just above (or just below) them.
Bullets and sentences under an entry are its description: they are summarised as the
position's achievements and team size (`cv_achievements`), never kept as text.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from dossier.contracts.claims import Education, Employment
from dossier.identity.domain.bounded_text import MAX_EDUCATION, MAX_EMPLOYMENTS, strip_edges
from dossier.identity.domain.cv_achievements import achievements, team_size
from dossier.identity.domain.cv_dates import DateRange, find_date_range
from dossier.identity.domain.organisations import LEGAL_SUFFIXES
from dossier.identity.domain.places import looks_like_location
from dossier.sources.names import fold

_BULLET = re.compile(r"^\s*(?:[-*•·▪◦‣–—>]|\d+[.)])\s+")
# Patterns that start on whitespace start only on the first character of a run
# (`(?<!\s)`): a match from inside the run would also match from its start, and trying
# every position of a long run costs its length squared (see `bounded_text`).
_CONNECTORS = (
    re.compile(r"(?<!\s)\s+(?:at|@|chez|bei|presso|au sein de|auprès de|para)\s+", re.IGNORECASE),
    re.compile(r"(?<!\s)\s+en\s+(?=[A-ZÁÉÍÓÚÑ])"),  # Spanish `Ingeniero en Acme`: last one
)
_STRONG_SPLIT = re.compile(r"\s*[|–—·•\t]\s*|\s+-\s+|\s*:\s+|\s{3,}")
_DURATION = re.compile(
    r"(?:\(|(?<!\s))\s*(?<!\d)\d+\s*(?:\+\s*)?"
    r"(?:yrs?|years?|mos?|months?|ans?|années?|mois|jahre?n?|monate?n?|"
    r"anni|anno|mesi|mese|años?|meses?)\b[^|()]*\)?",
    re.IGNORECASE,
)
_EMPTY_BRACKETS = re.compile(r"[(\[][\s|,;:·•–—-]*[)\]]")  # what `(2019 – 2021)` leaves
_SEPARATORS = ",;:|–—-·•/"  # stripped off a fragment's ends (with whitespace)

_PART_TIME = re.compile(
    r"part[- ]time|temps partiel|mi-temps|teilzeit|werkstudent|tempo parziale|part time|"
    r"media jornada|jornada parcial|freelance|freelancer|free-lance|freiberuflich|"
    r"selbstst[äa]ndig|self-employed|ind[ée]pendant|aut[óo]nomo|libero professionista|"
    r"contractor|nebenberuflich|side project|\b(?:[1-8]\d|9[0-5]?)\s?%",
    re.IGNORECASE,
)
_EMPLOYMENT_TYPE = re.compile(
    r"^(?:full[- ]time|part[- ]time|freelance|cdi|cdd|vollzeit|teilzeit|tempo pieno|"
    r"tempo parziale|jornada completa|media jornada|contract|internship|stage|praktikum|"
    r"remote|hybrid|on-site)$",
    re.IGNORECASE,
)

_TITLE_WORDS = (
    "engineer", "developer", "programmer", "architect", "manager", "director", "head",
    "lead", "analyst", "consultant", "designer", "scientist", "researcher", "intern",
    "trainee", "officer", "specialist", "administrator", "coordinator", "owner", "cto",
    "ceo", "cfo", "coo", "vp", "president", "founder", "co-founder", "assistant",
    "technician", "accountant", "advisor", "executive", "editor", "teacher", "nurse",
    "devops", "sre", "senior", "junior", "principal", "staff", "ingenieur", "ingénieur",
    "developpeur", "chef", "responsable", "directeur", "directrice", "consultante",
    "stagiaire", "charge", "analyste", "architecte", "technicien", "gestionnaire",
    "conseiller", "alternant", "chercheur", "comptable", "entwickler", "leiter", "berater",
    "praktikant", "werkstudent", "geschaftsfuhrer", "referent", "sachbearbeiter",
    "mitarbeiter", "architekt", "teamleiter", "wissenschaftler", "sviluppatore",
    "sviluppatrice", "ingegnere", "direttore", "consulente", "stagista", "analista",
    "tirocinante", "programmatore", "progettista", "tecnico", "capo", "architetto",
    "ricercatore", "desarrollador", "desarrolladora", "ingeniero", "ingeniera", "jefe",
    "jefa", "directora", "consultor", "consultora", "becario", "becaria", "arquitecto",
    "gerente", "programador", "investigador", "product", "data", "software", "auditor",
    "auditeur", "revisore", "controller", "contable", "abogado", "avvocato", "anwalt",
    "lawyer", "avocat", "buyer", "acheteur", "einkaufer", "recruiter", "agent", "agente",
)  # fmt: skip
_ORG_WORDS = frozenset(
    {
        "bank",
        "banque",
        "banca",
        "banco",
        "group",
        "groupe",
        "gruppe",
        "gruppo",
        "grupo",
        "labs",
        "lab",
        "technologies",
        "systems",
        "solutions",
        "consulting",
        "partners",
        "holding",
        "studio",
        "agency",
        "agentur",
        "hospital",
        "clinic",
        "klinik",
        "ospedale",
        "hopital",
        "university",
        "universite",
        "universitat",
        "universita",
        "universidad",
        "school",
        "ecole",
        "schule",
        "scuola",
        "escuela",
        "institute",
        "institut",
        "istituto",
        "instituto",
        "college",
        "politecnico",
        "hochschule",
        "academy",
        "academie",
        "accademia",
        "academia",
        "eth",
        "epfl",
        "fh",
        "zhaw",
        "hes",
        "lycee",
        "liceo",
        "gymnasium",
        "stiftung",
        "foundation",
        "fondation",
        "fondazione",
        "fundacion",
        "insurance",
        "versicherung",
        "assurances",
        "assicurazioni",
        "seguros",
        "ministry",
        "ministere",
        "ministerium",
        "ministero",
        "ministerio",
        "bundesamt",
    }
)
_DEGREE_WORDS = (
    "bachelor", "master", "msc", "bsc", "ba", "ma", "mba", "phd", "ph.d", "doctorate",
    "diplom", "diplome", "licence", "laurea", "magistrale", "triennale", "grado", "maestria",
    "doctorado", "dottorato", "bts", "dut", "abitur", "maturita", "matura", "bachillerato",
    "meng", "beng", "dipl", "certificate", "certificat", "ausbildung", "lehre", "cfc",
    "efz", "hnd", "diploma", "mestrado", "maturite", "baccalaureat", "ingegneria",
)  # fmt: skip


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9+.-]+", fold(text))


def title_score(text: str) -> int:
    words = _words(text)
    return sum(
        1
        for word in words
        if any(word == t or word.startswith(t) or (len(t) >= 7 and t in word) for t in _TITLE_WORDS)
    )


def organisation_score(text: str) -> int:
    words = [w.replace(".", "") for w in _words(text)]
    legal = sum(1 for w in words if w in LEGAL_SUFFIXES)
    return legal * 2 + sum(1 for w in words if w in _ORG_WORDS)


def degree_score(text: str) -> int:
    words = [w.rstrip(".") for w in _words(text)]
    return sum(
        1 for w in words if any(w == d or (len(d) >= 5 and w.startswith(d)) for d in _DEGREE_WORDS)
    )


def is_bullet(line: str) -> bool:
    return bool(_BULLET.match(line))


def _ends_like_sentence(text: str) -> bool:
    """A final full stop ends a sentence, unless it ends an abbreviation (`S.p.A.`, `Inc.`)."""
    if text.endswith(";"):
        return True
    if not text.endswith("."):
        return False
    last = text.rsplit(maxsplit=1)[-1]
    bare = fold(last).replace(".", "")
    return not ("." in last[:-1] or bare in LEGAL_SUFFIXES or len(bare) <= 3)


def looks_like_header_line(line: str) -> bool:
    """A short, undated line that can name a title or an organisation (not a sentence)."""
    text = line.strip()
    return (
        bool(text)
        and not is_bullet(line)
        and len(text) <= 90
        and len(text.split()) <= 12
        and not _ends_like_sentence(text)
    )


def _clean(text: str) -> str:
    """Fragment without separators, durations (`· 5 yrs`) or unbalanced brackets."""
    text = _EMPTY_BRACKETS.sub(" ", _DURATION.sub(" ", text))
    text = strip_edges(text, _SEPARATORS)
    previous = None
    while previous != text:
        previous = text
        if text.startswith("(") and ")" not in text:
            text = strip_edges(text, "(" + _SEPARATORS, _SEPARATORS)
        if text.endswith(")") and "(" not in text:
            text = strip_edges(text, _SEPARATORS, ")" + _SEPARATORS)
        if text.startswith("(") and text.endswith(")") and text.count("(") == 1:
            text = strip_edges(text[1:-1], _SEPARATORS)
    return text


def _parts(text: str) -> list[str]:
    """Fragments of an entry line: title, organisation, place, employment type…"""
    chunks = [_clean(c) for c in _STRONG_SPLIT.split(text)]
    chunks = [c for c in chunks if c]
    if len(chunks) == 1:
        chunks = [_clean(c) for c in re.split(r",\s+", chunks[0])]
    merged: list[str] = []
    for chunk in (c for c in chunks if c):
        bare = fold(chunk).replace(".", "").strip()
        if merged and bare in LEGAL_SUFFIXES:  # `Acme, Inc.` split at its comma
            merged[-1] = f"{merged[-1]}, {chunk}"
        else:
            merged.append(chunk)
    return merged


def _fragments(text: str) -> list[str]:
    """`Title at Employer` splits on its connector, anything else on separators."""
    split = _split_on_connector(_clean(text))
    if split:
        return [p for p in split if p]
    return _parts(text)


def _split_on_connector(text: str) -> tuple[str, str] | None:
    first, rest = _CONNECTORS
    found = first.search(text)
    if found:
        return _clean(text[: found.start()]), _clean(text[found.end() :])
    spanish = list(rest.finditer(text))
    if spanish:
        last = spanish[-1]
        return _clean(text[: last.start()]), _clean(text[last.end() :])
    return None


@dataclass(frozen=True)
class _Anchor:
    dates: DateRange
    parts: list[str]
    raw: str
    details: list[str] = field(default_factory=list)


def _pick(
    parts: list[str], score: Callable[[str], int], *, organisation_first: bool = False
) -> tuple[str | None, str | None]:
    """(label, organisation) from fragments: the one scoring highest as organisation wins
    that role. Ties follow the order the CV itself uses elsewhere (`organisation_first`),
    else the common `label, organisation`."""
    useful = _useful(parts)
    if not useful:
        return None, None
    if len(useful) == 1:
        return None, useful[0]
    margins = [score(p) - organisation_score(p) for p in useful]
    label_index = max(range(len(useful)), key=lambda i: (margins[i], -i))
    rest = [i for i in range(len(useful)) if i != label_index]
    org_index = min(rest, key=lambda i: (margins[i], i))
    if margins[label_index] == margins[org_index]:
        first, second = sorted((label_index, org_index))
        label_index, org_index = (second, first) if organisation_first else (first, second)
    return useful[label_index], useful[org_index]


def _useful(parts: list[str]) -> list[str]:
    return [p for p in parts if not looks_like_location(p) and not _EMPLOYMENT_TYPE.match(p)]


def _organisation_first(anchors: list["_Anchor"], score: Callable[[str], int]) -> bool:
    """Whether this CV writes the organisation before the title, judged on the entries
    where the words leave no doubt."""
    votes = 0
    for anchor in anchors:
        useful = _useful(anchor.parts)
        if len(useful) < 2:
            continue
        first, second = (score(p) - organisation_score(p) for p in useful[:2])
        votes += (first < second) - (first > second)
    return votes > 0


def _describes(line: str, dates: DateRange) -> bool:
    """A lone year inside a bullet or a sentence (`- Migrated billing in 2020.`) is a
    description, not an entry; a real range (`2019 – 2021`, `seit 2021`) is an entry."""
    lone = dates.start == dates.end and not dates.current
    return lone and (is_bullet(line) or _ends_like_sentence(line.strip()) or len(line.split()) > 12)


def _anchors(lines: list[str], limit: int) -> list[_Anchor]:
    """Dated lines with the fragments that name their entry (the first `limit` of them)."""
    anchors: list[_Anchor] = []
    pending: list[str] = []
    used: set[int] = set()
    for index, line in enumerate(lines):
        if len(anchors) >= limit:
            break
        if index in used:
            continue
        if not line.strip():
            continue
        dates = find_date_range(line)
        if dates is not None and _describes(line, dates):
            dates = None
        if is_bullet(line) and dates is None:
            pending.clear()
            _describe(anchors, line)
            continue
        if dates is None:
            if looks_like_header_line(line):
                pending.append(line.strip())
            else:
                pending.clear()
                _describe(anchors, line)
            continue
        text = _BULLET.sub("", line[: dates.span[0]] + " | " + line[dates.span[1] :])
        parts = _fragments(text)
        if len([p for p in parts if not looks_like_location(p)]) < 2:
            parts = [*(p for line in pending[-2:] for p in _fragments(line)), *parts]
            below = index + 1
            while below < len(lines) and not lines[below].strip():
                below += 1
            if (
                len([p for p in parts if not looks_like_location(p)]) < 2
                and below < len(lines)
                and looks_like_header_line(lines[below])
                and find_date_range(lines[below]) is None
            ):
                parts.extend(_fragments(lines[below]))
                used.add(below)
        anchors.append(_Anchor(dates, parts, line))
        pending.clear()
    return anchors


#: Description lines read per entry: enough for its highlights and team size.
_MAX_DETAILS = 8


def _describe(anchors: list[_Anchor], line: str) -> None:
    """A description line belongs to the entry above it."""
    if anchors and len(anchors[-1].details) < _MAX_DETAILS:
        anchors[-1].details.append(line.strip())


def parse_employments(
    lines: list[str], *, limit: int = MAX_EMPLOYMENTS, skills: list[str] | None = None
) -> list[Employment]:
    """Employment entries in the order the CV lists them (at most `limit`); `skills` (the
    CV's skills list) names the topics of each position's achievements."""
    jobs: list[Employment] = []
    anchors = _anchors(lines, limit)
    organisation_first = _organisation_first(anchors, title_score)
    for anchor in anchors:
        title, employer = _pick(anchor.parts, title_score, organisation_first=organisation_first)
        if not employer:
            continue
        jobs.append(
            Employment(
                employer=employer,
                title=title,
                start=anchor.dates.start,
                end=anchor.dates.end,
                current=anchor.dates.current,
                part_time=bool(_PART_TIME.search(" ".join([anchor.raw, *anchor.parts]))),
                achievements=achievements(anchor.details, skills or []),
                team_size=team_size(anchor.details),
            )
        )
    return jobs


def parse_education(lines: list[str], *, limit: int = MAX_EDUCATION) -> list[Education]:
    """Education entries: dated lines, plus undated lines that name a school (at most
    `limit`)."""
    entries: list[Education] = []
    anchors = _anchors(lines, limit)
    organisation_first = _organisation_first(anchors, degree_score)
    for anchor in anchors:
        degree, institution = _pick(
            anchor.parts, degree_score, organisation_first=organisation_first
        )
        if institution:
            entries.append(
                Education(
                    institution=institution,
                    degree=degree,
                    start=anchor.dates.start if anchor.dates.start != anchor.dates.end else None,
                    end=anchor.dates.end,
                )
            )
    if not entries:
        for line in lines:
            if looks_like_header_line(line) and organisation_score(line) > 0:
                degree, institution = _pick(_parts(line), degree_score)
                if institution:
                    entries.append(Education(institution=institution, degree=degree))
                if len(entries) >= limit:
                    break
    return entries
