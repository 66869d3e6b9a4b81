"""Consistency checks: the request against the CV, and the CV against itself.

Each check is a small pure function returning `Signal`s. A signal carries the claim it
is about, whether it supports or contradicts it, and a stable id: `sig_` + a short hash
of the check name and the facts (never the wording), so re-running the stage, or asking
in another language, yields the same id for the same finding.

| check               | claim                  | source    | finding                                  |
|---------------------|------------------------|-----------|------------------------------------------|
| current_employer    | employment.current     | request   | request's company vs the CV's current job |
| employment_gap      | timeline.gaps          | cv        | > 6 months without any position           |
| overlapping_roles   | timeline.overlaps      | cv        | full-time jobs overlapping > 2 months     |
| experience_claim    | experience.years       | cv        | claimed years ≥ timeline + 2              |
| linkedin_slug       | identity.linkedin      | request/cv| LinkedIn address vs the candidate's name  |
| email_domain        | contact.email_domain   | cv        | corporate e-mail domain vs employers      |
| implausible_dates   | timeline.dates         | cv        | future dates, end before start            |
| cv_unread           | cv.parsed              | cv        | the CV could not be parsed in time        |
| cv_without_text     | cv.text                | cv        | the CV file held no text (scanned PDF)    |

Gaps count any dated position or study as covered time (a master's degree between two
jobs is not a gap); overlaps only compare full-time jobs at different employers
(a promotion inside one company is not an overlap).
"""

import datetime as dt

from dossier.contracts.api import Signal
from dossier.contracts.claims import CvClaims
from dossier.contracts.enums import Language, Reliability, Stance
from dossier.contracts.events import CandidateProfile
from dossier.identity.domain.findings import (
    CLAIM_OF_CHECK,
    IDENTITY_CHECKS,
    Check,
    check_of,
    finding,
    signal_id,
)
from dossier.identity.domain.identity_checks import (
    check_current_employer,
    check_email_domains,
    check_linkedin,
)
from dossier.identity.domain.messages import message
from dossier.identity.domain.timeline_checks import (
    check_dates,
    check_experience_claim,
    check_gaps,
    check_overlaps,
)

__all__ = [
    "CLAIM_OF_CHECK",
    "IDENTITY_CHECKS",
    "Check",
    "check_of",
    "consistency_signals",
    "signal_id",
    "textless_cv_signal",
    "unread_cv_signal",
]


def consistency_signals(
    candidate: CandidateProfile,
    claims: CvClaims | None,
    *,
    language: Language,
    today: dt.date,
) -> list[Signal]:
    """Every consistency finding, in check order. Without a CV only the request's
    LinkedIn address can be checked."""
    if claims is None:
        return check_linkedin(candidate, None, language)
    return [
        *check_current_employer(candidate, claims, language),
        *check_dates(claims, language, today),
        *check_gaps(claims, language, today),
        *check_overlaps(claims, language, today),
        *check_experience_claim(claims, language, today),
        *check_linkedin(candidate, claims, language),
        *check_email_domains(candidate, claims, language),
    ]


def unread_cv_signal(language: Language) -> Signal:
    """The CV was sent but could not be parsed within the stage's budget: the report
    must say that its CV-based checks are missing, not that they found nothing."""
    return finding(
        Check.CV_UNREAD,
        (),
        message("cv.unread", language),
        stance=Stance.NEUTRAL,
        reliability=Reliability.LOW,
    )


def textless_cv_signal(language: Language) -> Signal:
    """The CV came as a file with no text in it (a scanned PDF without a text layer): the
    report must say its CV-based checks are missing, and how to send a readable CV."""
    return finding(
        Check.CV_WITHOUT_TEXT,
        (),
        message("cv.without_text", language),
        stance=Stance.NEUTRAL,
        reliability=Reliability.LOW,
    )
