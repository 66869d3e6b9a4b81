"""parse_cv: from plain text to claims, on the shapes CVs really take."""

import datetime as dt

import pytest

from dossier.contracts.claims import CvClaims, Employment, YearMonth
from dossier.contracts.enums import Language
from dossier.identity.domain.cv_parser import claimed_years_of_experience, parse_cv

TODAY = dt.date(2026, 6, 29)


def parse(text: str) -> CvClaims:
    return parse_cv(text, today=TODAY)


def only_job(text: str) -> Employment:
    claims = parse("Experience\n" + text)
    assert len(claims.employments) == 1, claims.employments
    return claims.employments[0]


@pytest.mark.parametrize("text", ["", "   \n\n  ", None])
def test_empty_input_gives_empty_claims(text: str | None) -> None:
    assert parse_cv(text, today=TODAY) == CvClaims()


def test_title_dash_employer_comma_dates() -> None:
    job = only_job("Senior Engineer — Acme GmbH, 03/2019 – present")
    assert (job.title, job.employer) == ("Senior Engineer", "Acme GmbH")
    assert job.start == YearMonth(year=2019, month=3)
    assert job.current
    assert job.end is None


def test_employer_pipe_title_pipe_dates() -> None:
    job = only_job("Acme GmbH | Senior Engineer | 2018–2020")
    assert (job.title, job.employer) == ("Senior Engineer", "Acme GmbH")
    assert (job.start, job.end) == (YearMonth(year=2018), YearMonth(year=2020))


def test_dates_first_then_title_chez_employer() -> None:
    job = only_job("2018 - 2020: Ingénieur logiciel chez Société X")
    assert (job.title, job.employer) == ("Ingénieur logiciel", "Société X")


@pytest.mark.parametrize(
    ("line", "title", "employer"),
    [
        ("Data Engineer at Northwind, 2019 – 2021", "Data Engineer", "Northwind"),
        ("Entwicklerin bei Isarbank AG, 2015 – 2019", "Entwicklerin", "Isarbank AG"),
        (
            "Sviluppatrice presso Brera Informatica, 2017 - 2018",
            "Sviluppatrice",
            "Brera Informatica",
        ),
        (
            "Ingeniero de software en Cortexa Labs, 2016 – 2018",
            "Ingeniero de software",
            "Cortexa Labs",
        ),
    ],
)
def test_connector_words_split_title_and_employer(line: str, title: str, employer: str) -> None:
    job = only_job(line)
    assert (job.title, job.employer) == (title, employer)


def test_heading_line_then_date_line_below() -> None:
    job = only_job(
        "Senior Softwareentwicklerin\nHelvion Software GmbH, München\nseit 04/2019\n- Aufbau"
    )
    assert (job.title, job.employer) == ("Senior Softwareentwicklerin", "Helvion Software GmbH")
    assert job.current
    assert job.start == YearMonth(year=2019, month=4)


def test_dated_employer_line_then_title_below() -> None:
    job = only_job("Acme Ltd, 2019 – 2021\nProduct Designer\n- Designed things.")
    assert (job.title, job.employer) == ("Product Designer", "Acme Ltd")


def test_dates_in_a_column_on_the_left() -> None:
    job = only_job("08/2015 – 06/2019  Bauleiter, Schwabenhaus AG")
    assert (job.title, job.employer) == ("Bauleiter", "Schwabenhaus AG")
    assert job.end == YearMonth(year=2019, month=6)


def test_employer_first_order_is_learnt_from_the_rest_of_the_cv() -> None:
    claims = parse(
        "Experience\nCortexa Labs S.L. | Director financiero | 2020 – actualidad\n"
        "Turia Auditores | Auditor | 2010 – 2014"
    )
    assert [(j.employer, j.title) for j in claims.employments] == [
        ("Cortexa Labs S.L.", "Director financiero"),
        ("Turia Auditores", "Auditor"),
    ]


def test_bullets_and_sentences_are_not_entries() -> None:
    claims = parse(
        "Experience\nEngineer, Foo AG, 2019 – 2021\n- Built a thing in 2020 for clients\n"
        "Led migrations and other things over several years.\nAnalyst, Bar AG, 2016 – 2019"
    )
    assert [j.employer for j in claims.employments] == ["Foo AG", "Bar AG"]


@pytest.mark.parametrize(
    "line",
    [
        "Freelance UX consultant, self-employed, 2021 – 2023",
        "Werkstudentin | Alpenblick IT GmbH | 2012 – 2014",
        "Développeur (temps partiel), Atelier X, 2019 – 2020",
        "Consulente, Studio Y, 2019 – 2020 (tempo parziale)",
        "Diseñador autónomo, Estudio Z, 2019 – 2020",
        "Engineer, Foo AG, 2019 – 2020, 60%",
    ],
)
def test_part_time_and_freelance_roles_are_marked(line: str) -> None:
    assert only_job(line).part_time


def test_full_time_role_is_not_part_time() -> None:
    assert not only_job("Engineer, Foo AG, 2019 – 2020").part_time


def test_header_gives_name_headline_and_location() -> None:
    claims = parse(
        "ANNA MÜLLER\nSenior Backend Engineer\nZürich, Switzerland · anna@example.org\n\nSkills\nGo"
    )
    assert claims.full_name == "Anna Müller"
    assert claims.headline == "Senior Backend Engineer"
    assert claims.location == "Zürich, Switzerland"


def test_a_first_line_that_is_not_a_name_gives_no_name() -> None:
    claims = parse("Senior engineer with 10 years of experience\nExperience\nX, Y AG, 2019")
    assert claims.full_name is None


def test_curriculum_vitae_title_is_skipped_before_the_name() -> None:
    assert parse("CURRICULUM VITAE\n\nÉlodie Fabre-Lemaire\nData scientist").full_name == (
        "Élodie Fabre-Lemaire"
    )


def test_labelled_location_is_read() -> None:
    assert parse("Jan de Vries\nWohnort: Winterthur\n").location == "Winterthur"


def test_links_and_emails_are_collected_and_normalised() -> None:
    claims = parse(
        "Ana Ruiz\nana.ruiz@gmail.com | linkedin.com/in/ana-ruiz | https://github.com/aruiz. "
        "www.anaruiz.dev\nportfolio: anaruiz.es"
    )
    assert claims.emails == ["ana.ruiz@gmail.com"]
    assert claims.links == [
        "https://linkedin.com/in/ana-ruiz",
        "https://github.com/aruiz",
        "https://www.anaruiz.dev",
        "https://anaruiz.es",
    ]


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("Engineer with 10+ years of experience in payments.", 10),
        ("Over 12 years' experience", 12),
        ("plus de 8 ans d'expérience dans le web", 8),
        ("über 10 Jahre Erfahrung in der Entwicklung", 10),
        ("mehr als 7 Jahre Berufserfahrung", 7),
        ("oltre 7 anni di esperienza", 7),
        ("más de 5 años de experiencia", 5),
        ("Berufserfahrung: 12 Jahre", 12),
    ],
)
def test_claimed_years_of_experience_in_five_languages(text: str, years: int) -> None:
    assert claimed_years_of_experience(text) == years


def test_no_experience_claim_gives_none() -> None:
    assert claimed_years_of_experience("Graduated in 2015 after 5 years of study") is None


def test_skills_and_spoken_languages_are_listed_without_levels() -> None:
    claims = parse(
        "Kenntnisse\nProgrammiersprachen: Go, Python; Kafka\n• PostgreSQL\n"
        "Sprachen\nDeutsch (Muttersprache), Englisch – C1, Französisch B2"
    )
    assert claims.skills == ["Go", "Python", "Kafka", "PostgreSQL"]
    assert claims.languages == ["Deutsch", "Englisch", "Französisch"]


def test_education_entries_have_degree_institution_and_dates() -> None:
    claims = parse(
        "Istruzione\nLaurea magistrale in Ingegneria Informatica, Politecnico di Milano, 2015 – 2017"
    )
    [entry] = claims.education
    assert entry.institution == "Politecnico di Milano"
    assert entry.degree == "Laurea magistrale in Ingegneria Informatica"
    assert (entry.start, entry.end) == (YearMonth(year=2015), YearMonth(year=2017))


def test_cv_without_experience_heading_still_yields_dated_jobs() -> None:
    claims = parse("Paul Ndiaye\nEngineer, Foo AG, 2019 – 2021\nAnalyst, Bar AG, 2016 – 2019")
    assert [j.employer for j in claims.employments] == ["Foo AG", "Bar AG"]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Experience\nEngineer at Foo, 2019 – present\nEducation\nBSc, Uni X", Language.EN),
        ("Expérience professionnelle\nIngénieur chez Foo, depuis 2019\nFormation", Language.FR),
        ("Berufserfahrung\nEntwickler bei Foo, seit 2019\nAusbildung", Language.DE),
        ("Esperienza lavorativa\nSviluppatore presso Foo, dal 2019\nIstruzione", Language.IT),
        ("Experiencia laboral\nDesarrollador en Foo, desde 2019\nFormación", Language.ES),
    ],
)
def test_detected_language_follows_the_headings(text: str, language: Language) -> None:
    assert parse(text).language is language


def test_claims_never_carry_the_cv_text() -> None:
    text = "Secret Person\nExperience\nSpy, Agency Ltd, 2019 – 2021\n- very private detail"
    dumped = parse(text).model_dump_json()
    assert "very private detail" not in dumped


def test_linkedin_export_shape_company_title_dates_place() -> None:
    claims = parse(
        "Experience\n\nAcme Corp\nStaff Engineer\nJan 2019 - Present · 5 yrs 6 mos\nBerlin, Germany\n\n"
        "Globex GmbH\nSoftware Engineer\nMar 2015 - Dec 2018 · 3 yrs 10 mos\nHamburg"
    )
    assert [(j.employer, j.title, j.current) for j in claims.employments] == [
        ("Acme Corp", "Staff Engineer", True),
        ("Globex GmbH", "Software Engineer", False),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "\x00\x01\x02",
        "2019" * 1000,
        "-" * 5000,
        "Experience\n" + "\n".join(["- did x in 2019"] * 50),
        "é" * 10000,
        "Experience\n2019–2020\n2021–2022",
        "Experience\nseit\nheute",
        "word " * 20000,
    ],
)
def test_odd_input_never_breaks_the_parser(text: str) -> None:
    claims = parse(text)
    assert isinstance(claims, CvClaims)
