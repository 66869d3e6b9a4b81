"""The query every stage sends to sources, built from the request and the CV claims."""

from dossier.contracts.claims import CvClaims
from dossier.contracts.events import AnalysisContext
from dossier.sources.base import SourceQuery


def query_for(context: AnalysisContext, claims: CvClaims | None) -> SourceQuery:
    candidate = context.candidate
    return SourceQuery(
        full_name=candidate.full_name,
        first_name=candidate.first_name,
        last_name=candidate.last_name,
        company=candidate.company,
        role=candidate.role,
        location=candidate.location,
        linkedin_url=candidate.linkedin_url,
        links=tuple(claims.links) if claims else (),
        emails=tuple(claims.emails) if claims else (),
        employers=tuple(e.employer for e in claims.employments) if claims else (),
        language=context.language,
    )
