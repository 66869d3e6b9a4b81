"""Italiano (forma di cortesia, Lei)."""

from dossier.contracts.enums import Language
from dossier.reporter.domain.phrases import Phrasebook

PHRASES = Phrasebook(
    quotes=("«", "»"),
    colon=": ",
    and_word="e",
    language=Language.IT,
    present="oggi",
    levels={"High": "alta", "Medium": "media", "Low": "bassa"},
    reliability_label="affidabilità",
    source_labels={
        "cv": "CV",
        "request": "richiesta del partner",
        "web": "web pubblico",
        "github": "GitHub",
        "sanctions": "liste di sanzioni",
        "company_registry": "registro delle imprese",
        "academic": "fonti accademiche",
    },
    area_labels={
        "identity": "identità",
        "employment": "esperienze lavorative",
        "education": "formazione",
        "skills": "competenze",
        "location": "località",
        "languages": "lingue",
        "sanctions": "controllo sanzioni",
        "other": "altre informazioni",
    },
    reasons={
        "sanctions_hit": (
            "Una voce di una lista di sanzioni corrisponde a {name} con affidabilità alta; prima"
            " di ogni altro passo serve una verifica da parte della compliance."
        ),
        "sanctions_possible": (
            "Una voce di una lista di sanzioni potrebbe riguardare {name}, ma la corrispondenza"
            " è poco affidabile; probabilmente si tratta di un omonimo, ed è bene confermarlo."
        ),
        "core_claims_refuted": (
            "Più fonti affidabili e indipendenti contraddicono elementi centrali del CV"
            " (esperienze lavorative o formazione)."
        ),
        "contradictions_one": (
            "Un elemento non corrisponde al CV; consigliamo di verificarlo prima di andare avanti."
        ),
        "contradictions_other": (
            "{n} elementi non corrispondono al CV; consigliamo di verificarli prima di andare"
            " avanti."
        ),
        "identity_uncertain": (
            "Non è stato possibile stabilire con certezza che i profili trovati appartengano a"
            " {name}; le informazioni raccolte vanno quindi lette con cautela."
        ),
        "corroborated": (
            "{n} fonti indipendenti confermano gli elementi chiave del CV e nulla li contraddice."
        ),
        "thin_evidence": (
            "Nulla contraddice il CV, ma poche fonti indipendenti lo confermano; conviene"
            " verificare gli elementi chiave."
        ),
    },
    intro_role_company="Secondo la richiesta, {name} lavora come {role} presso {company}.",
    intro_role="Secondo la richiesta, {name} lavora come {role}.",
    intro_company="Secondo la richiesta, {name} lavora presso {company}.",
    identity_by_level={
        "Green": "L'identità è ben documentata (certezza: {confidence}).",
        "Orange": "L'identità è confermata solo in parte (certezza: {confidence}).",
        "Red": (
            "Non è stato possibile confermare l'identità con sicurezza (certezza: {confidence})."
        ),
    },
    no_findings="Nessuna fonte ha fornito informazioni utilizzabili.",
    supports_count=(
        "Nessun elemento conferma il CV",
        "Un elemento conferma il CV",
        "{n} elementi confermano il CV",
    ),
    contradictions_count=("nessuno lo contraddice", "uno lo contraddice", "{n} lo contraddicono"),
    findings_sentence="{supports}; {contradictions}.",
    sources_missing_sentence=(
        "Fonte non consultata: {names}.",
        "Fonti non consultate: {names}.",
    ),
    conclusion_by_decision={
        "GO": (
            "Nulla di quanto trovato mette in discussione il CV; suggeriamo di proseguire con il"
            " consueto iter di colloqui."
        ),
        "GO with validation": (
            "Suggeriamo di procedere dopo aver verificato i punti elencati in «Da verificare»."
        ),
        "NO GO": (
            "Gli elementi raccolti suggeriscono di non procedere, a meno che i punti elencati in"
            " «Da verificare» non vengano chiariti."
        ),
    },
    conclusion_without_points=(
        "Suggeriamo di procedere solo dopo le consuete verifiche delle referenze."
    ),
    lead_confirms="Conferma il CV",
    lead_contradicts="Contraddice il CV",
    lead_contradicts_area="Contraddice il CV ({area})",
    lead_sanctions="Possibile corrispondenza in una lista di sanzioni",
    lead_noted="Da notare",
    lead_not_in_cv="Non menzionato nel CV",
    validate_sanctions=(
        "Far verificare alla compliance che la voce della lista di sanzioni non riguardi un omonimo"
    ),
    validate_job="Verificare il ruolo presso {employer}{dates}",
    validate_education="Verificare il percorso di studi ({institution}{dates})",
    validate_mismatch="Chiarire una discrepanza con il CV ({area})",
    validate_identity="Confermare che i profili trovati appartengano davvero a {name}",
    validate_low_reliability=(
        "Confermare un'informazione sostenuta solo da una fonte poco affidabile"
    ),
    validate_sources_missing=(
        "Fonte non consultata ({names}); confermare gli elementi chiave direttamente con delle"
        " referenze",
        "Fonti non consultate ({names}); confermare gli elementi chiave direttamente con delle"
        " referenze",
    ),
    job_with_title="il ruolo di {title} presso {employer}{dates}",
    job_without_title="un incarico presso {employer}{dates}",
    ask_job=(
        "Il suo CV indica {job}. Può descriverci questo ruolo e dirci chi potrebbe confermare"
        " le date?"
    ),
    education_with_degree="il titolo «{degree}» ({institution}{dates})",
    education_without_degree="un percorso di studi ({institution}{dates})",
    ask_education=(
        "Il suo CV riporta {education}. Quando lo ha concluso, e potrebbe mostrarci il diploma?"
    ),
    ask_mismatch="Una fonte riporta {statement}. Come si concilia con il suo CV?",
    ask_low_reliability="Può dirci di più su questo punto del suo CV ({area}) e su chi potrebbe confermarlo?",
    ask_identity=(
        "Quali profili online (ad esempio GitHub o LinkedIn) sono suoi, così da attribuire"
        " correttamente quanto abbiamo trovato?"
    ),
    ask_sanctions=(
        "Per completare le verifiche di rito, potrebbe confermarci nome completo, data di"
        " nascita e nazionalità?"
    ),
    ask_reference_at=(
        "Potrebbe indicarci un referente presso {employer} che possa confermare il suo ruolo"
        " attuale?"
    ),
    ask_references=(
        "Potrebbe indicarci due referenze professionali che possano confermare i suoi ultimi"
        " incarichi?"
    ),
    lead_to_clarify="Da chiarire",
    achievement_kinds={
        "led": "la guida di un team o di un progetto",
        "led_team": "la guida di un team di {n} persone",
        "migrated": "una migrazione",
        "built": "la realizzazione di nuovi sistemi",
        "launched": "il lancio di nuovi prodotti o processi",
        "reduced_costs": "riduzioni dei costi",
        "improved": "il miglioramento di sistemi esistenti",
    },
    strength_substance="{job}: il CV descrive {achievements}",
    strength_substance_topics="{job}: il CV descrive {achievements}, con {topics}",
    strength_seniority="Il ruolo attuale, {title} presso {employer}, corrisponde alla seniority del ruolo richiesto ({role})",
    validate_gap="Chiarire il periodo di circa {months} mesi senza incarichi indicati tra {after} ({end}) e {before} ({start})",
    ask_gap="Il suo CV non indica alcun incarico tra {after} ({end}) e {before} ({start}), cioè per circa {months} mesi. C'è qualcosa che desidera dirci su quel periodo, per esempio formazione, progetti o una pausa?",
    validate_gap_finding="Chiarire un periodo senza incarichi indicati",
    ask_gap_finding="Il suo CV mostra un periodo senza incarichi indicati ({statement}). C'è qualcosa che desidera dirci su quel periodo, per esempio formazione, progetti o una pausa?",
    ask_not_in_cv="Una fonte ({source}) riporta {statement}, che il suo CV non menziona. Può parlarcene?",
    ask_achievement="Presso {employer} il suo CV descrive {achievements}. Qual è stato il suo contributo personale, e di quale risultato è più soddisfatto?",
    ask_role_fit_at="Che cosa del suo lavoro presso {employer} la prepara meglio al ruolo di {role}?",
    ask_role_fit="Che cosa della sua esperienza la prepara meglio al ruolo di {role}?",
    ask_career="Può descriverci il suo percorso professionale, dal primo incarico a quello attuale?",
    notice=(
        "Avviso di conformità IA: questo report è un supporto decisionale, non una decisione."
        " Candidate Intelligence supporta le decisioni dei recruiter senza sostituirle; le"
        " decisioni di assunzione restano responsabilità del datore di lavoro e richiedono"
        " sempre un'adeguata revisione e supervisione umana."
    ),
    pdf_title="Report Candidate Intelligence",
    pdf_labels={
        "candidate": "Candidato/a",
        "recommendation": "Raccomandazione",
        "confidence": "Certezza",
        "quick_signal": "Controllo dell'identità",
        "summary": "Sintesi",
        "evidence": "Elementi a supporto",
        "strengths": "Punti di forza",
        "risks": "Rischi",
        "what_to_validate": "Da verificare",
        "interview_questions": "Domande per il colloquio",
        "finding": "Risultato",
        "findings": "Risultati",
        "sources": "Fonti consultate",
        "reliability": "Affidabilità",
        "source": "Fonte",
        "notice": "Avviso di conformità IA",
        "generated": "Generato il",
        "report_id": "ID del report",
        "none": "Nulla da segnalare.",
    },
    decision_labels={
        "GO": "GO",
        "GO with validation": "GO previa verifica",
        "NO GO": "NO GO",
    },
    quick_signal_levels={"Green": "Verde", "Orange": "Arancione", "Red": "Rosso"},
    source_states={
        "checked": "consultata",
        "unavailable": "non disponibile",
        "failed": "non riuscita",
        "skipped": "non usata",
    },
)
