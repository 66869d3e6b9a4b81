"""Sandbox sources for test keys (`ats_test_…`): deterministic fixtures, never the network.

Each sandbox source has the name and the `Source` interface of a real connector and
answers from provider-shaped fixture data passed through that connector's own pure
functions (`github.profile_signals`, `sanctions.screening_result`, …), so a sandbox
report reads exactly like a live one. The same candidate always gets the same answer.

The scenario is chosen by the candidate's last name, like card-number magic values
(case- and accent-insensitive "contains"; the first row that applies wins):

| last name contains | what every analysis of that candidate finds |
| --- | --- |
| `Unavailable` | every source answers `unavailable` (thin evidence, lower confidence) |
| `Sanctioned` | a High-reliability sanctions-list match (recommendation NO GO) |
| `Homonym` | a GitHub profile with the same name in another city, at another employer |
| anything else | a clean, consistent set: GitHub, web page, sanctions clear, Companies House, ORCID |

`docs/sandbox.md` documents these for partners; keep the two in step.

Invented pages live under reserved names (`*.example`, ORCID iDs `0000-0000-…`) so a
sandbox report never points at a real person. A profile the CV itself links to keeps
its address.
"""

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from dossier.contracts.enums import Environment
from dossier.sources.base import Source, SourceQuery, SourceResult, guarded, short
from dossier.sources.companies_house import appointment_signals, officer_hit
from dossier.sources.github import is_corroborated, profile_hit, profile_signals
from dossier.sources.matching import (
    github_login_from,
    location_matches,
    org_key,
    org_matches,
)
from dossier.sources.names import fold_words
from dossier.sources.orcid import record_hit, record_signals
from dossier.sources.registry import (
    ALL_SOURCES,
    COMPANIES_HOUSE,
    GITHUB,
    ORCID,
    PROFILE_SOURCES,
    SANCTIONS,
    WEB,
)
from dossier.sources.sanctions import country_code, screening_result
from dossier.sources.web_search import WebResult, evidence_from

Json = dict[str, Any]

#: Sandbox lookups are instant; this only bounds a programming error.
SANDBOX_TIMEOUT_SECONDS = 5.0

#: Sanctions threshold of the sandbox, as the default live one.
SANDBOX_SANCTIONS_THRESHOLD = 0.7


class Scenario(StrEnum):
    CLEAN = "clean"
    SANCTIONED = "sanctioned"
    HOMONYM = "homonym"
    UNAVAILABLE = "unavailable"


#: (word in the last name, scenario), in order of precedence.
MAGIC_LAST_NAMES: tuple[tuple[str, Scenario], ...] = (
    ("unavailable", Scenario.UNAVAILABLE),
    ("sanctioned", Scenario.SANCTIONED),
    ("homonym", Scenario.HOMONYM),
)

_LANGUAGES = ("Python", "TypeScript", "Go", "Java", "Rust", "Kotlin", "C#", "Ruby")
_ELSEWHERE = ("Melbourne, Australia", "Toronto, Canada")
_OTHER_EMPLOYERS = ("Globex Corporation", "Initech")


def scenario_for(query: SourceQuery) -> Scenario:
    """The sandbox scenario of a candidate, from the magic words in their last name."""
    last = fold_words(query.last_name or query.full_name).replace(" ", "")
    for word, scenario in MAGIC_LAST_NAMES:
        if word in last:
            return scenario
    return Scenario.CLEAN


def _seed(query: SourceQuery) -> int:
    """A stable number per candidate name, to vary fixture details between candidates."""
    return int(hashlib.sha256(fold_words(query.full_name).encode()).hexdigest()[:12], 16)


def _slug(text: str) -> str:
    return "-".join(fold_words(text).split()) or "candidate"


def _login(query: SourceQuery) -> str:
    return _slug(query.full_name)


def _employer(query: SourceQuery) -> str | None:
    organisations = query.organisations()
    return organisations[0] if organisations else None


# --- GitHub -------------------------------------------------------------------------


def _repos(query: SourceQuery) -> list[Json]:
    seed = _seed(query)
    count = 3 + seed % 4
    first = seed % len(_LANGUAGES)
    return [
        {
            "name": f"project-{index + 1}",
            "fork": False,
            "language": _LANGUAGES[(first + index // 2) % len(_LANGUAGES)],
            "pushed_at": f"2025-{1 + (seed + index) % 12:02d}-15T09:30:00Z",
        }
        for index in range(count)
    ]


def _github_profile(
    query: SourceQuery, login: str, *, company: str | None, location: str | None, url: str
) -> Json:
    seed = _seed(query)
    return {
        "login": login,
        "name": query.full_name,
        "html_url": url,
        "company": company,
        "location": location,
        "bio": query.role,
        "blog": None,
        "email": None,
        "public_repos": 6 + seed % 30,
        "created_at": f"{2012 + seed % 8}-{1 + seed % 9:02d}-10T08:00:00Z",
    }


def _elsewhere(query: SourceQuery) -> tuple[str, str]:
    """A city and an employer that are certainly not the candidate's."""
    city = next(c for c in _ELSEWHERE if not location_matches(c, query.location))
    employer = next(e for e in _OTHER_EMPLOYERS if not org_matches(e, query.organisations()))
    return city, employer


def github_fixture(query: SourceQuery, scenario: Scenario) -> SourceResult:
    """Linked logins are "found" as the candidate's; otherwise one profile by name (a
    namesake elsewhere in the Homonym scenario)."""
    repos = _repos(query)
    linked = [login for link in query.links if (login := github_login_from(link))]
    if linked and scenario is not Scenario.HOMONYM:
        hits, signals = [], []
        for login in dict.fromkeys(linked):
            profile = _github_profile(
                query,
                login,
                company=_employer(query),
                location=query.location,
                url=f"https://github.com/{login}",
            )
            hits.append(profile_hit(profile, via="link"))
            signals.extend(profile_signals(profile, repos, query, via="link"))
        detail = f"{len(hits)} profile(s) linked from the CV fetched, 0 not found"
        return SourceResult.checked(GITHUB, hits=hits, signals=signals, detail=detail)
    if scenario is Scenario.HOMONYM:
        city, employer = _elsewhere(query)
        login = f"{_login(query)}-{_slug(city.split(',')[0])}"
        profile = _github_profile(
            query, login, company=employer, location=city, url=f"https://github.example/{login}"
        )
    else:
        login = _login(query)
        profile = _github_profile(
            query,
            login,
            company=_employer(query),
            location=query.location,
            url=f"https://github.example/{login}",
        )
    corroborated = is_corroborated(profile, query)
    signals = profile_signals(profile, repos, query, via="search") if corroborated else []
    return SourceResult.checked(
        GITHUB,
        hits=[profile_hit(profile, via="search")],
        signals=signals,
        detail="1 user(s) found by name, 1 profile(s) fetched",
    )


# --- Web search ---------------------------------------------------------------------


def web_fixture(query: SourceQuery, scenario: Scenario) -> SourceResult:
    """One page naming the candidate: on their employer's site when there is one."""
    employer = _employer(query)
    host = f"{org_key(employer).replace(' ', '')}.example" if employer else "people.example"
    if len(host) < len("abc.example"):
        host = "people.example"
    title = f"{query.full_name} — {query.role or 'team member'}"
    if employer:
        title += f" at {employer}"
    result = WebResult(
        title=title,
        url=f"https://{host}/people/{_login(query)}",
        snippet=f"{query.full_name} works on the team"
        + (f" at {employer}" if employer else "")
        + (f" in {query.location}" if query.location else "")
        + ".",
    )
    hits, signals = evidence_from([result], query)
    detail = f"1 result(s), {len(hits)} naming the candidate, {len(signals)} with an employer"
    return SourceResult.checked(WEB, hits=hits, signals=signals, detail=detail)


# --- Sanctions ----------------------------------------------------------------------


def sanctions_fixture(query: SourceQuery, scenario: Scenario) -> SourceResult:
    """Clear, except in the Sanctioned scenario: a listed person of the same name and country."""
    if scenario is not Scenario.SANCTIONED:
        return screening_result([], query, threshold=SANDBOX_SANCTIONS_THRESHOLD)
    country = country_code(query.location)
    entity: Json = {
        "id": f"sandbox-{_seed(query) % 10**8:08d}",
        "caption": query.full_name,
        "score": 0.97,
        "datasets": ["sandbox_sanctions"],
        "properties": {
            "name": [query.full_name],
            "topics": ["sanction"],
            **({"country": [country]} if country else {}),
        },
    }
    return screening_result([entity], query, threshold=SANDBOX_SANCTIONS_THRESHOLD)


# --- Companies House ----------------------------------------------------------------


def companies_house_fixture(query: SourceQuery, scenario: Scenario) -> SourceResult:
    """The candidate as an officer of their employer, when the request or CV names one."""
    employer = _employer(query)
    if employer is None:
        return SourceResult.checked(COMPANIES_HOUSE, detail="0 officer(s) found")
    seed = _seed(query)
    officer_id = f"SANDBOX{seed % 10**6:06d}"
    officer: Json = {
        "title": query.full_name,
        "address_snippet": query.location,
        "links": {"self": f"/officers/{officer_id}/appointments"},
    }
    appointments = [
        {
            "appointed_to": {"company_name": employer, "company_number": f"SB{seed % 10**6:06d}"},
            "officer_role": "director",
            "appointed_on": f"{2016 + seed % 6}-{1 + seed % 12:02d}-01",
        }
    ]
    return SourceResult.checked(
        COMPANIES_HOUSE,
        hits=[officer_hit(officer, officer_id, appointments)],
        signals=appointment_signals(officer, appointments, query),
        detail="1 officer(s) found, 1 appointment(s)",
    )


# --- ORCID --------------------------------------------------------------------------


def orcid_fixture(query: SourceQuery, scenario: Scenario) -> SourceResult:
    """A record when the CV names a school: affiliated with the employer and that school."""
    if not query.institutions:
        return SourceResult.checked(ORCID, detail="0 record(s) found")
    seed = _seed(query)
    orcid = f"0000-0000-{seed % 10**4:04d}-{seed // 10**4 % 10**4:04d}"
    employer = _employer(query)
    record: Json = {
        "orcid-id": orcid,
        "given-names": query.first_name or query.full_name,
        "family-names": query.last_name or "",
        "institution-name": [*([employer] if employer else []), query.institutions[0]],
    }
    return SourceResult.checked(
        ORCID,
        hits=[record_hit(record, via="search")],
        signals=record_signals(record, query, via="search"),
        detail="1 record(s) found",
    )


Fixture = Callable[[SourceQuery, Scenario], SourceResult]

FIXTURES: dict[str, Fixture] = {
    GITHUB: github_fixture,
    WEB: web_fixture,
    SANCTIONS: sanctions_fixture,
    COMPANIES_HOUSE: companies_house_fixture,
    ORCID: orcid_fixture,
}


class SandboxSource:
    """A real connector's stand-in for test keys: same name, same interface, no I/O."""

    timeout_seconds = SANDBOX_TIMEOUT_SECONDS

    def __init__(self, name: str) -> None:
        if name not in FIXTURES:
            msg = f"no sandbox fixture for source {name!r}; known: {', '.join(FIXTURES)}"
            raise ValueError(msg)
        self.name = name
        self._fixture = FIXTURES[name]

    async def lookup(self, query: SourceQuery) -> SourceResult:
        scenario = scenario_for(query)
        if scenario is Scenario.UNAVAILABLE:
            result = SourceResult.unavailable(
                self.name, "provider unavailable (magic last name 'Unavailable')"
            )
        else:

            async def answer() -> SourceResult:
                return self._fixture(query, scenario)

            result = await guarded(self.name, answer)
        detail = short(f"sandbox: {result.check.detail}" if result.check.detail else "sandbox")
        return result.model_copy(
            update={"check": result.check.model_copy(update={"detail": detail})}
        )


def sandbox_sources(names: Iterable[str] = ALL_SOURCES) -> list[Source]:
    """Sandbox stand-ins for the named sources, in order."""
    return [SandboxSource(name) for name in names]


def sandbox_profile_sources() -> list[Source]:
    """The identity stage's sources, in the sandbox."""
    return sandbox_sources(PROFILE_SOURCES)


def sandbox_evidence_sources() -> list[Source]:
    """The enrichment stage's sources, in the sandbox."""
    return sandbox_sources(ALL_SOURCES)


@dataclass(frozen=True)
class SourceSet:
    """A stage's live sources and their sandbox stand-ins."""

    live: list[Source]
    sandbox: list[Source]

    def for_environment(self, environment: Environment) -> list[Source]:
        """Test-key analyses consult the sandbox's deterministic fixtures, never a provider."""
        return self.sandbox if environment is Environment.TEST else self.live
