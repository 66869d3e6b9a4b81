"""Finding a CV's sections from their headings, in five languages.

A heading is a short line that, once decorations (`#`, `==`, `:`, capitals, accents)
are stripped, is one of the known phrases below. Lines before the first heading are the
header (name, headline, contact details).
"""

import re
from dataclasses import dataclass, field
from enum import StrEnum

from dossier.contracts.enums import Language
from dossier.identity.domain.bounded_text import strip_edges
from dossier.sources.names import fold


class Section(StrEnum):
    SUMMARY = "summary"
    EXPERIENCE = "experience"
    EDUCATION = "education"
    SKILLS = "skills"
    LANGUAGES = "languages"
    CONTACT = "contact"
    OTHER = "other"


_EN, _FR, _DE, _IT, _ES = Language.EN, Language.FR, Language.DE, Language.IT, Language.ES

#: Heading phrases (folded) per section and language.
HEADINGS: dict[Section, dict[Language, tuple[str, ...]]] = {
    Section.EXPERIENCE: {
        _EN: ("experience", "work experience", "professional experience", "employment",
              "employment history", "work history", "career history", "career",
              "relevant experience", "professional background"),
        _FR: ("experience professionnelle", "experiences professionnelles", "experiences",
              "parcours professionnel", "experience", "emplois"),
        _DE: ("berufserfahrung", "berufliche erfahrung", "beruflicher werdegang", "werdegang",
              "praxiserfahrung", "berufspraxis", "erfahrung", "berufliche laufbahn"),
        _IT: ("esperienza lavorativa", "esperienze lavorative", "esperienza professionale",
              "esperienze professionali", "esperienza", "esperienze"),
        _ES: ("experiencia laboral", "experiencia profesional", "experiencia",
              "trayectoria profesional", "historial laboral"),
    },
    Section.EDUCATION: {
        _EN: ("education", "academic background", "education and training", "qualifications",
              "studies", "academic education"),
        _FR: ("formation", "formations", "etudes", "diplomes", "formation academique",
              "diplomes et formations", "cursus"),
        _DE: ("ausbildung", "bildung", "studium", "bildungsweg", "akademischer werdegang",
              "schulbildung", "aus- und weiterbildung", "ausbildung und studium"),
        _IT: ("istruzione", "formazione", "istruzione e formazione", "titoli di studio", "studi",
              "formazione accademica"),
        _ES: ("formacion", "formacion academica", "educacion", "estudios"),
    },
    Section.SKILLS: {
        _EN: ("skills", "technical skills", "core skills", "key skills", "competencies",
              "technologies", "tech stack", "expertise", "skills and tools"),
        _FR: ("competences", "competences techniques", "savoir-faire", "outils",
              "competences cles"),
        _DE: ("kenntnisse", "fahigkeiten", "kompetenzen", "it-kenntnisse", "fachkenntnisse",
              "technische kenntnisse", "edv-kenntnisse", "skills"),
        _IT: ("competenze", "competenze tecniche", "abilita", "competenze informatiche",
              "conoscenze informatiche"),
        _ES: ("habilidades", "competencias", "conocimientos", "aptitudes",
              "habilidades tecnicas", "conocimientos tecnicos"),
    },
    Section.LANGUAGES: {
        _EN: ("languages", "language skills", "spoken languages"),
        _FR: ("langues", "langues parlees", "competences linguistiques"),
        _DE: ("sprachen", "sprachkenntnisse", "fremdsprachen"),
        _IT: ("lingue", "conoscenze linguistiche", "lingue straniere", "competenze linguistiche"),
        _ES: ("idiomas", "lenguas", "competencias linguisticas"),
    },
    Section.SUMMARY: {
        _EN: ("summary", "profile", "about me", "about", "professional summary", "objective"),
        _FR: ("profil", "resume", "a propos", "a propos de moi", "objectif", "profil professionnel"),
        _DE: ("profil", "uber mich", "zusammenfassung", "kurzprofil", "berufsprofil"),
        _IT: ("profilo", "sommario", "chi sono", "profilo professionale", "obiettivo"),
        _ES: ("perfil", "resumen", "sobre mi", "extracto", "perfil profesional", "objetivo"),
    },
    Section.CONTACT: {
        _EN: ("contact", "contact details", "personal details", "personal information"),
        _FR: ("coordonnees", "contact", "informations personnelles"),
        _DE: ("kontakt", "kontaktdaten", "personliche daten", "persoenliche daten"),
        _IT: ("contatti", "dati personali", "informazioni personali"),
        _ES: ("contacto", "datos de contacto", "datos personales"),
    },
    Section.OTHER: {
        _EN: ("projects", "certifications", "certificates", "interests", "hobbies", "references",
              "publications", "awards", "volunteering", "achievements", "side projects"),
        _FR: ("projets", "certifications", "centres d'interet", "loisirs", "references",
              "publications", "benevolat", "distinctions"),
        _DE: ("projekte", "zertifikate", "zertifizierungen", "interessen", "hobbys", "hobbies",
              "referenzen", "publikationen", "ehrenamt", "weiterbildung"),
        _IT: ("progetti", "certificazioni", "interessi", "hobby", "referenze", "pubblicazioni",
              "volontariato"),
        _ES: ("proyectos", "certificaciones", "intereses", "aficiones", "referencias",
              "publicaciones", "voluntariado"),
    },
}  # fmt: skip

_PHRASES: dict[str, tuple[Section, frozenset[Language]]] = {}
for _section, _by_language in HEADINGS.items():
    for _language, _phrases in _by_language.items():
        for _phrase in _phrases:
            _known = _PHRASES.get(_phrase)
            _languages = (_known[1] if _known else frozenset()) | {_language}
            _PHRASES[_phrase] = (_known[0] if _known else _section, _languages)

#: Decorations around a heading (`## Experience ##`, `== SKILLS ==`, `Education:`).
_LEADING_DECORATION = "#=*_~-–—:|•·>"
_TRAILING_DECORATION = "#=*_~-–—:|•·<"


@dataclass(frozen=True)
class Heading:
    section: Section
    languages: frozenset[Language]


def _heading_text(line: str) -> str:
    text = strip_edges(fold(line), _LEADING_DECORATION, _TRAILING_DECORATION)
    text = re.sub(r"\s+", " ", text.replace("’", "'"))
    return text.strip()


def heading_of(line: str) -> Heading | None:
    """The section a line opens, or None if it is not a heading.

    `Compétences & Langues` opens its first known part (skills).
    """
    if not line.strip() or len(line.strip()) > 50:
        return None
    text = _heading_text(line)
    if text in _PHRASES:
        section, languages = _PHRASES[text]
        return Heading(section, languages)
    for part in re.split(r"\s*(?:&|/|\+|\band\b|\bet\b|\bund\b|\be\b|\by\b)\s*", text):
        if part in _PHRASES:
            section, languages = _PHRASES[part]
            return Heading(section, languages)
    return None


@dataclass
class SectionedCv:
    """A CV cut at its headings. `heading_languages` counts which language each heading used."""

    header: list[str] = field(default_factory=list)
    sections: dict[Section, list[str]] = field(default_factory=dict)
    heading_languages: dict[Language, int] = field(default_factory=dict)

    def lines(self, section: Section) -> list[str]:
        return self.sections.get(section, [])


def split_sections(lines: list[str]) -> SectionedCv:
    """Assign every line to the section whose heading came last above it."""
    cv = SectionedCv()
    current: Section | None = None
    for line in lines:
        heading = heading_of(line)
        if heading is not None:
            current = heading.section
            cv.sections.setdefault(current, [])
            for language in heading.languages:
                cv.heading_languages[language] = cv.heading_languages.get(language, 0) + 1
            continue
        if current is None:
            cv.header.append(line)
        else:
            cv.sections[current].append(line)
    return cv
