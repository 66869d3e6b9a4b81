"""What a position achieved, as data: the description lines under a CV entry, summarised.

The report's strengths and interview questions rest on the CV's substance (what the
candidate led, built, migrated or improved), not only on its dates. The CV text itself is
never kept (it is shredded when the analysis completes, and the claims carry no CV
sentence), so each position keeps a structured summary instead: the kinds of
achievement its lines describe, the skills of the CV's own skills list each one names,
and the size of the team the candidate led when the CV says it (`team of four`,
`équipe de 6 personnes`, `5-köpfiges Team`). Verbs are read in the five CV languages.
"""

import re

from dossier.contracts.claims import MAX_ACHIEVEMENTS, MAX_TOPICS, Achievement
from dossier.contracts.enums import AchievementKind
from dossier.sources.names import fold

_NUMBER_WORDS = {
    # en
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    # fr
    "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8, "neuf": 9,
    "dix": 10, "onze": 11, "douze": 12,
    # de
    "zwei": 2, "drei": 3, "vier": 4, "funf": 5, "sechs": 6, "sieben": 7, "acht": 8,
    "neun": 9, "zehn": 10, "elf": 11, "zwolf": 12,
    # it
    "due": 2, "tre": 3, "quattro": 4, "cinque": 5, "sei": 6, "sette": 7, "otto": 8,
    "nove": 9, "dieci": 10, "undici": 11, "dodici": 12,
    # es
    "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8,
    "nueve": 9, "diez": 10, "doce": 12,
}  # fmt: skip
_COUNT = r"(\d{1,4}|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")"
# Matched on folded text (lower case, no accents): `équipe` reads `equipe`.
_TEAM = re.compile(
    r"\b(?:teams?|equipe|squadra|gruppo|equipo)\s+(?:of|de|di|von|aus|mit)\s+(?:un\s+)?"
    + _COUNT
    + r"\b|\b"
    + _COUNT
    + r"[- ](?:person|people|strong|kopfige[sn]?|personnes?|persone|personas)\b"
)

#: Word stems (folded) that say what kind of achievement a line describes, first match wins
#: per kind; a line may describe several kinds (`Led the migration…` is led + migrated).
_KINDS: tuple[tuple[AchievementKind, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(r"\b(?:" + stems + r")"))
    for kind, stems in (
        (
            AchievementKind.LED,
            r"led\b|lead\b|leading|managed|managing|headed|dirige|encadr|pilot|gere\b|"
            r"geleitet|leitete|leitung|fuhrte|fuhrung|guidat|gestit|gestione|coordin|"
            r"dirigi|lidera|gestiona",
        ),
        (AchievementKind.MIGRATED, r"migrat|migre|migrier|migrazion|migracion|migrad"),
        (
            AchievementKind.BUILT,
            r"built|build|developed|designed|created|construit|concu|developp|cree\b|"
            r"aufbau|aufgebaut|entwickelt|entwicklung|sviluppat|realizzat|progettat|"
            r"desarroll|construi|disen",
        ),
        (
            AchievementKind.LAUNCHED,
            r"launch|introduc|lance|introdui|eingefuhrt|einfuhrung|lanciat|introdott|"
            r"lanza|introduj",
        ),
        (
            AchievementKind.REDUCED_COSTS,
            r"(?:cut|reduc|lower|redui|reduction|gesenkt|senkung|reduziert|ridott|"
            r"riduzion|reduj|reduccion)\w*\b.*\b(?:cost|couts?|kosten|cost[io]|costes?)",
        ),
        (
            AchievementKind.IMPROVED,
            r"improv|optimi[sz]|amelior|verbessert|optimiert|migliorat|ottimizzat|mejora",
        ),
    )
)


def _count(word: str) -> int | None:
    return int(word) if word.isdigit() else _NUMBER_WORDS.get(word)


def team_size(lines: list[str]) -> int | None:
    """The largest team the lines say the candidate worked with, or None."""
    sizes: list[int] = []
    for line in lines:
        for match in _TEAM.finditer(fold(line)):
            size = _count(match.group(1) or match.group(2))
            if size is not None and 2 <= size <= 10_000:
                sizes.append(size)
    return max(sizes) if sizes else None


def _topics(line: str, skills: list[str]) -> list[str]:
    """The skills of the CV's skills list this line names, as the skills list spells them."""
    folded = f" {fold(line)} "
    named = [
        skill
        for skill in skills
        if (key := fold(skill).strip())
        and re.search(r"(?<![\w+#])" + re.escape(key) + r"(?![\w+#])", folded)
    ]
    return named[:MAX_TOPICS]


def achievements(lines: list[str], skills: list[str]) -> list[Achievement]:
    """One achievement per kind the lines describe (first lines first), with its topics."""
    found: dict[AchievementKind, Achievement] = {}
    for line in lines:
        folded = fold(line)
        for kind, pattern in _KINDS:
            if kind not in found and pattern.search(folded):
                found[kind] = Achievement(kind=kind, topics=_topics(line, skills))
        if len(found) >= MAX_ACHIEVEMENTS:
            break
    return list(found.values())[:MAX_ACHIEVEMENTS]
