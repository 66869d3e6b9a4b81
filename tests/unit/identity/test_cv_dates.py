"""The date reader: every format people write on CVs, in five languages."""

import pytest

from dossier.contracts.claims import YearMonth
from dossier.identity.domain.cv_dates import (
    MONTHS,
    find_date_range,
    format_year_month,
    parse_date_point,
)


def ym(year: int, month: int | None = None) -> YearMonth:
    return YearMonth(year=year, month=month)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Jan 2019 - Dec 2021", ym(2019, 1), ym(2021, 12)),
        ("January 2019 – December 2021", ym(2019, 1), ym(2021, 12)),
        ("Sept. 2019 to Mar. 2021", ym(2019, 9), ym(2021, 3)),
        ("03/2017 - 12/2019", ym(2017, 3), ym(2019, 12)),
        ("3.2019 – 4.2020", ym(2019, 3), ym(2020, 4)),
        ("15.03.2019 - 31.12.2020", ym(2019, 3), ym(2020, 12)),
        ("2019-03 - 2020-11", ym(2019, 3), ym(2020, 11)),
        ("03-2019 — 11-2020", ym(2019, 3), ym(2020, 11)),
        ("2018–2020", ym(2018), ym(2020)),
        ("2018 — 2020", ym(2018), ym(2020)),
        ("From 2019 to 2021", ym(2019), ym(2021)),
        ("janv. 2018 à déc. 2020", ym(2018, 1), ym(2020, 12)),
        ("de février 2016 au juillet 2019", ym(2016, 2), ym(2019, 7)),
        ("févr. 2016 – août 2019", ym(2016, 2), ym(2019, 8)),
        ("von 03/2017 bis 12/2019", ym(2017, 3), ym(2019, 12)),
        ("Mai 2018 bis Juni 2020", ym(2018, 5), ym(2020, 6)),
        ("März 2015 – Okt. 2017", ym(2015, 3), ym(2017, 10)),
        ("Jänner 2015 - Dez 2016", ym(2015, 1), ym(2016, 12)),
        ("dal 2015 al 2018", ym(2015), ym(2018)),
        ("gennaio 2016 – giugno 2018", ym(2016, 1), ym(2018, 6)),
        ("set. 2018 – dic. 2020", ym(2018, 9), ym(2020, 12)),
        ("ene. 2019 - dic. 2021", ym(2019, 1), ym(2021, 12)),
        ("enero de 2019 a marzo de 2021", ym(2019, 1), ym(2021, 3)),
        ("del 2014 al 2017", ym(2014), ym(2017)),
        ("desde 2014 hasta 2017", ym(2014), ym(2017)),
    ],
)
def test_closed_ranges_are_read_with_months_when_written(
    text: str, start: YearMonth, end: YearMonth
) -> None:
    found = find_date_range(text)
    assert found is not None
    assert (found.start, found.end, found.current) == (start, end, False)


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("03/2019 – present", ym(2019, 3)),
        ("Jan 2019 - Present · 5 yrs", ym(2019, 1)),
        ("2020 – current", ym(2020)),
        ("2020 to date", ym(2020)),
        ("depuis mars 2020", ym(2020, 3)),
        ("2021 – aujourd'hui", ym(2021)),
        ("2021 – aujourd’hui", ym(2021)),
        ("sept. 2020 – présent", ym(2020, 9)),
        ("janvier 2022 à ce jour", ym(2022, 1)),
        ("seit 2021", ym(2021)),
        ("seit 04/2019", ym(2019, 4)),
        ("März 2019 – heute", ym(2019, 3)),
        ("Juni 2020 bis heute", ym(2020, 6)),
        ("2019 - ad oggi", ym(2019)),
        ("da gennaio 2020 a oggi", ym(2020, 1)),
        ("04/2022 – oggi", ym(2022, 4)),
        ("dal 2021", ym(2021)),
        ("enero de 2019 – actualidad", ym(2019, 1)),
        ("ene. 2022 – actualidad", ym(2022, 1)),
        ("desde 2021", ym(2021)),
        ("since 2018", ym(2018)),
    ],
)
def test_open_ranges_are_current_without_end(text: str, start: YearMonth) -> None:
    found = find_date_range(text)
    assert found is not None
    assert (found.start, found.end, found.current) == (start, None, True)


@pytest.mark.parametrize(
    "dash", ["-", "–", "—", " - ", " – ", " — ", " to ", " bis ", " à ", " al "]
)
def test_every_dash_and_range_word_joins_two_dates(dash: str) -> None:
    found = find_date_range(f"2016{dash}2019")
    assert found is not None
    assert (found.start, found.end) == (ym(2016), ym(2019))


@pytest.mark.parametrize(
    ("name", "month"),
    [
        ("January", 1), ("Jan", 1), ("janvier", 1), ("janv.", 1), ("Januar", 1),
        ("gennaio", 1), ("gen", 1), ("enero", 1), ("ene.", 1),
        ("February", 2), ("février", 2), ("févr.", 2), ("Februar", 2), ("febbraio", 2),
        ("febrero", 2), ("March", 3), ("mars", 3), ("März", 3), ("marzo", 3),
        ("April", 4), ("avril", 4), ("avr.", 4), ("aprile", 4), ("abril", 4), ("abr.", 4),
        ("May", 5), ("mai", 5), ("maggio", 5), ("mag", 5), ("mayo", 5),
        ("June", 6), ("juin", 6), ("Juni", 6), ("giugno", 6), ("junio", 6),
        ("July", 7), ("juillet", 7), ("juil.", 7), ("Juli", 7), ("luglio", 7), ("julio", 7),
        ("August", 8), ("août", 8), ("agosto", 8), ("Aug.", 8),
        ("September", 9), ("septembre", 9), ("settembre", 9), ("septiembre", 9),
        ("Sept.", 9), ("sett.", 9),
        ("October", 10), ("octobre", 10), ("Oktober", 10), ("Okt.", 10), ("ottobre", 10),
        ("octubre", 10), ("November", 11), ("novembre", 11), ("noviembre", 11),
        ("December", 12), ("décembre", 12), ("Dezember", 12), ("Dez.", 12),
        ("dicembre", 12), ("diciembre", 12), ("dic.", 12),
    ],
)  # fmt: skip
def test_month_names_in_five_languages(name: str, month: int) -> None:
    assert parse_date_point(f"{name} 2020") == ym(2020, month)


def test_every_month_name_maps_to_a_real_month() -> None:
    assert set(MONTHS.values()) == set(range(1, 13))


def test_range_span_covers_the_dates_so_the_rest_can_be_read() -> None:
    line = "Senior Engineer — Acme GmbH, 03/2019 – present"
    found = find_date_range(line)
    assert found is not None
    assert line[found.span[0] : found.span[1]] == "03/2019 – present"


def test_lead_word_is_part_of_the_span() -> None:
    line = "Analyst, Foo AG, von 03/2017 bis 12/2019"
    found = find_date_range(line)
    assert found is not None
    assert line[found.span[0] :] == "von 03/2017 bis 12/2019"


def test_lone_date_stands_for_a_stint_within_it() -> None:
    found = find_date_range("Internship, Foo Ltd, 2015")
    assert found is not None
    assert (found.start, found.end, found.current) == (ym(2015), ym(2015), False)


def test_a_present_word_alone_is_not_a_date() -> None:
    assert find_date_range("Current role: Head of Data") is None


def test_text_without_dates_gives_none() -> None:
    assert find_date_range("Senior Engineer at Acme") is None
    assert parse_date_point("no dates here") is None


def test_words_that_start_like_months_are_not_months() -> None:
    found = find_date_range("Market analysis, Mayfair 2019")
    assert found is not None
    assert found.start == ym(2019)


def test_phone_numbers_and_long_numbers_are_not_years() -> None:
    assert find_date_range("+41 79 123 45 67") is None
    assert find_date_range("ID 120195") is None


def test_first_range_wins_when_a_line_has_two() -> None:
    found = find_date_range("2015–2017, then 2018–2020")
    assert found is not None
    assert (found.start, found.end) == (ym(2015), ym(2017))


def test_format_keeps_the_precision_written() -> None:
    assert format_year_month(ym(2019, 6)) == "06/2019"
    assert format_year_month(ym(2019)) == "2019"
