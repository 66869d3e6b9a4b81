"""What a position achieved reaches the report as data: achievement kinds, the CV's own
skills they name, and team size — in the five CV languages, never as CV text."""

import datetime as dt

import pytest

from dossier.contracts.claims import CvClaims
from dossier.contracts.enums import AchievementKind
from dossier.identity.domain.cv_achievements import achievements, team_size
from dossier.identity.domain.cv_parser import parse_cv

K = AchievementKind


def parse(text: str) -> CvClaims:
    return parse_cv(text, today=dt.date(2026, 6, 29))


@pytest.mark.parametrize(
    ("line", "size"),
    [
        ("Led the migration to Kafka with a team of four", 4),
        ("Managed a 6-person team of analysts", 6),
        ("Direction d'une équipe de 5 personnes", 5),
        ("Encadrement d'une équipe de huit développeurs", 8),
        ("Leitung eines Teams von 7 Entwicklern", 7),
        ("Führung eines 12-köpfigen Teams", 12),
        ("Gestione di un team di cinque buyer", 5),
        ("Coordinamento di una squadra di 9 persone", 9),
        ("Dirección de un equipo de seis ingenieros", 6),
        ("Responsable de un equipo de 10 personas", 10),
    ],
)
def test_team_size_is_read_in_five_languages(line: str, size: int) -> None:
    assert team_size([line]) == size


@pytest.mark.parametrize(
    "line",
    ["Verantwortlich für die Architektur von drei Teams", "Worked in two countries", "Team player"],
)
def test_lines_without_a_team_size_give_none(line: str) -> None:
    assert team_size([line]) is None


@pytest.mark.parametrize(
    ("line", "kinds"),
    [
        ("Led the migration of the batch platform to Kafka and Spark", {K.LED, K.MIGRATED}),
        ("Cut the cost of the warehouse by 30%", {K.REDUCED_COSTS}),
        ("Migration de l'entrepôt de données vers Spark", {K.MIGRATED}),
        ("Aufbau der Schadenplattform mit Kafka", {K.BUILT}),
        ("Riduzione dei costi di acquisto del 12%", {K.REDUCED_COSTS}),
        ("Lanzamiento de la aplicación móvil", {K.LAUNCHED}),
        ("Optimiert die Ladezeiten der Website", {K.IMPROVED}),
    ],
)
def test_achievement_kinds_are_read_in_five_languages(
    line: str, kinds: set[AchievementKind]
) -> None:
    assert {a.kind for a in achievements([line], [])} == kinds


def test_achievement_topics_come_from_the_cvs_own_skills_list() -> None:
    [led, migrated] = achievements(
        ["Led the migration of the batch platform to Kafka and Spark"], ["Python", "Kafka", "Spark"]
    )

    assert led.topics == ["Kafka", "Spark"]
    assert migrated.topics == ["Kafka", "Spark"]


def test_a_rich_cv_carries_achievements_and_team_size_but_no_cv_sentence() -> None:
    claims = parse(
        "Daniel Okafor\n\nExperience\n\n"
        "Tessellate Analytics Ltd | Senior Data Engineer | Mar 2023 – Present\n"
        "• Led the migration of the nightly batch platform to Kafka and Spark with a team of four\n"
        "• Cut the cost of the reporting warehouse by 30%\n\n"
        "Skills\nPython; Kafka; Spark"
    )

    [job] = claims.employments
    assert [a.kind for a in job.achievements] == [K.LED, K.MIGRATED, K.REDUCED_COSTS]
    assert job.achievements[0].topics == ["Kafka", "Spark"]
    assert job.team_size == 4
    assert "nightly batch" not in claims.model_dump_json()
