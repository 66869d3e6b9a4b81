"""UK Companies House: company officers (directors, secretaries, LLP members) by name.

Officers whose name matches become hits, namesakes included, with their address
and latest company. For up to `max_officers` of them the appointments are read;
an appointment at an organisation from the CV is registry evidence of that
employment (High). When an officer is tied to the CV that way, their other
appointments are reported too, neutrally: directorships the CV may not mention.
"""

from collections.abc import Sequence
from datetime import date
from typing import Any

import httpx

from dossier.contracts.api import Signal
from dossier.contracts.enums import Reliability, SourceType, Stance
from dossier.language.dates import iso_date
from dossier.sources.base import (
    GuardedSource,
    ProfileHit,
    SourceQuery,
    SourceResult,
    SourceUnavailableError,
    make_signal,
)
from dossier.sources.http import Budget, SourceHttp
from dossier.sources.matching import org_matches
from dossier.sources.wording import Phrase, Value, phrase, statement

NAME = "companies_house"
DEFAULT_BASE_URL = "https://api.company-information.service.gov.uk"
PUBLIC_SITE = "https://find-and-update.company-information.service.gov.uk"

#: Other appointments of a matched officer worth mentioning, at most.
MAX_OTHER_APPOINTMENTS = 5

#: Officer roles (Companies House `officer_role`) with their own wording; any other role
#: is named as the registry spells it, after a generic "officer" word.
WORDED_ROLES = frozenset(
    {"director", "secretary", "llp-member", "llp-designated-member", "nominee-director"}
)

Json = dict[str, Any]


class CompaniesHouseSource(GuardedSource):
    name = NAME

    def __init__(
        self,
        http: SourceHttp,
        *,
        api_key: str | None,
        base_url: str = DEFAULT_BASE_URL,
        max_officers: int = 3,
        timeout_seconds: float | None = None,
    ) -> None:
        self._http = http
        self._key = api_key
        self._base = base_url.rstrip("/")
        self._max_officers = max_officers
        self.timeout_seconds = timeout_seconds

    async def _lookup(self, query: SourceQuery) -> SourceResult:
        if not self._key:
            raise SourceUnavailableError("no API key configured")
        budget = self._http.budget()
        auth = httpx.BasicAuth(self._key, "")
        body = await self._http.get_json(
            f"{self._base}/search/officers",
            budget=budget,
            params={"q": query.full_name, "items_per_page": 20},
            headers={"Accept": "application/json"},
            auth=auth,
        )
        officers = [
            item
            for item in body.get("items") or []
            if item.get("kind", "searchresults#officer") == "searchresults#officer"
            and query.named_in(item.get("title"))
        ]
        hits: list[ProfileHit] = []
        signals: list[Signal] = []
        tied = 0
        for index, officer in enumerate(officers):
            officer_id = officer_id_of(officer)
            appointments: list[Json] = []
            if officer_id and index < self._max_officers:
                appointments = await self._appointments(officer_id, budget, auth)
            hits.append(officer_hit(officer, officer_id, appointments))
            found = appointment_signals(officer, appointments, query)
            tied += bool(found)
            signals.extend(found)
        detail = statement(
            "detail.companies_house",
            query.language,
            count=len(officers),
            full_name=query.full_name,
            tied=tied,
        )
        return SourceResult.checked(self.name, hits=hits, signals=signals, detail=detail)

    async def _appointments(
        self, officer_id: str, budget: Budget, auth: httpx.BasicAuth
    ) -> list[Json]:
        body = await self._http.get_json(
            f"{self._base}/officers/{officer_id}/appointments",
            budget=budget,
            headers={"Accept": "application/json"},
            auth=auth,
            not_found_ok=True,
        )
        if not isinstance(body, dict):
            return []
        return [item for item in body.get("items") or [] if isinstance(item, dict)]


def officer_id_of(officer: Json) -> str | None:
    """`/officers/{id}/appointments` → `{id}`."""
    link = str((officer.get("links") or {}).get("self") or "")
    parts = [part for part in link.split("/") if part]
    return parts[1] if len(parts) >= 2 and parts[0] == "officers" else None


def officer_hit(officer: Json, officer_id: str | None, appointments: Sequence[Json]) -> ProfileHit:
    latest = _latest(appointments)
    company = ((latest or {}).get("appointed_to") or {}).get("company_name")
    return ProfileHit(
        source=NAME,
        handle=officer_id,
        url=f"{PUBLIC_SITE}/officers/{officer_id}/appointments" if officer_id else None,
        display_name=officer.get("title"),
        location=officer.get("address_snippet"),
        company=company,
        bio=officer.get("description"),
    )


def _latest(appointments: Sequence[Json]) -> Json | None:
    dated = [a for a in appointments if a.get("appointed_on")]
    return max(dated, key=lambda a: str(a["appointed_on"])) if dated else None


def _role(appointment: Json) -> Phrase:
    role = str(appointment.get("officer_role") or "")
    if not role:
        return phrase("companies_house.role.unknown")
    if role in WORDED_ROLES:
        return phrase(f"companies_house.role.{role.replace('-', '_')}")
    return phrase("companies_house.role.other", role=role.replace("-", " "))


def _period(appointment: Json) -> Phrase:
    start = _registry_date(appointment.get("appointed_on"))
    end = _registry_date(appointment.get("resigned_on"))
    if start and end:
        return phrase("companies_house.period.ended", start=start, end=end)
    if start:
        return phrase("companies_house.period.current", start=start)
    if end:
        return phrase("companies_house.period.unknown_ended", end=end)
    return phrase("companies_house.period.unknown_current")


def _registry_date(value: object) -> date | str | None:
    """The registry's ISO date as a date (written the report language's way), else as is."""
    if not value:
        return None
    return iso_date(str(value)) or str(value)


def appointment_signals(
    officer: Json, appointments: Sequence[Json], query: SourceQuery
) -> list[Signal]:
    """Registry evidence for CV employers; other appointments only for a tied officer.

    Stated in the query's language."""
    organisations = query.organisations()
    name = str(officer.get("title") or query.full_name)
    matching: list[Signal] = []
    others: list[Signal] = []
    for appointment in appointments:
        company = appointment.get("appointed_to") or {}
        company_name = str(company.get("company_name") or "")
        number = str(company.get("company_number") or "")
        if not company_name:
            continue
        url = f"{PUBLIC_SITE}/company/{number}/officers" if number else PUBLIC_SITE
        employer = org_matches(company_name, organisations)
        where = (
            phrase("companies_house.company_numbered", company=company_name, number=number)
            if number
            else phrase("companies_house.company", company=company_name)
        )
        values: dict[str, Value] = {
            "name": name,
            "role": _role(appointment),
            "where": where,
            "period": _period(appointment),
        }
        if employer:
            matching.append(
                make_signal(
                    source=NAME,
                    source_type=SourceType.COMPANY_REGISTRY,
                    statement=phrase("companies_house.officer", **values),
                    reliability=Reliability.HIGH,
                    url=url,
                    claim="employment",
                    stance=Stance.SUPPORTS,
                    language=query.language,
                )
            )
        elif len(others) < MAX_OTHER_APPOINTMENTS:
            others.append(
                make_signal(
                    source=NAME,
                    source_type=SourceType.COMPANY_REGISTRY,
                    statement=phrase(
                        "companies_house.other_appointment",
                        **values,
                        unmentioned=phrase("cv.not_mentioned"),
                    ),
                    reliability=Reliability.MEDIUM,
                    url=url,
                    claim="employment.directorships",
                    stance=Stance.NEUTRAL,
                    language=query.language,
                )
            )
    return [*matching, *others] if matching else []
