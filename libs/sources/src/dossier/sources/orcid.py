"""ORCID: researchers' public records, found by name or linked from the CV.

Every record found is a hit (namesakes are common among researchers, so each
carries its institutions for the identity stage). A record states evidence only
when it is linked from the CV, or when one of its institutions is an
organisation the CV names: then the affiliation supports the employment or
education claim it matches.
"""

from collections.abc import Sequence
from typing import Any

from dossier.contracts.api import Signal
from dossier.contracts.enums import Reliability, SourceType, Stance
from dossier.sources.base import (
    GuardedSource,
    ProfileHit,
    SourceQuery,
    SourceResult,
    make_signal,
)
from dossier.sources.http import Budget, SourceHttp
from dossier.sources.matching import orcid_id_from, org_matches
from dossier.sources.wording import Phrase, phrase, statement

NAME = "orcid"
DEFAULT_BASE_URL = "https://pub.orcid.org"
RECORD_URL = "https://orcid.org/{id}"

Json = dict[str, Any]


def _solr_term(value: str) -> str:
    """Quote a name for ORCID's Solr query syntax ("Mary Ann" → "\"Mary Ann\"")."""
    cleaned = value.replace('"', " ").strip()
    return f'"{cleaned}"' if " " in cleaned else cleaned


def name_query(query: SourceQuery) -> str:
    parts = query.full_name.split()
    given = query.first_name or (" ".join(parts[:-1]) if len(parts) > 1 else query.full_name)
    family = query.last_name or (parts[-1] if len(parts) > 1 else "")
    if not family:
        return f"given-names:{_solr_term(given)}"
    return f"given-names:{_solr_term(given)} AND family-name:{_solr_term(family)}"


class OrcidSource(GuardedSource):
    name = NAME

    def __init__(
        self,
        http: SourceHttp,
        *,
        base_url: str = DEFAULT_BASE_URL,
        token: str | None = None,
        rows: int = 10,
        timeout_seconds: float | None = None,
    ) -> None:
        self._http = http
        self._base = base_url.rstrip("/")
        self._token = token
        self._rows = rows
        self.timeout_seconds = timeout_seconds

    async def _lookup(self, query: SourceQuery) -> SourceResult:
        budget = self._http.budget()
        linked = [orcid for link in query.links if (orcid := orcid_id_from(link))]
        if linked:
            records = await self._search(f"orcid:{linked[0]}", budget)
        else:
            records = await self._search(name_query(query), budget)
        hits: list[ProfileHit] = []
        signals: list[Signal] = []
        for record in records:
            via = "link" if record.get("orcid-id") in linked else "search"
            hits.append(record_hit(record, via=via))
            signals.extend(record_signals(record, query, via=via))
        if linked and not records:
            detail = statement("detail.orcid.linked_missing", query.language, orcid=linked[0])
        else:
            detail = statement("detail.orcid.records", query.language, count=len(records))
        return SourceResult.checked(self.name, hits=hits, signals=signals, detail=detail)

    async def _search(self, terms: str, budget: Budget) -> list[Json]:
        headers = {"Accept": "application/json"}
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        body = await self._http.get_json(
            f"{self._base}/v3.0/expanded-search/",
            budget=budget,
            params={"q": terms, "rows": self._rows},
            headers=headers,
        )
        records = body.get("expanded-result") or []
        return [r for r in records if isinstance(r, dict) and r.get("orcid-id")]


def display_name(record: Json) -> str:
    credit = record.get("credit-name")
    if credit:
        return str(credit)
    return " ".join(
        str(part) for part in (record.get("given-names"), record.get("family-names")) if part
    )


def _institutions(record: Json) -> list[str]:
    return [str(i) for i in record.get("institution-name") or [] if i]


def record_hit(record: Json, *, via: str) -> ProfileHit:
    orcid = str(record["orcid-id"])
    institutions = _institutions(record)
    return ProfileHit(
        source=NAME,
        handle=orcid,
        url=RECORD_URL.format(id=orcid),
        display_name=display_name(record) or None,
        company=institutions[0] if institutions else None,
        bio="; ".join(institutions) or None,
        emails=tuple(str(e) for e in record.get("email") or []),
        via="link" if via == "link" else "search",
    )


def record_signals(record: Json, query: SourceQuery, *, via: str) -> list[Signal]:
    """Evidence from a record linked from the CV, or one sharing an institution with it,
    stated in the query's language."""
    orcid = str(record["orcid-id"])
    url = RECORD_URL.format(id=orcid)
    linked = via == "link"
    names = [display_name(record), *(str(n) for n in record.get("other-name") or [])]
    same_person_name = any(query.named_in(n) for n in names if n)
    stated = Reliability.MEDIUM if linked else Reliability.LOW

    def say(statement: Phrase, reliability: Reliability, claim: str, stance: Stance) -> Signal:
        return make_signal(
            source=NAME,
            source_type=SourceType.ACADEMIC,
            statement=statement,
            reliability=reliability,
            url=url,
            claim=claim,
            stance=stance,
            language=query.language,
        )

    signals: list[Signal] = []
    if linked:
        if same_person_name:
            statement = phrase("orcid.linked_record", orcid=orcid, name=display_name(record))
            signals.append(say(statement, Reliability.HIGH, "identity.orcid", Stance.SUPPORTS))
        else:
            statement = phrase(
                "orcid.linked_record_other_person",
                orcid=orcid,
                name=display_name(record),
                full_name=query.full_name,
            )
            return [say(statement, Reliability.HIGH, "identity.links", Stance.CONTRADICTS)]
    elif not same_person_name:
        return []
    for institution, claim in matched_institutions(_institutions(record), query):
        signals.append(
            say(
                phrase(
                    "orcid.affiliation",
                    orcid=orcid,
                    name=display_name(record),
                    institution=institution,
                ),
                stated,
                claim,
                Stance.SUPPORTS,
            )
        )
    return signals


def matched_institutions(institutions: Sequence[str], query: SourceQuery) -> list[tuple[str, str]]:
    """(institution, claim) for each institution the CV names as employer or school."""
    matched: list[tuple[str, str]] = []
    for institution in institutions:
        if org_matches(institution, query.organisations()):
            matched.append((institution, "employment"))
        elif org_matches(institution, query.institutions):
            matched.append((institution, "education"))
    return matched
