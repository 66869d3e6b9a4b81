"""The identity stage's catalogue format: every sentence it writes for a recruiter.

One `IdentityPhrasebook` per language in `domain/catalogue/<lang>.py`, loaded with
`dossier.language.catalogue.load_catalogue` (the reporter's format, shared). Fields are
the sentence ids of `messages.message` with dots as underscores (`current.match` →
`current_match`). Placeholders use `str.format` names and must be the same in every
language (a unit test checks). Wording should read naturally to a recruiter in that
language, not as a word-for-word translation of the English.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class IdentityPhrasebook:
    # Request vs CV: the current employer.
    current_match: str
    current_role_match: str
    current_mismatch: str
    current_ended: str
    current_absent: str
    # The timeline.
    gap_between: str
    # The CV itself.
    cv_unread: str
    cv_without_text: str
    gap_since: str
    overlap: str
    experience_inflated: str
    experience_consistent: str
    dates_future_start: str
    dates_future_end: str
    dates_end_before_start: str
    dates_education_end_before_start: str
    # Identity: links, e-mail, profiles.
    linkedin_match: str
    linkedin_mismatch: str
    linkedin_differs: str
    email_employer: str
    email_former_employer: str
    email_other_company: str
    email_unknown_company: str
    profile_match: str
    fact_link: str
    fact_email: str
    fact_employer: str
    fact_city: str
    # Quick signal reasons.
    qs_red_employer: str
    qs_red_dates: str
    qs_orange_homonyms: str
    qs_orange_homonyms_and_match: str
    qs_orange_identity: str
    qs_orange_timeline_matched: str
    qs_orange_timeline_thin: str
    qs_orange_thin: str
    qs_green_one: str
    qs_green_many: str
    # Building blocks (durations: `one`/`other` forms chosen by CLDR plural rules).
    present: str
    duration_and: str
    duration_month_one: str
    duration_month_other: str
    duration_year_one: str
    duration_year_other: str
