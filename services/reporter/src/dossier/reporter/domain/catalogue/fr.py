"""Français."""

from dossier.contracts.enums import Language
from dossier.reporter.domain.phrases import Phrasebook

PHRASES = Phrasebook(
    quotes=("« ", " »"),
    colon=" : ",
    and_word="et",
    language=Language.FR,
    present="aujourd'hui",
    levels={"High": "élevée", "Medium": "moyenne", "Low": "faible"},
    reliability_label="fiabilité",
    source_labels={
        "cv": "CV",
        "request": "demande du partenaire",
        "web": "web public",
        "github": "GitHub",
        "sanctions": "listes de sanctions",
        "company_registry": "registre du commerce",
        "academic": "sources académiques",
    },
    area_labels={
        "identity": "identité",
        "employment": "parcours professionnel",
        "education": "formation",
        "skills": "compétences",
        "location": "localisation",
        "languages": "langues",
        "sanctions": "contrôle des sanctions",
        "other": "autres informations",
    },
    reasons={
        "sanctions_hit": (
            "Une entrée d'une liste de sanctions correspond à {name} avec une fiabilité élevée ;"
            " un examen par la conformité s'impose avant toute autre démarche."
        ),
        "sanctions_possible": (
            "Une entrée d'une liste de sanctions pourrait concerner {name}, mais la"
            " correspondance est peu fiable ; il s'agit probablement d'un homonyme, ce qu'il"
            " faut confirmer."
        ),
        "core_claims_refuted": (
            "Plusieurs sources fiables et indépendantes contredisent des éléments essentiels du"
            " CV (parcours professionnel ou formation)."
        ),
        "contradictions_one": (
            "Un élément ne concorde pas avec le CV ; nous recommandons de le valider avant"
            " d'aller plus loin."
        ),
        "contradictions_other": (
            "{n} éléments ne concordent pas avec le CV ; nous recommandons de les valider avant"
            " d'aller plus loin."
        ),
        "identity_uncertain": (
            "Nous n'avons pas pu établir avec certitude que les profils trouvés appartiennent à"
            " {name} ; les constats sont donc à prendre avec prudence."
        ),
        "corroborated": (
            "{n} sources indépendantes corroborent les éléments clés du CV, et rien ne les"
            " contredit."
        ),
        "thin_evidence": (
            "Rien ne contredit le CV, mais peu de sources indépendantes le confirment ; mieux"
            " vaut vérifier les éléments clés."
        ),
    },
    intro_role_company="La demande présente {name} comme {role} chez {company}.",
    intro_role="La demande présente {name} comme {role}.",
    intro_company="Selon la demande, {name} travaille chez {company}.",
    identity_by_level={
        "Green": "L'identité est bien établie (confiance : {confidence}).",
        "Orange": "L'identité n'est que partiellement confirmée (confiance : {confidence}).",
        "Red": "L'identité n'a pas pu être confirmée avec certitude (confiance : {confidence}).",
    },
    no_findings="Aucune source n'a fourni d'information exploitable.",
    supports_count=(
        "Aucun élément ne confirme le CV",
        "Un élément confirme le CV",
        "{n} éléments confirment le CV",
    ),
    contradictions_count=("aucun ne le contredit", "un le contredit", "{n} le contredisent"),
    findings_sentence="{supports} ; {contradictions}.",
    sources_missing_sentence=(
        "Source non consultée : {names}.",
        "Sources non consultées : {names}.",
    ),
    conclusion_by_decision={
        "GO": (
            "Rien de ce que nous avons trouvé ne remet le CV en question ; nous suggérons de"
            " poursuivre le processus d'entretien habituel."
        ),
        "GO with validation": (
            "Nous suggérons d'avancer une fois vérifiés les points listés dans « À valider »."
        ),
        "NO GO": (
            "Les éléments trouvés incitent à ne pas poursuivre, à moins que les points listés"
            " dans « À valider » puissent être éclaircis."
        ),
    },
    conclusion_without_points=(
        "Nous suggérons d'avancer seulement après les vérifications de références habituelles."
    ),
    lead_confirms="Confirme le CV",
    lead_contradicts="Contredit le CV",
    lead_contradicts_area="Contredit le CV ({area})",
    lead_sanctions="Correspondance possible sur une liste de sanctions",
    lead_noted="À noter",
    lead_not_in_cv="Absent du CV",
    validate_sanctions=(
        "Faire confirmer par la conformité que l'entrée de la liste de sanctions ne concerne pas"
        " un homonyme"
    ),
    validate_job="Vérifier le poste chez {employer}{dates}",
    validate_education="Vérifier la formation ({institution}{dates})",
    validate_mismatch="Lever une incohérence avec le CV ({area})",
    validate_identity="Confirmer que les profils trouvés appartiennent bien à {name}",
    validate_low_reliability=(
        "Confirmer une information qui ne repose que sur une source peu fiable"
    ),
    validate_sources_missing=(
        "Source non consultée ({names}) ; confirmer les éléments clés directement auprès de"
        " références",
        "Sources non consultées ({names}) ; confirmer les éléments clés directement auprès de"
        " références",
    ),
    job_with_title="un poste de {title} chez {employer}{dates}",
    job_without_title="un poste chez {employer}{dates}",
    ask_job=(
        "Votre CV mentionne {job}. Pouvez-vous nous décrire ce poste et nous dire qui pourrait"
        " confirmer vos dates ?"
    ),
    education_with_degree="la formation « {degree} » ({institution}{dates})",
    education_without_degree="une formation ({institution}{dates})",
    ask_education=(
        "Votre CV mentionne {education}. Quand l'avez-vous terminée, et pourriez-vous nous"
        " transmettre le diplôme ?"
    ),
    ask_mismatch=("Une source indique {statement}. Comment cela s'articule-t-il avec votre CV ?"),
    ask_low_reliability="Pouvez-vous nous en dire plus sur ce point de votre CV ({area}) et nous dire qui pourrait le confirmer ?",
    ask_identity=(
        "Quels profils en ligne (par exemple GitHub ou LinkedIn) sont les vôtres, afin que nous"
        " attribuions correctement nos constats ?"
    ),
    ask_sanctions=(
        "Pour compléter nos vérifications habituelles, pourriez-vous confirmer votre nom"
        " complet, votre date de naissance et votre nationalité ?"
    ),
    ask_reference_at=(
        "Pourriez-vous nous indiquer une personne de référence chez {employer} qui puisse"
        " confirmer votre poste actuel ?"
    ),
    ask_references=(
        "Pourriez-vous nous indiquer deux références professionnelles qui puissent confirmer"
        " vos derniers postes ?"
    ),
    lead_to_clarify="À clarifier",
    achievement_kinds={
        "led": "la conduite d'une équipe ou d'un projet",
        "led_team": "la conduite d'une équipe de {n} personnes",
        "migrated": "une migration",
        "built": "la construction de nouveaux systèmes",
        "launched": "le lancement de nouveaux produits ou processus",
        "reduced_costs": "des réductions de coûts",
        "improved": "l'amélioration de systèmes existants",
    },
    strength_substance="{job} : le CV décrit {achievements}",
    strength_substance_topics="{job} : le CV décrit {achievements}, avec {topics}",
    strength_seniority="Le poste actuel, {title} chez {employer}, correspond au niveau de séniorité du poste demandé ({role})",
    validate_gap="Clarifier la période d'environ {months} mois sans poste indiqué entre {after} ({end}) et {before} ({start})",
    ask_gap="Votre CV n'indique aucun poste entre {after} ({end}) et {before} ({start}), soit environ {months} mois. Souhaitez-vous nous dire quelque chose sur cette période, par exemple une formation, des projets ou une pause ?",
    validate_gap_finding="Clarifier une période sans poste indiqué",
    ask_gap_finding="Votre CV montre une période sans poste indiqué ({statement}). Souhaitez-vous nous dire quelque chose sur cette période, par exemple une formation, des projets ou une pause ?",
    ask_not_in_cv="Une source ({source}) indique {statement}, ce que votre CV ne mentionne pas. Pouvez-vous nous en parler ?",
    ask_achievement="Chez {employer}, votre CV décrit {achievements}. Quelle a été votre part personnelle dans ce travail, et de quel résultat êtes-vous le plus satisfait ?",
    ask_role_fit_at="Qu'est-ce qui, dans votre travail chez {employer}, vous prépare le mieux au poste de {role} ?",
    ask_role_fit="Qu'est-ce qui, dans votre expérience, vous prépare le mieux au poste de {role} ?",
    ask_career="Pouvez-vous nous présenter votre parcours, de votre premier poste à votre poste actuel ?",
    notice=(
        "Avis de conformité IA : ce rapport est une aide à la décision, pas une décision."
        " Candidate Intelligence soutient le travail des recruteurs sans le remplacer ; les"
        " décisions d'embauche restent de la responsabilité de l'employeur et exigent toujours"
        " un examen et un contrôle humains appropriés."
    ),
    pdf_title="Rapport Candidate Intelligence",
    pdf_labels={
        "candidate": "Candidat·e",
        "recommendation": "Recommandation",
        "confidence": "Confiance",
        "quick_signal": "Contrôle d'identité",
        "summary": "Synthèse",
        "evidence": "Éléments à l'appui",
        "strengths": "Points forts",
        "risks": "Risques",
        "what_to_validate": "À valider",
        "interview_questions": "Questions d'entretien",
        "finding": "Constat",
        "findings": "Constats",
        "sources": "Sources consultées",
        "reliability": "Fiabilité",
        "source": "Source",
        "notice": "Avis de conformité IA",
        "generated": "Généré le",
        "report_id": "Identifiant du rapport",
        "none": "Rien à signaler.",
    },
    decision_labels={
        "GO": "GO",
        "GO with validation": "GO sous réserve de validation",
        "NO GO": "NO GO",
    },
    quick_signal_levels={"Green": "Vert", "Orange": "Orange", "Red": "Rouge"},
    source_states={
        "checked": "consultée",
        "unavailable": "indisponible",
        "failed": "en échec",
        "skipped": "non utilisée",
    },
)
