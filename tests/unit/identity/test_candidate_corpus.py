"""The fixture corpus (tests/fixtures/candidates): every planted inconsistency is caught,
nothing else is raised, the quick signal is as expected, and every sentence is written
in the requested language."""

import datetime as dt
import itertools
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from dossier.contracts.api import Signal
from dossier.contracts.claims import CvClaims
from dossier.contracts.enums import Language, Stance
from dossier.contracts.events import CandidateProfile, IdentityResolution
from dossier.identity.domain.consistency import check_of, consistency_signals
from dossier.identity.domain.cv_parser import parse_cv
from dossier.identity.domain.identity_resolution import ProfileHit, resolve_identity

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "candidates"
FOLDERS = sorted(p for p in CORPUS.iterdir() if (p / "candidate.json").exists())


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Words that belong to one language only: function words, and the nouns a recruiter
#: reads in these findings (CV, request, employer, position, identity, years…).
MARKERS: dict[Language, frozenset[str]] = {
    Language.EN: _words(
        "the and but of is are by with since only there than yet lists matches request "
        "employer position identity supported evidence gap years months profile name "
        "address email career history"
    ),
    Language.FR: _words(
        "le les et mais est chez au aux du dans pour selon demande employeur poste "
        "identité étayée éléments ans mois correspond nom parcours concordant "
        "concordants interruption"
    ),
    Language.DE: _words(
        "der die das und ist bei im von mit zum einer eine nicht wird seit aber jedoch "
        "lebenslauf anfrage stelle arbeitgeber identität jahre jahren monaten passt profil "
        "gestützt lücke namen über"
    ),
    Language.IT: _words(
        "il della nel nella presso per non che dal gli richiesta incarico incarichi datore "
        "lavoro identità anni mesi segnali profilo corrisponde confermata percorso nome "
        "indirizzo"
    ),
    Language.ES: _words(
        "el los las del y pero según desde solicitud puesto puestos empresa identidad años "
        "meses señales perfil coincide respaldada trayectoria nombre dirección vacío"
    ),
}


def test_language_markers_do_not_overlap() -> None:
    for a, b in itertools.combinations(MARKERS.values(), 2):
        assert not a & b


def language_scores(text: str) -> Counter[Language]:
    words = re.findall(r"[^\W\d_]+", text.lower())
    return Counter({lang: sum(w in markers for w in words) for lang, markers in MARKERS.items()})


@dataclass(frozen=True)
class Outcome:
    spec: dict[str, Any]
    language: Language
    claims: CvClaims | None
    signals: list[Signal]
    identity: IdentityResolution


def evaluate(folder: Path) -> Outcome:
    spec = json.loads((folder / "candidate.json").read_text(encoding="utf-8"))
    today = dt.date.fromisoformat(spec["today"])
    language = Language(spec["language"])
    candidate = CandidateProfile(id=folder.name, **spec["request"])
    cv = folder / "cv.txt"
    claims = parse_cv(cv.read_text(encoding="utf-8"), today=today) if cv.exists() else None
    signals = consistency_signals(candidate, claims, language=language, today=today)
    hits = [ProfileHit.model_validate(h) for h in spec.get("hits", [])]
    identity = resolve_identity(candidate, claims, hits, language=language, today=today)
    return Outcome(spec, language, claims, signals, identity)


def test_corpus_has_enough_candidates_in_every_language() -> None:
    languages = Counter(json.loads((f / "candidate.json").read_text())["language"] for f in FOLDERS)
    assert len(FOLDERS) >= 20
    assert all(languages[language.value] >= 3 for language in Language), languages


def test_corpus_plants_every_check_and_at_least_two_homonym_cases() -> None:
    planted: set[str] = set()
    homonym_cases = 0
    for folder in FOLDERS:
        expected = json.loads((folder / "candidate.json").read_text())["expected"]
        planted.update(expected["inconsistencies"])
        homonym_cases += "homonym" in expected.get("verdicts", {}).values()
    assert planted == {
        "current_employer", "employment_gap", "overlapping_roles", "experience_claim",
        "linkedin_slug", "email_domain", "implausible_dates",
    }  # fmt: skip
    assert homonym_cases >= 2


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda f: f.name)
def test_planted_inconsistencies_are_caught_and_nothing_else(folder: Path) -> None:
    outcome = evaluate(folder)
    raised = {
        check.value
        for s in outcome.signals
        if s.stance is Stance.CONTRADICTS and (check := check_of(s)) is not None
    }
    assert raised == set(outcome.spec["expected"]["inconsistencies"]), [
        s.statement for s in outcome.signals if s.stance is Stance.CONTRADICTS
    ]


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda f: f.name)
def test_quick_signal_and_verdicts_are_as_expected(folder: Path) -> None:
    outcome = evaluate(folder)
    expected = outcome.spec["expected"]
    quick = outcome.identity.quick_signal
    assert quick.level.value == expected["quick_signal"], quick.reason
    if "identity_confidence" in expected:
        assert quick.identity_confidence.value == expected["identity_confidence"]
    verdicts = {f"{m.source}:{m.handle}": m.verdict for m in outcome.identity.matches}
    assert verdicts == expected.get("verdicts", {})


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda f: f.name)
def test_every_sentence_is_in_the_requested_language(folder: Path) -> None:
    outcome = evaluate(folder)
    sentences = [
        outcome.identity.quick_signal.reason,
        *(s.statement for s in outcome.signals),
        *(s.statement for s in outcome.identity.signals),
    ]
    for sentence in sentences:
        scores = language_scores(sentence)
        others = max(score for lang, score in scores.items() if lang is not outcome.language)
        assert scores[outcome.language] > others, (sentence, scores)
        assert "{" not in sentence


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda f: f.name)
def test_parser_reads_the_expected_claims(folder: Path) -> None:
    outcome = evaluate(folder)
    expected = outcome.spec["expected"].get("claims")
    if expected is None:
        assert outcome.claims is None
        return
    claims = outcome.claims
    assert claims is not None
    assert claims.full_name == expected["full_name"]
    assert claims.language is not None
    assert claims.language.value == expected["language"]
    assert len(claims.employments) == expected["employments"], claims.employments
    if "current_employer" in expected:
        assert [j.employer for j in claims.employments if j.current] == [
            expected["current_employer"]
        ]
    if "claimed_years_experience" in expected:
        assert claims.claimed_years_experience == expected["claimed_years_experience"]


@pytest.mark.parametrize(
    "folder",
    [
        f
        for f in FOLDERS
        if "statement_contains" in json.loads((f / "candidate.json").read_text())["expected"]
    ],
    ids=lambda f: f.name,
)
def test_expected_sentences_are_written_exactly(folder: Path) -> None:
    outcome = evaluate(folder)
    for check, sentence in outcome.spec["expected"]["statement_contains"].items():
        statements = [
            s.statement for s in outcome.signals if (c := check_of(s)) and c.value == check
        ]
        assert sentence in statements


def test_every_signal_id_in_the_corpus_is_unique_per_candidate() -> None:
    for folder in FOLDERS:
        outcome = evaluate(folder)
        ids = [s.id for s in outcome.signals]
        assert len(ids) == len(set(ids)), folder.name
