"""Every language has every phrase, and every template fills without a missing field."""

import dataclasses
import string

import pytest

from dossier.contracts.enums import Decision, Language, Level, SourceState, SourceType
from dossier.language.guess import guess_language
from dossier.reporter.domain.catalogue import phrasebook
from dossier.reporter.domain.phrases import by_count, format_full_date, join_names, source_name
from dossier.reporter.domain.recommendation import Rule

ENGLISH = phrasebook(Language.EN)
FIELDS = {
    "name": "Jo Doe", "role": "Engineer", "company": "Acme", "confidence": "x", "n": 3,
    "supports": "s", "contradictions": "c", "names": "a", "area": "b", "employer": "Acme",
    "dates": " (2020)", "institution": "ETH", "months": 9, "after": "A", "before": "B",
    "end": "2019", "start": "2020", "title": "Dev", "job": "j", "degree": "MSc",
    "education": "e", "statement": "“s”", "month": "May", "year": 2020, "day": 1,
    "achievements": "a migration", "topics": "Kafka", "source": "GitHub",
}  # fmt: skip


def _templates(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _templates(v)]
    if isinstance(value, tuple):
        return [t for v in value for t in _templates(v)]
    return []


@pytest.mark.parametrize("language", list(Language))
def test_phrasebook_has_the_same_keys_as_english(language: Language) -> None:
    book = phrasebook(language)

    for field in dataclasses.fields(book):
        ours, english = getattr(book, field.name), getattr(ENGLISH, field.name)
        if isinstance(english, dict):
            assert set(ours) == set(english), field.name
        if isinstance(english, tuple):
            assert len(ours) == len(english), field.name


@pytest.mark.parametrize("language", list(Language))
def test_every_template_fills_and_uses_only_known_fields(language: Language) -> None:
    book = phrasebook(language)

    for field in dataclasses.fields(book):
        for template in _templates(getattr(book, field.name)):
            names = {n for _, n, _, _ in string.Formatter().parse(template) if n}
            assert names <= set(FIELDS), (field.name, names - set(FIELDS))
            template.format(**FIELDS)


def test_english_covers_every_enum_the_report_shows() -> None:
    assert set(ENGLISH.source_labels) == {t.value for t in SourceType}
    assert set(ENGLISH.identity_by_level) == {lv.value for lv in Level}
    assert set(ENGLISH.conclusion_by_decision) == {d.value for d in Decision}
    assert set(ENGLISH.decision_labels) == {d.value for d in Decision}
    assert set(ENGLISH.source_states) == {s.value for s in SourceState}
    rules = {r.value for r in Rule} - {"contradictions"}
    assert set(ENGLISH.reasons) == rules | {"contradictions_one", "contradictions_other"}


@pytest.mark.parametrize("language", list(Language))
def test_reasons_read_as_their_own_language(language: Language) -> None:
    book = phrasebook(language)
    for reason in book.reasons.values():
        assert guess_language(reason.format(name="Jo Doe", n=3), min_score=4) in (language, None)


def test_counts_and_lists_read_naturally() -> None:
    assert by_count(0, ENGLISH.supports_count, Language.EN) == "No finding confirms the CV"
    assert by_count(1, ENGLISH.supports_count, Language.EN) == "One finding confirms the CV"
    assert by_count(4, ENGLISH.supports_count, Language.EN) == "4 findings confirm the CV"
    assert join_names(["a", "b", "c"], phrasebook(Language.FR)) == "a, b et c"
    assert join_names(["a"], ENGLISH) == "a"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (Language.EN, "29 June 2026"),
        (Language.FR, "29 juin 2026"),
        (Language.DE, "29. Juni 2026"),
        (Language.IT, "29 giugno 2026"),
        (Language.ES, "29 de junio de 2026"),
    ],
)
def test_dates_are_written_the_local_way(language: Language, expected: str) -> None:
    assert format_full_date(2026, 6, 29, phrasebook(language)) == expected


@pytest.mark.parametrize(
    ("connector", "shown"),
    [("github", "GitHub"), ("companies_house", "Companies House"), ("orcid", "ORCID")],
)
def test_sources_are_named_as_a_recruiter_knows_them(connector: str, shown: str) -> None:
    assert source_name(connector, phrasebook(Language.FR)) == shown


def test_web_search_is_named_in_the_report_language() -> None:
    assert source_name("web", phrasebook(Language.DE)) == "öffentliches Web"
