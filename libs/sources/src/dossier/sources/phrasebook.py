"""The source connectors' catalogue format: every sentence a connector states.

One `SourcePhrasebook` per language in `sources/catalogue/<lang>.py`, loaded with
`dossier.language.catalogue.load_catalogue` (the reporter's format, shared). Fields are
the phrase kinds of `wording.phrase` with dots as underscores (`github.since` →
`github_since`). Counted phrases have `one`/`other` forms chosen by CLDR plural rules.
Proper nouns (GitHub, ORCID, OpenSanctions, Companies House), names, companies and
identifiers pass through untouched; quotation marks inside a statement are the
language's inner marks.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class SourcePhrasebook:
    # Shared fragments.
    cv_not_mentioned: str
    # GitHub.
    github_linked_profile_missing: str
    github_linked_profile_other_person: str
    github_profile_found: str
    github_via_link: str
    github_via_search: str
    github_repositories_none: str
    github_repositories_one: str
    github_repositories_other: str
    github_since: str
    github_last_push: str
    github_employer_matches: str
    github_employer_unmentioned: str
    github_location_matches: str
    github_location_differs: str
    github_blog_on_cv: str
    github_languages: str
    # ORCID.
    orcid_linked_record: str
    orcid_linked_record_other_person: str
    orcid_affiliation: str
    # Sanctions (OpenSanctions).
    sanctions_clear: str
    sanctions_possible_match: str
    sanctions_namesake: str
    sanctions_more_datasets_one: str
    sanctions_more_datasets_other: str
    sanctions_datasets_unspecified: str
    sanctions_topic_sanction: str
    sanctions_topic_sanction_linked: str
    sanctions_topic_debarment: str
    sanctions_topic_crime: str
    sanctions_topic_wanted: str
    sanctions_topic_role_pep: str
    sanctions_topic_role_rca: str
    sanctions_topic_other: str
    # Companies House.
    companies_house_officer: str
    companies_house_other_appointment: str
    companies_house_company: str
    companies_house_company_numbered: str
    companies_house_period_current: str
    companies_house_period_ended: str
    companies_house_period_unknown_current: str
    companies_house_period_unknown_ended: str
    companies_house_role_director: str
    companies_house_role_secretary: str
    companies_house_role_llp_member: str
    companies_house_role_llp_designated_member: str
    companies_house_role_nominee_director: str
    companies_house_role_unknown: str
    companies_house_role_other: str
    # Web search.
    web_search_page_names_candidate: str
    # Check details: the one-line summary of each lookup, shown with the source's state.
    detail_github_linked: str
    detail_github_search: str
    detail_orcid_linked_missing: str
    detail_orcid_records: str
    detail_sanctions_clear: str
    detail_sanctions_matches: str
    detail_companies_house: str
    detail_web_search: str
