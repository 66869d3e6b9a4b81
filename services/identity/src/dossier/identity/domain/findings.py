"""What a consistency finding is: which check made it, which claim it is about, and its
stable id (`sig_` + a short hash of the check name and the facts, never the wording, so
re-running the stage, or asking in another language, gives the same id)."""

import hashlib
from enum import StrEnum

from dossier.contracts.api import Signal
from dossier.contracts.enums import Reliability, SourceType, Stance


class Check(StrEnum):
    """Check names: used in signal ids and in the fixture corpus's `expected` lists."""

    CURRENT_EMPLOYER = "current_employer"
    EMPLOYMENT_GAP = "employment_gap"
    OVERLAPPING_ROLES = "overlapping_roles"
    EXPERIENCE_CLAIM = "experience_claim"
    LINKEDIN_SLUG = "linkedin_slug"
    EMAIL_DOMAIN = "email_domain"
    IMPLAUSIBLE_DATES = "implausible_dates"
    CV_UNREAD = "cv_unread"
    CV_WITHOUT_TEXT = "cv_without_text"


CLAIM_OF_CHECK: dict[Check, str] = {
    Check.CURRENT_EMPLOYER: "employment.current",
    Check.EMPLOYMENT_GAP: "timeline.gaps",
    Check.OVERLAPPING_ROLES: "timeline.overlaps",
    Check.EXPERIENCE_CLAIM: "experience.years",
    Check.LINKEDIN_SLUG: "identity.linkedin",
    Check.EMAIL_DOMAIN: "contact.email_domain",
    Check.IMPLAUSIBLE_DATES: "timeline.dates",
    Check.CV_UNREAD: "cv.parsed",
    Check.CV_WITHOUT_TEXT: "cv.text",
}
_CHECK_OF_CLAIM = {claim: check for check, claim in CLAIM_OF_CHECK.items()}

#: Checks that say something about who the candidate is (the identity stage's own signals).
IDENTITY_CHECKS = frozenset(
    {Check.CURRENT_EMPLOYER, Check.LINKEDIN_SLUG, Check.EMAIL_DOMAIN, Check.IMPLAUSIBLE_DATES}
)


def check_of(signal: Signal) -> Check | None:
    """Which check produced a signal, read back from its claim."""
    return _CHECK_OF_CLAIM.get(signal.claim or "")


def signal_id(check: str, *facts: object) -> str:
    """`sig_` + 16 hex digits of the check name and the facts: same finding, same id."""
    text = "\x1f".join([check, *(str(f) for f in facts)])
    return "sig_" + hashlib.sha256(text.encode()).hexdigest()[:16]


def finding(
    check: Check,
    facts: tuple[object, ...],
    statement: str,
    *,
    stance: Stance,
    reliability: Reliability,
    source_type: SourceType = SourceType.CV,
) -> Signal:
    return Signal(
        id=signal_id(check.value, *facts),
        statement=statement,
        source_type=source_type,
        reliability=reliability,
        claim=CLAIM_OF_CHECK[check],
        stance=stance,
    )
