"""From what a pipeline stage knows (the request, the CV claims) to a `SourceQuery`."""

from dossier.contracts.claims import CvClaims, Employment
from dossier.contracts.events import AnalysisContext, IdentityResolution
from dossier.sources.base import SourceQuery


def _recency(job: Employment) -> tuple[int, int]:
    """Current jobs first, then by how recently they ended (or started)."""
    when = job.end or job.start
    return (1 if job.current else 0, when.ordinal() if when else 0)


def _unique(values: list[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for value in values:
        cleaned = value.strip()
        if cleaned and cleaned.casefold() not in seen:
            seen[cleaned.casefold()] = cleaned
    return tuple(seen.values())


def query_for(
    context: AnalysisContext,
    claims: CvClaims | None,
    identity: IdentityResolution | None = None,
) -> SourceQuery:
    """The request's name and company are authoritative; the CV adds links, e-mails and
    employers; identity's verdicts on profiles found by name travel along, so evidence
    sources do not re-decide who is a homonym. The CV text itself never reaches a source,
    only these few facts."""
    candidate = context.candidate
    jobs = sorted(claims.employments, key=_recency, reverse=True) if claims else []
    return SourceQuery(
        full_name=candidate.full_name,
        first_name=candidate.first_name,
        last_name=candidate.last_name,
        company=candidate.company,
        role=candidate.role or (jobs[0].title if jobs else None),
        location=candidate.location or (claims.location if claims else None),
        linkedin_url=candidate.linkedin_url,
        links=_unique(claims.links) if claims else (),
        emails=_unique(claims.emails) if claims else (),
        employers=_unique([job.employer for job in jobs]),
        institutions=_unique([school.institution for school in claims.education]) if claims else (),
        language=context.language,
        profile_verdicts=tuple(
            (m.source, m.handle, m.verdict) for m in (identity.matches if identity else [])
        ),
        for_identity=identity is None,
    )
