"""Checks of the CV against itself: gaps, overlaps, claimed experience, impossible dates.

Gaps count any dated position or study as covered time (a master's degree between two
jobs is not a gap). Overlaps only compare full-time jobs at different employers (a
promotion inside one company is not an overlap, and freelance work on the side is
normal). Year-only dates are read as kindly as possible before accusing (see
`timeline`).
"""

import datetime as dt
import itertools

from dossier.contracts.api import Signal
from dossier.contracts.claims import CvClaims, Employment
from dossier.contracts.enums import Language, Reliability, Stance
from dossier.identity.domain.cv_dates import format_year_month
from dossier.identity.domain.findings import Check, finding
from dossier.identity.domain.messages import duration, message, range_label, years
from dossier.identity.domain.organisations import companies_match, company_key
from dossier.identity.domain.timeline import (
    Stint,
    covered_months,
    earliest,
    education_stint,
    job_stint,
    latest,
    today_index,
)

#: A stretch longer than this without any position is a gap.
GAP_MONTHS = 6
#: Full-time jobs may overlap this long (notice periods, handovers) before it is notable.
OVERLAP_TOLERANCE_MONTHS = 2
#: A claimed experience this many years beyond the timeline is inflated.
EXPERIENCE_SLACK_YEARS = 2


def _believable(claims: CvClaims, now: int) -> list[Employment]:
    """Jobs as the timeline checks read them. Impossible dates are `check_dates`' business:
    a job starting in the future is left out, and an end before the start is read as the
    typo it most likely is (swapped), so neither produces phantom gaps or overlaps."""
    jobs: list[Employment] = []
    for job in claims.employments:
        if job.start is None or earliest(job.start) > now:
            continue
        if job.end is not None and latest(job.end) < earliest(job.start):
            jobs.append(job.model_copy(update={"start": job.end, "end": job.start}))
        else:
            jobs.append(job)
    return jobs


def check_gaps(claims: CvClaims, language: Language, today: dt.date) -> list[Signal]:
    """Stretches of more than six months that no position or study covers."""
    now = today_index(today)
    jobs = [s for s in (job_stint(j, now) for j in _believable(claims, now)) if s is not None]
    if not jobs:
        return []
    studies = [s for s in (education_stint(e, now) for e in claims.education) if s is not None]
    stints = sorted([*jobs, *studies], key=lambda s: (s.first, s.last))
    signals: list[Signal] = []
    covering = stints[0]
    for stint in stints[1:]:
        months = stint.first - covering.last - 1  # months no position covers (06 → 03: 8)
        if months > GAP_MONTHS:
            start = format_year_month(covering.end or covering.start)
            end = format_year_month(stint.start)
            statement = message(
                "gap.between",
                language,
                start=start,
                end=end,
                duration=duration(months, language, dative=True),
            )
            signals.append(
                finding(
                    Check.EMPLOYMENT_GAP,
                    (start, end),
                    statement,
                    stance=Stance.CONTRADICTS,
                    reliability=Reliability.MEDIUM,
                )
            )
        if stint.last > covering.last:
            covering = stint
    months = now - covering.last
    claims_current_job = any(job.current for job in claims.employments)
    if months > GAP_MONTHS and covering.end is not None and not claims_current_job:
        start = format_year_month(covering.end)
        statement = message(
            "gap.since", language, start=start, duration=duration(months, language, dative=True)
        )
        signals.append(
            finding(
                Check.EMPLOYMENT_GAP,
                (start, "today"),
                statement,
                stance=Stance.CONTRADICTS,
                reliability=Reliability.MEDIUM,
            )
        )
    return signals


def check_overlaps(claims: CvClaims, language: Language, today: dt.date) -> list[Signal]:
    """Full-time jobs at different employers that overlap by more than two months."""
    now = today_index(today)
    full_time = [
        s
        for s in (job_stint(j, now, kind="narrowest") for j in _believable(claims, now))
        if s is not None and not s.part_time
    ]
    signals: list[Signal] = []
    for a, b in itertools.combinations(sorted(full_time, key=lambda s: s.first), 2):
        months = min(a.last, b.last) - max(a.first, b.first) + 1
        if months <= OVERLAP_TOLERANCE_MONTHS or companies_match(a.name, b.name):
            continue
        a_range, b_range = (
            range_label(a.start, a.end, language),
            range_label(b.start, b.end, language),
        )
        statement = message(
            "overlap",
            language,
            first=a.name,
            first_range=a_range,
            second=b.name,
            second_range=b_range,
            duration=duration(months, language, dative=True),
        )
        facts = (company_key(a.name), _range_fact(a), company_key(b.name), _range_fact(b))
        signals.append(
            finding(
                Check.OVERLAPPING_ROLES,
                facts,
                statement,
                stance=Stance.CONTRADICTS,
                reliability=Reliability.MEDIUM,
            )
        )
    return signals


def _range_fact(stint: Stint) -> str:
    end = format_year_month(stint.end) if stint.end else "present"
    return f"{format_year_month(stint.start)}-{end}"


def timeline_years(claims: CvClaims, today: dt.date) -> float:
    """Years the dated positions cover together, in their most generous reading."""
    now = today_index(today)
    jobs = _believable(claims, now)
    stints = [s for s in (job_stint(j, now) for j in jobs) if s is not None]
    return covered_months(stints) / 12


def check_experience_claim(claims: CvClaims, language: Language, today: dt.date) -> list[Signal]:
    """The claimed years of experience against what the dated positions add up to."""
    claimed = claims.claimed_years_experience
    if claimed is None or not any(j.start for j in claims.employments):
        return []
    actual = timeline_years(claims, today)
    if claimed - actual >= EXPERIENCE_SLACK_YEARS:
        rounded = round(actual)
        statement = message(
            "experience.inflated", language, claimed=claimed, actual=years(rounded, language)
        )
        return [
            finding(
                Check.EXPERIENCE_CLAIM,
                ("inflated", claimed, rounded),
                statement,
                stance=Stance.CONTRADICTS,
                reliability=Reliability.MEDIUM,
            )
        ]
    statement = message("experience.consistent", language, claimed=claimed)
    return [
        finding(
            Check.EXPERIENCE_CLAIM,
            ("consistent", claimed),
            statement,
            stance=Stance.SUPPORTS,
            reliability=Reliability.LOW,
        )
    ]


def check_dates(claims: CvClaims, language: Language, today: dt.date) -> list[Signal]:
    """Dates that cannot be right: a start or end in the future, an end before the start."""
    now = today_index(today)
    signals: list[Signal] = []
    check = Check.IMPLAUSIBLE_DATES

    def flag(kind: str, key: str, fact: str, statement: str) -> None:
        signals.append(
            finding(
                check,
                (kind, key, fact),
                statement,
                stance=Stance.CONTRADICTS,
                reliability=Reliability.HIGH,
            )
        )

    for job in claims.employments:
        key = company_key(job.employer)
        if job.start and earliest(job.start) > now:
            date = format_year_month(job.start)
            flag(
                "future_start",
                key,
                date,
                message("dates.future_start", language, employer=job.employer, date=date),
            )
        if job.end and not job.current and earliest(job.end) > now:
            date = format_year_month(job.end)
            flag(
                "future_end",
                key,
                date,
                message("dates.future_end", language, employer=job.employer, date=date),
            )
        if job.start and job.end and latest(job.end) < earliest(job.start):
            start, end = format_year_month(job.start), format_year_month(job.end)
            flag(
                "end_before_start",
                key,
                f"{start}>{end}",
                message(
                    "dates.end_before_start", language, employer=job.employer, start=start, end=end
                ),
            )
    for entry in claims.education:
        if entry.start and entry.end and latest(entry.end) < earliest(entry.start):
            start, end = format_year_month(entry.start), format_year_month(entry.end)
            flag(
                "education_end_before_start",
                company_key(entry.institution),
                f"{start}>{end}",
                message(
                    "dates.education_end_before_start",
                    language,
                    institution=entry.institution,
                    start=start,
                    end=end,
                ),
            )
    return signals
