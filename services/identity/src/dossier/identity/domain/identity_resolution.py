"""Who is the candidate? Judging the profiles found under their name, and the quick signal.

Each profile hit gets a verdict:

- `match` — the name matches and at least one fact corroborates it: the CV or request
  links to the profile (or the source found it through such a link), the same e-mail
  address, the same employer (company field or bio), or the same city. A link or an
  e-mail is strong enough to outweigh a contradicting city or employer (people move; the
  profile may be stale) and even a missing display name.
- `possible` — the name matches and nothing contradicts it, but nothing corroborates it
  either; or weak corroboration (employer, city) is mixed with a contradiction.
- `homonym` — the name matches but the city and/or employer contradict what the request
  and CV say, and nothing corroborates it. Homonyms never add evidence: they produce no
  signal and lower identity confidence.

A hit whose name does not match, and that nothing links to, is somebody else entirely and
is left out.

Quick signal, first rule that applies:

1. Red — a major contradiction: the CV shows a current job at another employer than the
   request (`employment.current`, High), or the CV has impossible dates
   (`timeline.dates`).
2. Orange — namesakes found (homonyms), with or without a match.
3. Orange — minor identity contradictions: the current employer only in doubt (ended,
   absent from the CV), a LinkedIn address that does not match the name, a corporate
   e-mail domain of another company.
4. Orange — the CV's timeline has points to clarify: gaps, overlaps, inflated experience.
5. Orange — thin evidence: no corroborated match.
6. Green — request and CV consistent and at least one corroborated match.

Identity confidence: each match scores 2 when strongly corroborated (link, e-mail) and 1
otherwise, plus 1 when request and CV agree on identity facts (current employer,
LinkedIn address, employer e-mail) and there is at least one match. 3 or more is High,
1–2 Medium, 0 Low. Homonyms lower it one step, and so does any identity contradiction;
Red is always Low.
"""

import datetime as dt
import re
from collections.abc import Sequence, Set
from dataclasses import dataclass, field
from enum import StrEnum
from urllib.parse import urlsplit

from dossier.contracts.api import QuickSignal, Signal
from dossier.contracts.claims import CvClaims
from dossier.contracts.enums import Confidence, Language, Level, Reliability, SourceType, Stance
from dossier.contracts.events import CandidateProfile, IdentityResolution, ProfileMatch
from dossier.identity.domain.consistency import (
    IDENTITY_CHECKS,
    Check,
    check_of,
    consistency_signals,
    signal_id,
)
from dossier.identity.domain.messages import message
from dossier.identity.domain.names import person_names_match, slug_name_agreement
from dossier.identity.domain.organisations import companies_match, company_tokens
from dossier.identity.domain.places import same_city
from dossier.sources.base import ProfileHit
from dossier.sources.names import fold

__all__ = ["ProfileHit", "Verdict", "assess_hit", "resolve_identity"]


class Verdict(StrEnum):
    MATCH = "match"
    POSSIBLE = "possible"
    HOMONYM = "homonym"


class Reason(StrEnum):
    """Why a verdict was given; kept on `ProfileMatch.reasons` for auditors."""

    NAME = "name_matches"
    LINKED = "linked_from_cv_or_request"
    SAME_EMAIL = "same_email"
    SAME_EMPLOYER = "same_employer"
    SAME_CITY = "same_city"
    OTHER_CITY = "other_city"
    OTHER_EMPLOYER = "other_employer"


_STRONG = frozenset({Reason.LINKED, Reason.SAME_EMAIL})
_WEAK = frozenset({Reason.SAME_EMPLOYER, Reason.SAME_CITY})
_CONTRARY = frozenset({Reason.OTHER_CITY, Reason.OTHER_EMPLOYER})

_SOURCE_TYPES = {
    "github": SourceType.GITHUB,
    "gitlab": SourceType.GITHUB,
    "orcid": SourceType.ACADEMIC,
    "scholar": SourceType.ACADEMIC,
    "academic": SourceType.ACADEMIC,
    "companies_house": SourceType.COMPANY_REGISTRY,
    "company_registry": SourceType.COMPANY_REGISTRY,
}
_SOURCE_LABELS = {"github": "GitHub", "gitlab": "GitLab", "orcid": "ORCID", "web": "Web"}


def _url_key(url: str) -> str:
    """`https://www.GitHub.com/annam/` and `github.com/annam` compare equal."""
    text = url.strip()
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    host = parts.netloc.lower().removeprefix("www.")
    return f"{host}{parts.path.rstrip('/').lower()}"


@dataclass(frozen=True)
class KnownFacts:
    """What the request and the CV say about the candidate, ready for comparison."""

    first_name: str
    last_name: str
    links: frozenset[str]
    emails: frozenset[str]
    employers: tuple[str, ...]
    places: tuple[str, ...]

    @classmethod
    def gather(cls, candidate: CandidateProfile, claims: CvClaims | None) -> "KnownFacts":
        links = [candidate.linkedin_url] if candidate.linkedin_url else []
        employers = [candidate.company] if candidate.company else []
        places = [candidate.location] if candidate.location else []
        emails: list[str] = []
        if claims is not None:
            links.extend(claims.links)
            employers.extend(j.employer for j in claims.employments if j.employer)
            places.extend([claims.location] if claims.location else [])
            emails.extend(claims.emails)
        return cls(
            first_name=candidate.first_name,
            last_name=candidate.last_name,
            links=frozenset(_url_key(u) for u in links),
            emails=frozenset(e.lower() for e in emails),
            employers=tuple(employers),
            places=tuple(places),
        )


@dataclass(frozen=True)
class Assessment:
    """A hit with its verdict (None: not the candidate at all) and the reasons."""

    hit: ProfileHit
    verdict: Verdict | None
    reasons: tuple[Reason, ...] = field(default=())
    employer: str | None = None

    @property
    def strong(self) -> bool:
        return bool(_STRONG & set(self.reasons))


def _name_matches(hit: ProfileHit, known: KnownFacts) -> bool:
    if hit.display_name:
        return person_names_match(known.first_name, known.last_name, hit.display_name)
    if hit.handle:
        return slug_name_agreement(hit.handle, known.first_name, known.last_name) == "both"
    return False


def _bio_employer(bio: str | None, employers: Sequence[str]) -> str | None:
    """An employer named in a bio (`Backend engineer @acme`), matched on whole words."""
    if not bio:
        return None
    words = f" {' '.join(re.findall(r'[a-z0-9]+', fold(bio)))} "
    for employer in employers:
        key = " ".join(company_tokens(employer))
        if len(key) >= 3 and f" {key} " in words:
            return employer
    return None


def assess_hit(hit: ProfileHit, known: KnownFacts) -> Assessment:
    """Judge one profile against what the request and the CV say."""
    reasons: list[Reason] = []
    if _name_matches(hit, known):
        reasons.append(Reason.NAME)
    hit_links = {_url_key(u) for u in (hit.url, *hit.links) if u}
    if hit.via == "link" or hit_links & known.links:
        reasons.append(Reason.LINKED)
    if {e.lower() for e in hit.emails} & known.emails:
        reasons.append(Reason.SAME_EMAIL)
    employer = next((e for e in known.employers if companies_match(hit.company, e)), None)
    employer = employer or _bio_employer(hit.bio, known.employers)
    if employer:
        reasons.append(Reason.SAME_EMPLOYER)
    elif hit.company and known.employers:
        reasons.append(Reason.OTHER_EMPLOYER)
    cities = [same_city(hit.location, place) for place in known.places]
    if any(c is True for c in cities):
        reasons.append(Reason.SAME_CITY)
    elif any(c is False for c in cities):
        reasons.append(Reason.OTHER_CITY)
    found = set(reasons)
    if found & _STRONG:
        verdict: Verdict | None = Verdict.MATCH
    elif Reason.NAME not in found:
        verdict = None
    elif found & _WEAK:
        verdict = Verdict.POSSIBLE if found & _CONTRARY else Verdict.MATCH
    else:
        verdict = Verdict.HOMONYM if found & _CONTRARY else Verdict.POSSIBLE
    return Assessment(hit, verdict, tuple(reasons), employer)


def profile_signal_id(hit: ProfileHit) -> str:
    """The id of the signal a matched profile gets: stable across analyses of the same
    person (source + folded handle), which is what lets a reviewer's `not_this_person`
    keep the profile out of later analyses (`without_dismissed`)."""
    handle = hit.handle or hit.url or hit.display_name or "?"
    return signal_id("profile_match", hit.source.lower(), fold(handle))


def without_dismissed(hits: Sequence[ProfileHit], dismissed: Set[str]) -> list[ProfileHit]:
    """The hits a reviewer has not said are someone else (their profile signal's id was
    dismissed as `not_this_person` for this client company and candidate)."""
    return [hit for hit in hits if profile_signal_id(hit) not in dismissed]


def _match_signal(assessment: Assessment, name: str, language: Language) -> Signal:
    hit = assessment.hit
    facts: list[str] = []
    if Reason.LINKED in assessment.reasons:
        facts.append(message("fact.link", language))
    if Reason.SAME_EMAIL in assessment.reasons:
        facts.append(message("fact.email", language))
    if Reason.SAME_EMPLOYER in assessment.reasons:
        facts.append(message("fact.employer", language, value=assessment.employer))
    if Reason.SAME_CITY in assessment.reasons:
        facts.append(message("fact.city", language, value=hit.location))
    source = hit.source.lower()
    handle = hit.handle or hit.url or hit.display_name or "?"
    statement = message(
        "profile.match",
        language,
        source=_SOURCE_LABELS.get(source, hit.source),
        handle=handle,
        name=name,
        facts=", ".join(facts),
    )
    return Signal(
        id=profile_signal_id(hit),
        statement=statement,
        source_type=_SOURCE_TYPES.get(source, SourceType.WEB),
        source_url=hit.url,
        reliability=Reliability.HIGH if assessment.strong else Reliability.MEDIUM,
        claim="identity.profile",
        stance=Stance.SUPPORTS,
    )


_LOWER = {Confidence.HIGH: Confidence.MEDIUM, Confidence.MEDIUM: Confidence.LOW}


def _confidence(matches: list[Assessment], checks: list[Signal], homonyms: bool) -> Confidence:
    score = sum(2 if m.strong else 1 for m in matches)
    identity_supports = [s for s in checks if s.stance is Stance.SUPPORTS]
    if matches and identity_supports:
        score += 1
    confidence = (
        Confidence.HIGH if score >= 3 else Confidence.MEDIUM if score >= 1 else Confidence.LOW
    )
    if homonyms:
        confidence = _LOWER.get(confidence, Confidence.LOW)
    if any(s.stance is Stance.CONTRADICTS for s in checks):
        confidence = _LOWER.get(confidence, Confidence.LOW)
    return confidence


def _is_major(signal: Signal) -> bool:
    if signal.stance is not Stance.CONTRADICTS:
        return False
    check = check_of(signal)
    return check is Check.IMPLAUSIBLE_DATES or (
        check is Check.CURRENT_EMPLOYER and signal.reliability is Reliability.HIGH
    )


def quick_signal(
    assessments: list[Assessment], findings: list[Signal], language: Language
) -> QuickSignal:
    """The traffic light and its reason, by the rules in the module docstring."""
    matches = [a for a in assessments if a.verdict is Verdict.MATCH]
    homonyms = any(a.verdict is Verdict.HOMONYM for a in assessments)
    identity = [s for s in findings if check_of(s) in IDENTITY_CHECKS]
    contradictions = [s for s in findings if s.stance is Stance.CONTRADICTS]
    confidence = _confidence(matches, identity, homonyms)
    major = [s for s in contradictions if _is_major(s)]
    if major:
        dates = any(check_of(s) is Check.IMPLAUSIBLE_DATES for s in major)
        reason = message("qs.red.dates" if dates else "qs.red.employer", language)
        return QuickSignal(level=Level.RED, reason=reason, identity_confidence=Confidence.LOW)
    if homonyms:
        key = "qs.orange.homonyms_and_match" if matches else "qs.orange.homonyms"
        reason = message(key, language)
    elif any(s.stance is Stance.CONTRADICTS for s in identity):
        reason = message("qs.orange.identity", language)
    elif contradictions:
        key = "qs.orange.timeline_matched" if matches else "qs.orange.timeline_thin"
        reason = message(key, language)
    elif not matches:
        reason = message("qs.orange.thin", language)
    else:
        supports = len(matches) + sum(1 for s in identity if s.stance is Stance.SUPPORTS)
        key = "qs.green.many" if supports >= 2 else "qs.green.one"
        return QuickSignal(
            level=Level.GREEN, reason=message(key, language), identity_confidence=confidence
        )
    return QuickSignal(level=Level.ORANGE, reason=reason, identity_confidence=confidence)


def resolve_identity(
    candidate: CandidateProfile,
    claims: CvClaims | None,
    hits: Sequence[ProfileHit],
    *,
    language: Language,
    today: dt.date | None = None,
) -> IdentityResolution:
    """Verdicts for every hit that may be the candidate, the quick signal, and the signals
    that bear on identity (identity-related consistency findings, then one per match).

    `today` dates the consistency checks; it defaults to the current date so the stage
    can call this without a clock, and tests pass a fixed one.
    """
    findings = consistency_signals(
        candidate, claims, language=language, today=today or dt.date.today()
    )
    known = KnownFacts.gather(candidate, claims)
    assessments = [a for a in (assess_hit(hit, known) for hit in hits) if a.verdict is not None]
    matches: list[ProfileMatch] = []
    signals = [s for s in findings if check_of(s) in IDENTITY_CHECKS]
    seen = {s.id for s in signals}
    for assessment in assessments:
        hit, verdict = assessment.hit, assessment.verdict or Verdict.POSSIBLE
        matches.append(
            ProfileMatch(
                source=hit.source,
                handle=hit.handle or hit.url or "",
                url=hit.url,
                verdict=verdict.value,
                reasons=[r.value for r in assessment.reasons],
            )
        )
        if verdict is Verdict.MATCH:
            signal = _match_signal(assessment, candidate.full_name, language)
            if signal.id not in seen:
                seen.add(signal.id)
                signals.append(signal)
    return IdentityResolution(
        quick_signal=quick_signal(assessments, findings, language),
        matches=matches,
        signals=signals,
    )
