"""Checks of the request against the CV: current employer, LinkedIn address, e-mail domain."""

import re

from dossier.contracts.api import Signal
from dossier.contracts.claims import CvClaims, Employment
from dossier.contracts.enums import Language, Reliability, SourceType, Stance
from dossier.contracts.events import CandidateProfile
from dossier.identity.domain.cv_dates import format_year_month
from dossier.identity.domain.findings import Check, finding
from dossier.identity.domain.messages import message
from dossier.identity.domain.names import linkedin_slug, slug_name_agreement, tokens
from dossier.identity.domain.organisations import (
    companies_match,
    company_key,
    domain_matches_company,
    email_domain,
    is_academic_domain,
    is_webmail,
    organisation_label,
)
from dossier.identity.domain.timeline import latest

#: What a LinkedIn slug's agreement with the name means: (message outcome, stance).
_SLUG_VERDICTS = {"both": ("match", Stance.SUPPORTS), "none": ("mismatch", Stance.CONTRADICTS)}


def _titles_match(a: str, b: str) -> bool:
    ta, tb = set(tokens(a)), set(tokens(b))
    if not ta or not tb:
        return False
    return len(ta & tb) / min(len(ta), len(tb)) >= 0.5


def _latest_job(jobs: list[Employment]) -> Employment | None:
    dated: list[tuple[int, Employment]] = []
    for job in jobs:
        when = job.end or job.start
        if when is not None:
            dated.append((latest(when), job))
    if not dated:
        return None
    return max(dated, key=lambda pair: pair[0])[1]


def _current_role(role: str | None, current: list[Employment], language: Language) -> list[Signal]:
    """Without a company in the request, a matching current title still supports it."""
    titles = [j.title for j in current if role and j.title and _titles_match(role, j.title)]
    if not titles or titles[0] is None:
        return []
    title = titles[0]
    return [
        finding(
            Check.CURRENT_EMPLOYER,
            ("role", *tokens(title)),
            message("current.role_match", language, title=title),
            stance=Stance.SUPPORTS,
            reliability=Reliability.MEDIUM,
            source_type=SourceType.REQUEST,
        )
    ]


def check_current_employer(
    candidate: CandidateProfile, claims: CvClaims, language: Language
) -> list[Signal]:
    """The request's current company (or role) against the CV's current position."""
    jobs = [j for j in claims.employments if j.employer]
    if not jobs:
        return []
    current = [j for j in jobs if j.current]
    requested = candidate.company
    check = Check.CURRENT_EMPLOYER
    if not requested:
        return _current_role(candidate.role, current, language)
    key = company_key(requested)
    same = [j for j in current if companies_match(requested, j.employer)]
    if same:
        statement = message("current.match", language, employer=same[0].employer)
        return [
            finding(
                check,
                ("match", key),
                statement,
                stance=Stance.SUPPORTS,
                reliability=Reliability.MEDIUM,
                source_type=SourceType.REQUEST,
            )
        ]
    if current:
        other = current[0].employer
        statement = message("current.mismatch", language, requested=requested, cv_employer=other)
        return [
            finding(
                check,
                ("mismatch", key, company_key(other)),
                statement,
                stance=Stance.CONTRADICTS,
                reliability=Reliability.HIGH,
                source_type=SourceType.REQUEST,
            )
        ]
    last = _latest_job(jobs)
    if last is None:
        return []
    if companies_match(requested, last.employer) and last.end is not None:
        end = format_year_month(last.end)
        statement = message("current.ended", language, requested=requested, end=end)
        facts: tuple[object, ...] = ("ended", key, end)
    else:
        statement = message(
            "current.absent", language, requested=requested, cv_employer=last.employer
        )
        facts = ("absent", key, company_key(last.employer))
    return [
        finding(
            check,
            facts,
            statement,
            stance=Stance.CONTRADICTS,
            reliability=Reliability.MEDIUM,
            source_type=SourceType.REQUEST,
        )
    ]


def _slug_key(slug: str) -> str:
    return re.sub(r"[^a-z0-9]", "", slug.lower())


def check_linkedin(
    candidate: CandidateProfile, claims: CvClaims | None, language: Language
) -> list[Signal]:
    """The LinkedIn address (request or CV) against the candidate's name."""
    found: list[tuple[str, SourceType]] = []
    if candidate.linkedin_url and (slug := linkedin_slug(candidate.linkedin_url)):
        found.append((slug, SourceType.REQUEST))
    for link in claims.links if claims else []:
        slug = linkedin_slug(link)
        if slug and all(_slug_key(slug) != _slug_key(s) for s, _ in found):
            found.append((slug, SourceType.CV))
    name = candidate.full_name
    signals: list[Signal] = []
    for slug, source in found:
        agreement = slug_name_agreement(slug, candidate.first_name, candidate.last_name)
        verdict = _SLUG_VERDICTS.get(agreement)
        if verdict is None:
            continue  # a partial agreement (one name only) says nothing either way
        outcome, stance = verdict
        signals.append(
            finding(
                Check.LINKEDIN_SLUG,
                (outcome, _slug_key(slug)),
                message(f"linkedin.{outcome}", language, slug=slug, name=name),
                stance=stance,
                reliability=Reliability.MEDIUM,
                source_type=source,
            )
        )
    requested = [s for s, source in found if source is SourceType.REQUEST]
    from_cv = [s for s, source in found if source is SourceType.CV]
    if requested and from_cv:
        statement = message("linkedin.differs", language, requested=requested[0], cv=from_cv[0])
        signals.append(
            finding(
                Check.LINKEDIN_SLUG,
                ("differs", _slug_key(requested[0]), _slug_key(from_cv[0])),
                statement,
                stance=Stance.CONTRADICTS,
                reliability=Reliability.MEDIUM,
                source_type=SourceType.REQUEST,
            )
        )
    return signals


def check_email_domains(
    candidate: CandidateProfile, claims: CvClaims, language: Language
) -> list[Signal]:
    """Corporate e-mail domains against the employers. Webmail, school and personal
    domains say nothing and give no signal."""
    current = [
        c for c in [candidate.company, *(j.employer for j in claims.employments if j.current)] if c
    ]
    former = [j.employer for j in claims.employments if not j.current and j.employer]
    signals: list[Signal] = []
    for email in claims.emails:
        domain = email_domain(email)
        if domain is None or is_webmail(domain) or is_academic_domain(domain):
            continue
        label = organisation_label(domain)
        if slug_name_agreement(label, candidate.first_name, candidate.last_name) != "none":
            continue  # a personal domain such as annamueller.dev
        check = Check.EMAIL_DOMAIN
        employer = next((c for c in current if domain_matches_company(domain, c)), None)
        if employer:
            statement = message("email.employer", language, email=email, employer=employer)
            signals.append(
                finding(
                    check,
                    ("employer", domain),
                    statement,
                    stance=Stance.SUPPORTS,
                    reliability=Reliability.MEDIUM,
                )
            )
            continue
        previous = next((c for c in former if domain_matches_company(domain, c)), None)
        if previous:
            statement = message("email.former_employer", language, email=email, employer=previous)
            signals.append(
                finding(
                    check,
                    ("former", domain),
                    statement,
                    stance=Stance.NEUTRAL,
                    reliability=Reliability.LOW,
                )
            )
            continue
        if current:
            statement = message(
                "email.other_company", language, email=email, domain=domain, employer=current[0]
            )
        else:
            statement = message("email.unknown_company", language, email=email, domain=domain)
        signals.append(
            finding(
                check,
                ("other", domain),
                statement,
                stance=Stance.CONTRADICTS,
                reliability=Reliability.LOW,
            )
        )
    return signals
