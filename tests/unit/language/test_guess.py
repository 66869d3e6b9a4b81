"""The one language guesser: real sentences in the five languages, CV lines and report
prose, including sentences full of words two languages share (`que`, `del`, `una`)."""

import pytest

from dossier.contracts.enums import Language
from dossier.language.guess import MARKERS, guess_language, language_scores

EN, FR, DE, IT, ES = Language.EN, Language.FR, Language.DE, Language.IT, Language.ES

#: Sentences as recruiters, candidates and reports write them.
SENTENCES = [
    ("We suggest moving forward once the points have been checked by the team.", EN),
    ("She led the migration of our data platform to Kafka and Spark with a team of four.", EN),
    ("Led the team and developed the platform for our customers with Go.", EN),
    ("Nous suggérons d'avancer une fois les points vérifiés par les équipes.", FR),
    ("Il faut que le candidat explique la période entre ces deux postes.", FR),
    ("Développement de la plateforme pour les clients avec une équipe de cinq personnes.", FR),
    ("Je pense que la mission est intéressante mais que le salaire est trop bas.", FR),
    ("Wir schlagen vor, die Punkte mit dem Team zu klären und sind dann bei der Sache.", DE),
    ("Aufbau der Plattform für die Kunden und Entwicklung mit dem Team.", DE),
    ("Seit 2019 bin ich als Entwicklerin bei einem Versicherer in München tätig.", DE),
    ("Suggeriamo di procedere dopo aver verificato i punti della lista che sono aperti.", IT),
    ("Sviluppo della piattaforma per i clienti presso una società di consulenza.", IT),
    ("Una parte del lavoro è stata svolta con il team del cliente a Milano.", IT),
    ("Il candidato ha lavorato per una banca e poi per una società di consulenza.", IT),
    ("Sugerimos avanzar una vez verificados los puntos del CV que están abiertos.", ES),
    ("Desarrollo de los proyectos para los clientes y gestión del equipo.", ES),
    ("Una parte del equipo que trabaja en Madrid depende de la dirección técnica.", ES),
    ("Creo que la experiencia del candidato es una buena señal para el puesto.", ES),
]


@pytest.mark.parametrize(("text", "language"), SENTENCES)
def test_real_sentences_are_recognised(text: str, language: Language) -> None:
    assert guess_language(text) is language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        # Mostly words two languages share; the one word only one of them has decides.
        ("Que la una del equipo", ES),
        ("Una del la nel", IT),
        ("Que la pas", FR),
    ],
)
def test_the_own_word_decides_among_shared_ones(text: str, language: Language) -> None:
    assert guess_language(text) is language


def test_a_shared_word_counts_less_than_an_own_word() -> None:
    assert language_scores("que")[FR] == language_scores("que")[ES] < language_scores("pas")[FR]


def test_shared_words_are_listed_on_purpose_for_every_language_that_uses_them() -> None:
    for word, languages in {"que": {FR, ES}, "del": {IT, ES}, "una": {IT, ES}}.items():
        assert {lang for lang, words in MARKERS.items() if word in words} == languages


def test_headings_outweigh_a_few_english_words() -> None:
    assert guess_language("Java, Spring, the cloud", hints={DE: 2}) is DE


@pytest.mark.parametrize("text", ["Python, Go, Kubernetes, SQL", "GO", ""])
def test_no_language_evidence_gives_none(text: str) -> None:
    assert guess_language(text) is None


def test_short_prose_is_not_judged_below_the_minimum() -> None:
    assert guess_language("the team", min_score=4) is None
    assert guess_language("the team", min_score=1) is EN


def test_accents_do_not_matter() -> None:
    assert language_scores("für") == language_scores("fur")
    assert guess_language("Entwicklung für Kunden seit 2019") is DE
