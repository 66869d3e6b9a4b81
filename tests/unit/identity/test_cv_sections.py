"""Section headings and language detection, per language."""

import pytest

from dossier.contracts.enums import Language
from dossier.identity.domain.cv_sections import Section, heading_of, split_sections

HEADINGS_BY_LANGUAGE = {
    Language.EN: {
        Section.EXPERIENCE: ["Experience", "WORK EXPERIENCE", "Professional Experience:"],
        Section.EDUCATION: ["Education", "EDUCATION"],
        Section.SKILLS: ["Skills", "Technical skills"],
        Section.LANGUAGES: ["Languages"],
        Section.SUMMARY: ["Summary", "About me"],
    },
    Language.FR: {
        Section.EXPERIENCE: ["Expérience professionnelle", "EXPÉRIENCES PROFESSIONNELLES"],
        Section.EDUCATION: ["Formation", "Études"],
        Section.SKILLS: ["Compétences", "Compétences techniques"],
        Section.LANGUAGES: ["Langues"],
        Section.SUMMARY: ["Profil", "À propos"],
    },
    Language.DE: {
        Section.EXPERIENCE: ["Berufserfahrung", "Beruflicher Werdegang", "## Berufserfahrung"],
        Section.EDUCATION: ["Ausbildung", "Studium"],
        Section.SKILLS: ["Kenntnisse", "IT-Kenntnisse", "Fähigkeiten"],
        Section.LANGUAGES: ["Sprachen", "Sprachkenntnisse"],
        Section.SUMMARY: ["Über mich", "Kurzprofil"],
    },
    Language.IT: {
        Section.EXPERIENCE: ["Esperienza lavorativa", "ESPERIENZE PROFESSIONALI"],
        Section.EDUCATION: ["Istruzione", "Formazione", "Istruzione e formazione"],
        Section.SKILLS: ["Competenze", "Competenze tecniche"],
        Section.LANGUAGES: ["Lingue", "Conoscenze linguistiche"],
        Section.SUMMARY: ["Profilo", "Sommario"],
    },
    Language.ES: {
        Section.EXPERIENCE: ["Experiencia laboral", "EXPERIENCIA PROFESIONAL"],
        Section.EDUCATION: ["Formación", "Formación académica", "Educación"],
        Section.SKILLS: ["Habilidades", "Competencias", "Conocimientos"],
        Section.LANGUAGES: ["Idiomas"],
        Section.SUMMARY: ["Perfil", "Sobre mí"],
    },
}

CASES = [
    (language, section, heading)
    for language, sections in HEADINGS_BY_LANGUAGE.items()
    for section, headings in sections.items()
    for heading in headings
]


@pytest.mark.parametrize(("language", "section", "heading"), CASES)
def test_headings_open_their_section_and_name_their_language(
    language: Language, section: Section, heading: str
) -> None:
    found = heading_of(heading)
    assert found is not None
    assert found.section is section
    assert language in found.languages


@pytest.mark.parametrize(
    "line",
    [
        "Experience with Kubernetes and Terraform",
        "Senior Engineer — Acme GmbH, 03/2019 – present",
        "- Skills were key to the role",
        "",
        "A" * 80,
    ],
)
def test_ordinary_lines_are_not_headings(line: str) -> None:
    assert heading_of(line) is None


def test_combined_heading_opens_its_first_known_part() -> None:
    found = heading_of("Compétences & Langues")
    assert found is not None
    assert found.section is Section.SKILLS


def test_lines_before_the_first_heading_are_the_header() -> None:
    cv = split_sections(
        ["Anna Muster", "Engineer", "", "Experience", "Engineer, Foo AG, 2019–2020", "Skills", "Go"]
    )
    assert cv.header == ["Anna Muster", "Engineer", ""]
    assert cv.lines(Section.EXPERIENCE) == ["Engineer, Foo AG, 2019–2020"]
    assert cv.lines(Section.SKILLS) == ["Go"]
    assert cv.lines(Section.EDUCATION) == []


def test_repeated_sections_are_joined() -> None:
    cv = split_sections(["Skills", "Go", "Experience", "x", "Skills", "Rust"])
    assert cv.lines(Section.SKILLS) == ["Go", "Rust"]
