"""The message catalogue: every piece of localized text the reporter writes.

One `Phrasebook` per language, defined in `domain/catalogue/<lang>.py`, loaded by the
shared `dossier.language.catalogue.load_catalogue` (identity and the sources use the same
format and loader) and looked up with `catalogue.phrasebook(language)`. Being a frozen dataclass, a language that forgets a
phrase fails type checking and import, not at report time. Templates use `str.format`
fields; each language orders words its own way, so sentences are whole templates rather
than glued fragments.

Wording rules for translators: the report supports a decision, it never makes one
("we suggest", "we recommend validating"); write as a careful recruiter would brief a
hiring manager; avoid gendered words for the candidate (use `{name}`).
"""

from dataclasses import dataclass
from datetime import date

from dossier.contracts.enums import Language
from dossier.language.dates import long_date, month_year
from dossier.language.plural import plural_form


@dataclass(frozen=True)
class Phrasebook:
    # Typography and small words.
    quotes: tuple[str, str]
    colon: str
    and_word: str
    language: Language  # dates and plural rules come from CLDR (`dossier.language`)
    present: str
    levels: dict[str, str]
    reliability_label: str
    source_labels: dict[str, str]
    area_labels: dict[str, str]

    # Recommendation reasons, keyed by `Rule` value (`contradictions_one`/`_other` by count).
    reasons: dict[str, str]

    # Summary sentences.
    intro_role_company: str
    intro_role: str
    intro_company: str
    identity_by_level: dict[str, str]
    no_findings: str
    supports_count: tuple[str, str, str]
    contradictions_count: tuple[str, str, str]
    findings_sentence: str
    sources_missing_sentence: tuple[str, str]
    conclusion_by_decision: dict[str, str]
    conclusion_without_points: str

    # Leads of report items; each item is `lead + colon + finding`.
    lead_confirms: str
    lead_contradicts: str
    lead_contradicts_area: str
    lead_sanctions: str
    lead_noted: str
    lead_not_in_cv: str
    validate_sanctions: str
    validate_job: str
    validate_education: str
    validate_mismatch: str
    validate_identity: str
    validate_low_reliability: str
    validate_sources_missing: tuple[str, str]

    # Interview questions.
    job_with_title: str
    job_without_title: str
    ask_job: str
    education_with_degree: str
    education_without_degree: str
    ask_education: str
    ask_mismatch: str
    ask_low_reliability: str
    ask_identity: str
    ask_sanctions: str
    ask_reference_at: str
    ask_references: str

    # The CV's substance, gaps and questions that need no finding (docs/report-rubric.md).
    lead_to_clarify: str
    achievement_kinds: dict[str, str]
    strength_substance: str
    strength_substance_topics: str
    strength_seniority: str
    validate_gap: str
    ask_gap: str
    validate_gap_finding: str
    ask_gap_finding: str
    ask_not_in_cv: str
    ask_achievement: str
    ask_role_fit_at: str
    ask_role_fit: str
    ask_career: str

    notice: str

    # PDF labels.
    pdf_title: str
    pdf_labels: dict[str, str]
    decision_labels: dict[str, str]
    quick_signal_levels: dict[str, str]
    source_states: dict[str, str]


#: How each source is named to a recruiter (connector names are identifiers, not words).
SOURCE_NAMES = {
    "github": "GitHub",
    "companies_house": "Companies House",
    "orcid": "ORCID",
    "sanctions": "OpenSanctions",
}


def source_name(name: str, book: Phrasebook) -> str:
    """`companies_house` → `Companies House`; `web` → the language's word for web search."""
    if name == "web":
        return book.source_labels["web"]
    return SOURCE_NAMES.get(name, name)


def join_names(names: list[str], book: Phrasebook) -> str:
    """`a, b and c` in the book's language."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {book.and_word} {names[-1]}"


def by_count(count: int, forms: tuple[str, str, str], language: Language) -> str:
    """Pick the zero / one / other form and fill in `{n}`: zero has its own wording here
    ("No finding confirms the CV"); from 1 up the language's CLDR rule decides."""
    if count == 0:
        return forms[0].format(n=count)
    return (forms[1] if plural_form(count, language) == "one" else forms[2]).format(n=count)


def format_year_month(year: int, month: int | None, book: Phrasebook) -> str:
    if month is None:
        return str(year)
    return month_year(year, month, book.language)


def format_full_date(year: int, month: int, day: int, book: Phrasebook) -> str:
    """`29 June 2026`, `29. Juni 2026`, `29 de junio de 2026`."""
    return long_date(date(year, month, day), book.language)
