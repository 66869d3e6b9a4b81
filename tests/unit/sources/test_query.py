"""The query sent to sources, from the analysis context and the CV claims."""

import datetime as dt

from dossier.contracts.api import ClientRef
from dossier.contracts.claims import CvClaims, Education, Employment, YearMonth
from dossier.contracts.enums import Language
from dossier.contracts.events import AnalysisContext, CandidateProfile
from dossier.sources.query import query_for


def _context(**candidate: str) -> AnalysisContext:
    return AnalysisContext(
        analysis_id="an_1",
        partner_id="pt_1",
        client=ClientRef(id="client_1"),
        candidate=CandidateProfile(id="cand_1", first_name="Jane", last_name="Doe", **candidate),
        language=Language.DE,
        requested_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
    )


def test_without_a_cv_the_query_is_the_request() -> None:
    query = query_for(_context(company="Acme", location="London, UK"), None)
    assert (query.full_name, query.company, query.location) == ("Jane Doe", "Acme", "London, UK")
    assert (query.links, query.employers, query.language) == ((), (), Language.DE)


def test_cv_employers_come_current_first_then_most_recent() -> None:
    claims = CvClaims(
        employments=[
            Employment(employer="Old Co", end=YearMonth(year=2015)),
            Employment(employer="Acme", start=YearMonth(year=2021), current=True),
            Employment(employer="Mid Co", end=YearMonth(year=2020)),
            Employment(employer="acme"),
        ],
        education=[Education(institution="University of Bristol")],
        links=["https://github.com/octo-jane", "https://github.com/octo-jane"],
        emails=["jane@example.org"],
        location="Bristol",
    )
    query = query_for(_context(), claims)
    assert query.employers == ("Acme", "Mid Co", "Old Co")
    assert query.institutions == ("University of Bristol",)
    assert query.links == ("https://github.com/octo-jane",)
    assert query.emails == ("jane@example.org",)
    assert query.location == "Bristol"


def test_the_request_location_wins_over_the_cv() -> None:
    query = query_for(_context(location="London"), CvClaims(location="Bristol"))
    assert query.location == "London"
