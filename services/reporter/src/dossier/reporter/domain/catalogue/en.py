"""English."""

from dossier.contracts.enums import Language
from dossier.reporter.domain.phrases import Phrasebook

PHRASES = Phrasebook(
    quotes=("“", "”"),
    colon=": ",
    and_word="and",
    language=Language.EN,
    present="present",
    levels={"High": "high", "Medium": "medium", "Low": "low"},
    reliability_label="reliability",
    source_labels={
        "cv": "CV",
        "request": "partner request",
        "web": "public web",
        "github": "GitHub",
        "sanctions": "sanctions lists",
        "company_registry": "company registry",
        "academic": "academic records",
    },
    area_labels={
        "identity": "identity",
        "employment": "employment history",
        "education": "education",
        "skills": "skills",
        "location": "location",
        "languages": "languages",
        "sanctions": "sanctions screening",
        "other": "other information",
    },
    reasons={
        "sanctions_hit": (
            "A sanctions-list entry matches {name} with high reliability; it needs a compliance"
            " review before anything else."
        ),
        "sanctions_possible": (
            "A sanctions-list entry may concern {name}, but the match is weak; it is probably a"
            " namesake, which should be confirmed."
        ),
        "core_claims_refuted": (
            "Several reliable, independent sources contradict core CV claims (employment or"
            " education)."
        ),
        "contradictions_one": (
            "One finding does not match the CV; we recommend validating it before going further."
        ),
        "contradictions_other": (
            "{n} findings do not match the CV; we recommend validating them before going further."
        ),
        "identity_uncertain": (
            "We could not establish with confidence that the profiles found belong to {name},"
            " so the findings should be read with caution."
        ),
        "corroborated": (
            "{n} independent sources corroborate the key claims of the CV, and nothing"
            " contradicts them."
        ),
        "thin_evidence": (
            "Nothing contradicts the CV, but few independent sources confirm it; the key claims"
            " are worth confirming."
        ),
    },
    intro_role_company="The request describes {name} as {role} at {company}.",
    intro_role="The request describes {name} as {role}.",
    intro_company="The request places {name} at {company}.",
    identity_by_level={
        "Green": "Identity is well supported (confidence: {confidence}).",
        "Orange": "Identity is only partly confirmed (confidence: {confidence}).",
        "Red": "Identity could not be confirmed with certainty (confidence: {confidence}).",
    },
    no_findings="No source returned a usable finding.",
    supports_count=(
        "No finding confirms the CV",
        "One finding confirms the CV",
        "{n} findings confirm the CV",
    ),
    contradictions_count=("none contradicts it", "one contradicts it", "{n} contradict it"),
    findings_sentence="{supports}; {contradictions}.",
    sources_missing_sentence=("Source not consulted: {names}.", "Sources not consulted: {names}."),
    conclusion_by_decision={
        "GO": (
            "Nothing we found calls the CV into question; we suggest continuing with the usual"
            " interview process."
        ),
        "GO with validation": (
            "We suggest moving forward once the points listed under what to validate have been"
            " checked."
        ),
        "NO GO": (
            "The findings suggest not moving forward unless the points listed under what to"
            " validate can be cleared up."
        ),
    },
    conclusion_without_points=("We suggest moving forward only after the usual reference checks."),
    lead_confirms="Confirms the CV",
    lead_contradicts="Contradicts the CV",
    lead_contradicts_area="Contradicts the CV ({area})",
    lead_sanctions="Possible sanctions-list match",
    lead_noted="Worth noting",
    lead_not_in_cv="Not mentioned in the CV",
    validate_sanctions=(
        "Have compliance confirm that the sanctions-list entry is not about a namesake"
    ),
    validate_job="Verify the position at {employer}{dates}",
    validate_education="Verify the education claim ({institution}{dates})",
    validate_mismatch="Clear up a mismatch with the CV ({area})",
    validate_identity="Confirm that the profiles found really belong to {name}",
    validate_low_reliability="Confirm a claim that only a low-reliability source supports",
    validate_sources_missing=(
        "{names} could not be consulted; confirm the key claims directly with references",
        "{names} could not be consulted; confirm the key claims directly with references",
    ),
    job_with_title="{title} at {employer}{dates}",
    job_without_title="a position at {employer}{dates}",
    ask_job=(
        "Your CV lists {job}. Could you walk us through that role, and tell us who could"
        " confirm your dates there?"
    ),
    education_with_degree="{degree} at {institution}{dates}",
    education_without_degree="studies at {institution}{dates}",
    ask_education=(
        "Your CV mentions {education}. When did you complete it, and could you share the diploma?"
    ),
    ask_mismatch="One source reports {statement}. How does that fit with your CV?",
    ask_low_reliability="Could you tell us more about this point of your CV ({area}), and who could confirm it?",
    ask_identity=(
        "Which online profiles (for example GitHub or LinkedIn) are yours, so that we attribute"
        " our findings correctly?"
    ),
    ask_sanctions=(
        "To complete our standard checks, could you confirm your full legal name, date of"
        " birth and nationality?"
    ),
    ask_reference_at=(
        "Could you give us a reference at {employer} who can confirm your current role?"
    ),
    ask_references=(
        "Could you give us two professional references who can confirm your recent roles?"
    ),
    lead_to_clarify="To clarify",
    achievement_kinds={
        "led": "leading a team or a project",
        "led_team": "leading a team of {n}",
        "migrated": "a migration",
        "built": "building new systems",
        "launched": "launching new products or processes",
        "reduced_costs": "cost reductions",
        "improved": "improvements to existing systems",
    },
    strength_substance="{job}: the CV describes {achievements}",
    strength_substance_topics="{job}: the CV describes {achievements}, with {topics}",
    strength_seniority="The current position, {title} at {employer}, matches the seniority of the requested role ({role})",
    validate_gap="Clarify the period of about {months} months without a listed position between {after} ({end}) and {before} ({start})",
    ask_gap="Your CV lists no position between {after} ({end}) and {before} ({start}), about {months} months. Is there anything about that period you would like us to know, such as training, projects or time off?",
    validate_gap_finding="Clarify a period without a listed position",
    ask_gap_finding="Your CV shows a period without a listed position ({statement}). Is there anything about that period you would like us to know, such as training, projects or time off?",
    ask_not_in_cv="A source ({source}) reports {statement}, which your CV does not mention. Could you tell us about it?",
    ask_achievement="At {employer}, your CV describes {achievements}. What was your own part in it, and which result are you proudest of?",
    ask_role_fit_at="Which part of your work at {employer} prepares you best for the {role} role?",
    ask_role_fit="Which part of your experience prepares you best for the {role} role?",
    ask_career="Could you walk us through your career so far, from your first position to your current one?",
    notice=(
        "AI compliance notice: this report is decision support, not a decision. Candidate"
        " Intelligence supports recruiters' decision-making and does not replace it; hiring"
        " decisions remain the employer's responsibility and always require appropriate human"
        " review and oversight."
    ),
    pdf_title="Candidate Intelligence Report",
    pdf_labels={
        "candidate": "Candidate",
        "recommendation": "Recommendation",
        "confidence": "Confidence",
        "quick_signal": "Identity check",
        "summary": "Summary",
        "evidence": "Evidence",
        "strengths": "Strengths",
        "risks": "Risks",
        "what_to_validate": "What to validate",
        "interview_questions": "Interview questions",
        "finding": "Finding",
        "findings": "Findings",
        "sources": "Sources checked",
        "reliability": "Reliability",
        "source": "Source",
        "notice": "AI compliance notice",
        "generated": "Generated",
        "report_id": "Report ID",
        "none": "Nothing to report.",
    },
    decision_labels={"GO": "GO", "GO with validation": "GO with validation", "NO GO": "NO GO"},
    quick_signal_levels={"Green": "Green", "Orange": "Orange", "Red": "Red"},
    source_states={
        "checked": "checked",
        "unavailable": "unavailable",
        "failed": "failed",
        "skipped": "skipped",
    },
)
