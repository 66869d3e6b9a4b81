"""Español (trato de usted)."""

from dossier.contracts.enums import Language
from dossier.reporter.domain.phrases import Phrasebook

PHRASES = Phrasebook(
    quotes=("«", "»"),
    colon=": ",
    and_word="y",
    language=Language.ES,
    present="la actualidad",
    levels={"High": "alta", "Medium": "media", "Low": "baja"},
    reliability_label="fiabilidad",
    source_labels={
        "cv": "CV",
        "request": "solicitud del socio",
        "web": "web pública",
        "github": "GitHub",
        "sanctions": "listas de sanciones",
        "company_registry": "registro mercantil",
        "academic": "fuentes académicas",
    },
    area_labels={
        "identity": "identidad",
        "employment": "trayectoria profesional",
        "education": "formación",
        "skills": "competencias",
        "location": "ubicación",
        "languages": "idiomas",
        "sanctions": "control de sanciones",
        "other": "otra información",
    },
    reasons={
        "sanctions_hit": (
            "Una entrada de una lista de sanciones coincide con {name} con fiabilidad alta; antes"
            " de dar cualquier otro paso, debe revisarla el área de cumplimiento normativo."
        ),
        "sanctions_possible": (
            "Una entrada de una lista de sanciones podría referirse a {name}, pero la"
            " coincidencia es poco fiable; probablemente se trate de un homónimo, lo que conviene"
            " confirmar."
        ),
        "core_claims_refuted": (
            "Varias fuentes fiables e independientes contradicen datos esenciales del CV"
            " (trayectoria profesional o formación)."
        ),
        "contradictions_one": (
            "Un dato no coincide con el CV; recomendamos validarlo antes de seguir adelante."
        ),
        "contradictions_other": (
            "{n} datos no coinciden con el CV; recomendamos validarlos antes de seguir adelante."
        ),
        "identity_uncertain": (
            "No hemos podido establecer con seguridad que los perfiles encontrados pertenezcan a"
            " {name}, por lo que los hallazgos deben tomarse con cautela."
        ),
        "corroborated": (
            "{n} fuentes independientes corroboran los datos clave del CV y nada los contradice."
        ),
        "thin_evidence": (
            "Nada contradice el CV, pero pocas fuentes independientes lo confirman; conviene"
            " verificar los datos clave."
        ),
    },
    intro_role_company="Según la solicitud, {name} trabaja como {role} en {company}.",
    intro_role="Según la solicitud, {name} trabaja como {role}.",
    intro_company="Según la solicitud, {name} trabaja en {company}.",
    identity_by_level={
        "Green": "La identidad está bien respaldada (confianza: {confidence}).",
        "Orange": "La identidad solo está confirmada en parte (confianza: {confidence}).",
        "Red": "No se ha podido confirmar la identidad con seguridad (confianza: {confidence}).",
    },
    no_findings="Ninguna fuente aportó información utilizable.",
    supports_count=(
        "Ningún dato confirma el CV",
        "Un dato confirma el CV",
        "{n} datos confirman el CV",
    ),
    contradictions_count=("ninguno lo contradice", "uno lo contradice", "{n} lo contradicen"),
    findings_sentence="{supports}; {contradictions}.",
    sources_missing_sentence=(
        "Fuente no consultada: {names}.",
        "Fuentes no consultadas: {names}.",
    ),
    conclusion_by_decision={
        "GO": (
            "Nada de lo encontrado pone en duda el CV; sugerimos continuar con el proceso de"
            " entrevistas habitual."
        ),
        "GO with validation": (
            "Sugerimos avanzar una vez verificados los puntos de «Qué validar»."
        ),
        "NO GO": (
            "Los hallazgos sugieren no avanzar, salvo que se aclaren los puntos de «Qué validar»."
        ),
    },
    conclusion_without_points=(
        "Sugerimos avanzar solo después de las comprobaciones de referencias habituales."
    ),
    lead_confirms="Confirma el CV",
    lead_contradicts="Contradice el CV",
    lead_contradicts_area="Contradice el CV ({area})",
    lead_sanctions="Posible coincidencia en una lista de sanciones",
    lead_noted="A tener en cuenta",
    lead_not_in_cv="No mencionado en el CV",
    validate_sanctions=(
        "Pedir al área de cumplimiento que confirme que la entrada de la lista de sanciones no"
        " corresponde a un homónimo"
    ),
    validate_job="Verificar el puesto en {employer}{dates}",
    validate_education="Verificar la formación declarada ({institution}{dates})",
    validate_mismatch="Aclarar una discrepancia con el CV ({area})",
    validate_identity="Confirmar que los perfiles encontrados pertenecen realmente a {name}",
    validate_low_reliability="Confirmar un dato respaldado solo por una fuente poco fiable",
    validate_sources_missing=(
        "Fuente no consultada ({names}); confirmar los datos clave directamente con referencias",
        "Fuentes no consultadas ({names}); confirmar los datos clave directamente con referencias",
    ),
    job_with_title="el puesto de {title} en {employer}{dates}",
    job_without_title="un puesto en {employer}{dates}",
    ask_job=(
        "Su CV indica {job}. ¿Podría describirnos ese puesto y decirnos quién podría confirmar"
        " las fechas?"
    ),
    education_with_degree="el título «{degree}» ({institution}{dates})",
    education_without_degree="un programa de estudios ({institution}{dates})",
    ask_education=(
        "Su CV menciona {education}. ¿Cuándo lo terminó y podría facilitarnos el título?"
    ),
    ask_mismatch="Una fuente indica {statement}. ¿Cómo encaja eso con su CV?",
    ask_low_reliability="¿Podría contarnos más sobre este punto de su CV ({area}) y decirnos quién podría confirmarlo?",
    ask_identity=(
        "¿Qué perfiles en línea (por ejemplo, GitHub o LinkedIn) son suyos, para que podamos"
        " atribuir correctamente lo que hemos encontrado?"
    ),
    ask_sanctions=(
        "Para completar nuestras comprobaciones habituales, ¿podría confirmarnos su nombre"
        " completo, fecha de nacimiento y nacionalidad?"
    ),
    ask_reference_at=(
        "¿Podría facilitarnos una persona de referencia en {employer} que pueda confirmar su"
        " puesto actual?"
    ),
    ask_references=(
        "¿Podría facilitarnos dos referencias profesionales que puedan confirmar sus últimos"
        " puestos?"
    ),
    lead_to_clarify="Por aclarar",
    achievement_kinds={
        "led": "la dirección de un equipo o de un proyecto",
        "led_team": "la dirección de un equipo de {n} personas",
        "migrated": "una migración",
        "built": "la construcción de nuevos sistemas",
        "launched": "el lanzamiento de nuevos productos o procesos",
        "reduced_costs": "reducciones de costes",
        "improved": "la mejora de sistemas existentes",
    },
    strength_substance="{job}: el CV describe {achievements}",
    strength_substance_topics="{job}: el CV describe {achievements}, con {topics}",
    strength_seniority="El puesto actual, {title} en {employer}, corresponde al nivel de experiencia del puesto solicitado ({role})",
    validate_gap="Aclarar el periodo de unos {months} meses sin puesto indicado entre {after} ({end}) y {before} ({start})",
    ask_gap="Su CV no indica ningún puesto entre {after} ({end}) y {before} ({start}), unos {months} meses. ¿Hay algo que quiera contarnos sobre ese periodo, por ejemplo formación, proyectos o un descanso?",
    validate_gap_finding="Aclarar un periodo sin puesto indicado",
    ask_gap_finding="Su CV muestra un periodo sin puesto indicado ({statement}). ¿Hay algo que quiera contarnos sobre ese periodo, por ejemplo formación, proyectos o un descanso?",
    ask_not_in_cv="Una fuente ({source}) indica {statement}, algo que su CV no menciona. ¿Podría hablarnos de ello?",
    ask_achievement="En {employer}, su CV describe {achievements}. ¿Cuál fue su papel personal y de qué resultado está más satisfecho?",
    ask_role_fit_at="¿Qué parte de su trabajo en {employer} le prepara mejor para el puesto de {role}?",
    ask_role_fit="¿Qué parte de su experiencia le prepara mejor para el puesto de {role}?",
    ask_career="¿Podría describirnos su trayectoria profesional, desde su primer puesto hasta el actual?",
    notice=(
        "Aviso de cumplimiento sobre IA: este informe es un apoyo a la decisión, no una"
        " decisión. Candidate Intelligence respalda la toma de decisiones de los reclutadores"
        " sin sustituirla; las decisiones de contratación siguen siendo responsabilidad del"
        " empleador y requieren siempre una revisión y supervisión humanas adecuadas."
    ),
    pdf_title="Informe Candidate Intelligence",
    pdf_labels={
        "candidate": "Candidato/a",
        "recommendation": "Recomendación",
        "confidence": "Confianza",
        "quick_signal": "Control de identidad",
        "summary": "Resumen",
        "evidence": "Datos que la respaldan",
        "strengths": "Puntos fuertes",
        "risks": "Riesgos",
        "what_to_validate": "Qué validar",
        "interview_questions": "Preguntas para la entrevista",
        "finding": "Hallazgo",
        "findings": "Hallazgos",
        "sources": "Fuentes consultadas",
        "reliability": "Fiabilidad",
        "source": "Fuente",
        "notice": "Aviso de cumplimiento sobre IA",
        "generated": "Generado el",
        "report_id": "ID del informe",
        "none": "Nada que señalar.",
    },
    decision_labels={
        "GO": "GO",
        "GO with validation": "GO con validación",
        "NO GO": "NO GO",
    },
    quick_signal_levels={"Green": "Verde", "Orange": "Naranja", "Red": "Rojo"},
    source_states={
        "checked": "consultada",
        "unavailable": "no disponible",
        "failed": "fallida",
        "skipped": "omitida",
    },
)
