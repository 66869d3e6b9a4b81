"""Tie a finding back to the CV entry it is about, so questions can name the employer and dates.

Signals name their claim loosely (`employment[1]`, `employment.current`, `education.0`,
`employment.gap`) or not at all; when the claim does not point at an entry, the entry
whose employer or institution appears in the finding's statement is used.
"""

import re
from dataclasses import dataclass

from dossier.contracts.api import Signal
from dossier.contracts.claims import CvClaims, Education, Employment

#: A stretch without any position longer than this is worth asking about.
GAP_MONTHS_WORTH_ASKING = 6

_INDEX = re.compile(r"^[a-z_]+(?:\[(\d+)\]|\.(\d+))")


@dataclass(frozen=True)
class Gap:
    """Months without any position between two CV entries."""

    after: Employment
    before: Employment
    months: int


def _claim_index(claim: str | None) -> int | None:
    if not claim:
        return None
    match = _INDEX.match(claim.lower())
    if match is None:
        return None
    return int(match.group(1) or match.group(2))


def _named_in(statement: str, names: list[str]) -> int | None:
    """Index of the longest name the statement mentions (so `Acme Labs` wins over `Acme`)."""
    lowered = statement.lower()
    found = [(len(name), i) for i, name in enumerate(names) if name and name.lower() in lowered]
    if not found:
        return None
    return max(found)[1]


def employment_for(claims: CvClaims | None, signal: Signal) -> Employment | None:
    if claims is None or not claims.employments:
        return None
    jobs = claims.employments
    index = _claim_index(signal.claim)
    if index is not None and index < len(jobs):
        return jobs[index]
    if signal.claim and signal.claim.lower().endswith(".current"):
        current = [job for job in jobs if job.current]
        if current:
            return current[0]
    named = _named_in(signal.statement, [job.employer for job in jobs])
    return jobs[named] if named is not None else None


def education_for(claims: CvClaims | None, signal: Signal) -> Education | None:
    if claims is None or not claims.education:
        return None
    entries = claims.education
    index = _claim_index(signal.claim)
    if index is not None and index < len(entries):
        return entries[index]
    named = _named_in(signal.statement, [entry.institution for entry in entries])
    return entries[named] if named is not None else None


def employment_gaps(
    claims: CvClaims | None, min_months: int = GAP_MONTHS_WORTH_ASKING
) -> list[Gap]:
    """Stretches longer than `min_months` that no dated position covers, oldest first.

    A position without an end date counts as ending when it started (we only know that
    much); a current position covers everything after its start.
    """
    if claims is None:
        return []
    dated = sorted(
        (job for job in claims.employments if job.start is not None),
        key=lambda job: job.start.ordinal() if job.start else 0,
    )
    gaps: list[Gap] = []
    covered_until: int | None = None
    covering: Employment | None = None
    for job in dated:
        start = job.start.ordinal() if job.start else 0
        if covering is not None and covered_until is not None:
            months = start - covered_until - 1
            if months > min_months:
                gaps.append(Gap(after=covering, before=job, months=months))
        if job.current:
            break
        end = job.end.ordinal() if job.end else start
        if covered_until is None or end > covered_until:
            covered_until, covering = end, job
    return gaps


def gap_for(claims: CvClaims | None, signal: Signal) -> Gap | None:
    """The gap a gap finding is about: the one whose years it mentions, else the longest."""
    gaps = employment_gaps(claims)
    if not gaps:
        return None
    for gap in gaps:
        years = [str(entry.year) for entry in (gap.after.end, gap.before.start) if entry]
        if any(year in signal.statement for year in years):
            return gap
    return max(gaps, key=lambda gap: gap.months)


def is_gap_finding(signal: Signal) -> bool:
    return bool(signal.claim and "gap" in signal.claim.lower())


#: Seniority words of job titles in the five languages (folded, lower case), by rank.
_SENIORITY: tuple[tuple[int, frozenset[str]], ...] = (
    (0, frozenset({"junior", "trainee", "intern", "stagiaire", "praktikant", "becario",
                   "becaria", "stagista", "tirocinante", "werkstudent", "werkstudentin",
                   "associate", "assistant", "alternant"})),
    (2, frozenset({"senior", "sr", "sénior", "staff", "principal", "expert"})),
    (3, frozenset({"lead", "head", "chef", "leiter", "leiterin", "teamleiter", "responsabile",
                   "jefe", "jefa", "manager", "director", "directeur", "directrice",
                   "direttore", "directora", "responsable", "cto", "vp"})),
)  # fmt: skip


#: The lowest level whose match with the requested role is worth stating.
SENIOR = 2


def seniority(title: str | None) -> int | None:
    """0 junior, 1 confirmed, 2 senior, 3 lead: the highest level a title's words name."""
    if not title:
        return None
    words = set(re.findall(r"[^\W\d_]+", title.lower()))
    levels = [rank for rank, names in _SENIORITY if words & names]
    return max(levels) if levels else 1


def current_job(claims: CvClaims | None) -> Employment | None:
    """The current position, else the most recent dated one, else the first listed."""
    if claims is None or not claims.employments:
        return None
    jobs = claims.employments
    current = [job for job in jobs if job.current]
    if current:
        return current[0]
    dated = [job for job in jobs if job.start is not None]
    if dated:
        return max(dated, key=lambda job: job.start.ordinal() if job.start else 0)
    return jobs[0]


def matches_requested_seniority(job: Employment, role: str | None) -> bool:
    """The CV's title names the requested role's senior level (`Senior Data Engineer` for a
    `Senior Data Engineer` request, `Head of Data` for `Lead Engineer`).

    Only senior and lead levels count: two titles without a seniority word say nothing
    about seniority, and stating that they match would only repeat the request."""
    if not role or not job.title:
        return False
    level = seniority(job.title)
    return level is not None and level >= SENIOR and level == seniority(role)
