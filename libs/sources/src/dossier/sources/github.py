"""GitHub: the candidate's public developer profile, linked from the CV or found by name.

A login linked from the CV is fetched directly (and searching is skipped: the
candidate told us where to look). Otherwise users are searched by name; when the
name is common (more results than profiles we are willing to fetch) the search is
narrowed by city. Every profile fetched becomes a hit, homonyms included, with its
location and company so the identity stage can tell people apart.

Signals are only stated about profiles that plausibly are the candidate: linked
from the CV, or found by name and agreeing on employer, city, blog or e-mail (or judged
a match by identity). Before identity has judged (`query.for_identity`: the identity
stage's lookup), every profile whose name matches gets its evidence stated, so that
enrichment can keep it or drop it by identity's verdict (`reuse_for_evidence`) instead
of asking GitHub again.
"""

import asyncio
import datetime as dt
from collections import Counter
from collections.abc import Coroutine, Iterable, Sequence
from typing import Any

from dossier.contracts.api import Signal
from dossier.contracts.enums import Language, Reliability, SourceType, Stance
from dossier.sources.base import (
    GuardedSource,
    ProfileHit,
    SourceQuery,
    SourceResult,
    make_signal,
)
from dossier.sources.http import Budget, SourceHttp
from dossier.sources.matching import (
    github_login_from,
    location_matches,
    org_matches,
    same_link,
)
from dossier.sources.wording import Month, Phrase, counted, phrase, statement

NAME = "github"
DEFAULT_BASE_URL = "https://api.github.com"

Json = dict[str, Any]


class GitHubSource(GuardedSource):
    name = NAME

    def __init__(
        self,
        http: SourceHttp,
        *,
        base_url: str = DEFAULT_BASE_URL,
        token: str | None = None,
        max_profiles: int = 3,
        timeout_seconds: float | None = None,
    ) -> None:
        self._http = http
        self._base = base_url.rstrip("/")
        self._token = token
        self._max_profiles = max_profiles
        self.timeout_seconds = timeout_seconds

    def _headers(self) -> dict[str, str]:
        headers = {
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": "2022-11-28",
            "User-Agent": "dossier-sources",
        }
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        return headers

    async def _lookup(self, query: SourceQuery) -> SourceResult:
        budget = self._http.budget()
        linked = _linked_logins(query)
        hits: list[ProfileHit] = []
        signals: list[Signal] = []
        missing: list[str] = []
        # Profiles are fetched concurrently (a slow provider's latency is paid once per
        # round, not once per profile); results keep the order GitHub gave.
        for login, profile, repos in await _all(
            self._profile(login, budget, query, linked=True) for login in linked
        ):
            if profile is None:
                missing.append(login)
                signals.append(missing_link_signal(login, query.language))
                continue
            hits.append(profile_hit(profile, via="link"))
            signals.extend(profile_signals(profile, repos or [], query, via="link"))
        found = 0
        if not linked:
            logins = await self._search(query, budget)
            found = len(logins)
            for _login, profile, repos in await _all(
                self._profile(login, budget, query, linked=False) for login in logins
            ):
                if profile is None:
                    continue
                hits.append(profile_hit(profile, via="search"))
                if repos is not None:
                    signals.extend(profile_signals(profile, repos, query, via="search"))
        detail = _detail(linked, missing, found, hits, query.language)
        return SourceResult.checked(self.name, hits=hits, signals=signals, detail=detail)

    async def _profile(
        self, login: str, budget: Budget, query: SourceQuery, *, linked: bool
    ) -> tuple[str, Json | None, list[Json] | None]:
        """A profile and, when evidence will be stated about it, its repositories (None:
        no evidence about this one)."""
        profile = await self._user(login, budget)
        if profile is None:
            return login, None, None
        if not linked and not self._states_evidence(login, profile, query):
            return login, profile, None
        return login, profile, await self._repos(login, budget)

    def _states_evidence(self, login: str, profile: Json, query: SourceQuery) -> bool:
        """Whether a profile found by name is evidence: never a homonym identity judged;
        a match, a corroborated profile, or (before identity judged) any namesake."""
        verdict = query.verdict(self.name, login)
        if verdict == "homonym":
            return False
        return (
            verdict == "match"
            or is_corroborated(profile, query)
            or (query.for_identity and query.named_in(profile.get("name") or ""))
        )

    async def _search(self, query: SourceQuery, budget: Budget) -> list[str]:
        url = f"{self._base}/search/users"
        terms = f"{query.full_name} in:name type:user"
        params: dict[str, str | int] = {"q": terms, "per_page": self._max_profiles}
        body = await self._http.get_json(url, budget=budget, params=params, headers=self._headers())
        if int(body.get("total_count", 0)) > self._max_profiles and query.location:
            city = query.location.split(",")[0].strip()
            narrowed_params = {**params, "q": f'{terms} location:"{city}"'}
            narrowed = await self._http.get_json(
                url, budget=budget, params=narrowed_params, headers=self._headers()
            )
            if narrowed.get("items"):
                body = narrowed
        items: list[Json] = body.get("items") or []
        return [str(item["login"]) for item in items if item.get("login")][: self._max_profiles]

    async def _user(self, login: str, budget: Budget) -> Json | None:
        body = await self._http.get_json(
            f"{self._base}/users/{login}",
            budget=budget,
            headers=self._headers(),
            not_found_ok=True,
        )
        return body if isinstance(body, dict) else None

    async def _repos(self, login: str, budget: Budget) -> list[Json]:
        body = await self._http.get_json(
            f"{self._base}/users/{login}/repos",
            budget=budget,
            params={"sort": "updated", "per_page": 30},
            headers=self._headers(),
        )
        return [repo for repo in body if isinstance(repo, dict)] if isinstance(body, list) else []


async def _all(
    fetches: Iterable[Coroutine[Any, Any, tuple[str, Json | None, list[Json] | None]]],
) -> list[tuple[str, Json | None, list[Json] | None]]:
    """Run fetches concurrently; the first error cancels the rest and is raised as it is
    (so a `SourceError` keeps its state)."""
    tasks = [asyncio.ensure_future(fetch) for fetch in fetches]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


def _linked_logins(query: SourceQuery) -> list[str]:
    logins: list[str] = []
    for link in query.links:
        login = github_login_from(link)
        if login and login.casefold() not in {known.casefold() for known in logins}:
            logins.append(login)
    return logins


def _detail(
    linked: list[str], missing: list[str], found: int, hits: list[ProfileHit], language: Language
) -> str:
    if linked:
        fetched = len(linked) - len(missing)
        return statement("detail.github.linked", language, fetched=fetched, missing=len(missing))
    return statement("detail.github.search", language, found=found, fetched=len(hits))


def profile_hit(profile: Json, *, via: str) -> ProfileHit:
    blog = (profile.get("blog") or "").strip()
    links = [blog] if blog else []
    if profile.get("twitter_username"):
        links.append(f"https://twitter.com/{profile['twitter_username']}")
    email = profile.get("email")
    return ProfileHit(
        source=NAME,
        handle=str(profile["login"]),
        url=profile.get("html_url") or f"https://github.com/{profile['login']}",
        display_name=profile.get("name"),
        location=profile.get("location"),
        company=profile.get("company"),
        bio=profile.get("bio"),
        emails=(email,) if email else (),
        links=tuple(links),
        via="link" if via == "link" else "search",
    )


def is_corroborated(profile: Json, query: SourceQuery) -> bool:
    """A profile found by name that agrees with the candidate on something beyond the name."""
    if not query.named_in(profile.get("name") or ""):
        return False
    email = (profile.get("email") or "").casefold()
    blog = profile.get("blog") or ""
    return bool(
        org_matches(profile.get("company"), query.organisations())
        or location_matches(profile.get("location"), query.location)
        or (blog and any(same_link(blog, link) for link in query.links))
        or (email and email in {e.casefold() for e in query.emails})
    )


def _hit_as_profile(hit: ProfileHit) -> Json:
    """The fields of a fetched profile that `is_corroborated` reads, back from its hit."""
    links = list(hit.links)
    blog = links[0] if links and not links[0].startswith("https://twitter.com/") else ""
    return {
        "name": hit.display_name,
        "email": hit.emails[0] if hit.emails else None,
        "blog": blog,
        "company": hit.company,
        "location": hit.location,
    }


def reuse_for_evidence(prior: SourceResult, query: SourceQuery) -> SourceResult:
    """Identity's GitHub answer, as the evidence stage would have stated it: evidence about a
    profile found by name stays when identity judged it a match, or when it is corroborated
    and not judged a homonym; the rest is dropped. Nothing is asked of GitHub."""
    dropped: set[str] = set()
    for hit in prior.hits:
        if hit.via != "search" or hit.url is None:
            continue
        verdict = query.verdict(NAME, hit.handle or "")
        if verdict == "homonym" or (
            verdict != "match" and not is_corroborated(_hit_as_profile(hit), query)
        ):
            dropped.add(hit.url)
    if not dropped:
        return prior
    kept = [s for s in prior.signals if s.source_url not in dropped]
    return prior.model_copy(update={"signals": kept})


def top_languages(repos: Sequence[Json], limit: int = 3) -> list[str]:
    """Languages of the candidate's own repositories (forks excluded), most frequent first."""
    counts = Counter(
        str(repo["language"]) for repo in repos if repo.get("language") and not repo.get("fork")
    )
    return [language for language, _ in counts.most_common(limit)]


def _last_push(repos: Sequence[Json]) -> Month | None:
    stamps = [str(repo["pushed_at"]) for repo in repos if repo.get("pushed_at")]
    return Month.from_iso(max(stamps)) if stamps else None


def missing_link_signal(login: str, language: Language = Language.EN) -> Signal:
    url = f"https://github.com/{login}"
    return make_signal(
        source=NAME,
        source_type=SourceType.GITHUB,
        statement=phrase("github.linked_profile_missing", login=login),
        reliability=Reliability.HIGH,
        url=url,
        claim="identity.links",
        stance=Stance.CONTRADICTS,
        language=language,
    )


class _Statements:
    """Signals about one profile: same source, same page, stable ids, one language."""

    def __init__(self, url: str, language: Language) -> None:
        self.url = url
        self.language = language

    def __call__(
        self, statement: Phrase, reliability: Reliability, claim: str, stance: Stance
    ) -> Signal:
        return make_signal(
            source=NAME,
            source_type=SourceType.GITHUB,
            statement=statement,
            reliability=reliability,
            url=self.url,
            claim=claim,
            stance=stance,
            language=self.language,
        )


def profile_signals(
    profile: Json, repos: Sequence[Json], query: SourceQuery, *, via: str
) -> list[Signal]:
    """What a plausible profile says about the CV's claims, in the query's language.

    A profile linked from the CV is observed first-hand (High for its existence,
    Medium for what its owner wrote in it); one found by name may be a namesake (Low).
    """
    login = str(profile["login"])
    say = _Statements(profile.get("html_url") or f"https://github.com/{login}", query.language)
    linked = via == "link"
    stated = Reliability.MEDIUM if linked else Reliability.LOW
    signals = [_presence(profile, repos, query, say, linked=linked)]
    company = (profile.get("company") or "").strip().lstrip("@")
    known = org_matches(company, query.organisations())
    if company and known:
        signals.append(
            say(
                phrase("github.employer_matches", login=login, company=company, known=known),
                stated,
                "employment.current",
                Stance.SUPPORTS,
            )
        )
    elif company and query.organisations():
        signals.append(
            say(
                phrase("github.employer_unmentioned", login=login, company=company),
                Reliability.LOW,
                "employment.current",
                Stance.CONTRADICTS,
            )
        )
    location = (profile.get("location") or "").strip()
    agrees = location_matches(location, query.location)
    if agrees is not None:
        kind = "github.location_matches" if agrees else "github.location_differs"
        signals.append(
            say(
                phrase(kind, login=login, location=location, expected=query.location or ""),
                stated if agrees else Reliability.LOW,
                "location",
                Stance.SUPPORTS if agrees else Stance.CONTRADICTS,
            )
        )
    blog = (profile.get("blog") or "").strip()
    if blog and any(same_link(blog, link) for link in query.links):
        signals.append(
            say(
                phrase("github.blog_on_cv", login=login, blog=blog),
                stated,
                "identity.links",
                Stance.SUPPORTS,
            )
        )
    languages = top_languages(repos)
    if languages:
        signals.append(
            say(
                phrase("github.languages", login=login, languages=tuple(languages)),
                stated,
                "skills",
                Stance.NEUTRAL,
            )
        )
    return signals


def _repositories(count: int) -> Phrase:
    if count == 0:
        return phrase("github.repositories.none")
    return counted("github.repositories", count, count=count)


def _presence(
    profile: Json, repos: Sequence[Json], query: SourceQuery, say: _Statements, *, linked: bool
) -> Signal:
    """The profile exists and is active; for a linked profile, whether it is the candidate's."""
    login = str(profile["login"])
    display = profile.get("name") or ""
    if linked and display and not query.named_in(display):
        return say(
            phrase(
                "github.linked_profile_other_person",
                login=login,
                display=display,
                full_name=query.full_name,
            ),
            Reliability.HIGH,
            "identity.links",
            Stance.CONTRADICTS,
        )
    created = _year(profile.get("created_at"))
    pushed = _last_push(repos)
    statement = phrase(
        "github.profile_found",
        login=login,
        how=phrase("github.via.link" if linked else "github.via.search"),
        repositories=_repositories(int(profile.get("public_repos") or 0)),
        since=phrase("github.since", year=created) if created else "",
        last_push=phrase("github.last_push", month=pushed) if pushed else "",
    )
    if linked:
        return say(statement, Reliability.HIGH, "identity.github", Stance.SUPPORTS)
    return say(statement, Reliability.LOW, "identity.github", Stance.NEUTRAL)


def _year(stamp: Any) -> int | None:
    if not isinstance(stamp, str):
        return None
    try:
        return dt.datetime.fromisoformat(stamp.replace("Z", "+00:00")).year
    except ValueError:
        return None
