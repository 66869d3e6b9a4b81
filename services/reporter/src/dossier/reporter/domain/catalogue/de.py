"""Deutsch (Sie-Form, wie in Bewerbungsgesprächen üblich)."""

from dossier.contracts.enums import Language
from dossier.reporter.domain.phrases import Phrasebook

PHRASES = Phrasebook(
    quotes=("„", "“"),
    colon=": ",
    and_word="und",
    language=Language.DE,
    present="heute",
    levels={"High": "hoch", "Medium": "mittel", "Low": "niedrig"},
    reliability_label="Zuverlässigkeit",
    source_labels={
        "cv": "Lebenslauf",
        "request": "Partneranfrage",
        "web": "öffentliches Web",
        "github": "GitHub",
        "sanctions": "Sanktionslisten",
        "company_registry": "Handelsregister",
        "academic": "akademische Quellen",
    },
    area_labels={
        "identity": "Identität",
        "employment": "Berufserfahrung",
        "education": "Ausbildung",
        "skills": "Kompetenzen",
        "location": "Wohnort",
        "languages": "Sprachen",
        "sanctions": "Sanktionsprüfung",
        "other": "Sonstiges",
    },
    reasons={
        "sanctions_hit": (
            "Ein Eintrag auf einer Sanktionsliste passt mit hoher Zuverlässigkeit zu {name};"
            " vor jedem weiteren Schritt ist eine Prüfung durch die Compliance nötig."
        ),
        "sanctions_possible": (
            "Ein Eintrag auf einer Sanktionsliste könnte {name} betreffen, die Übereinstimmung"
            " ist aber unsicher; vermutlich handelt es sich um einen Namensvetter, was bestätigt"
            " werden sollte."
        ),
        "core_claims_refuted": (
            "Mehrere zuverlässige, voneinander unabhängige Quellen widersprechen zentralen"
            " Angaben im Lebenslauf (Berufserfahrung oder Ausbildung)."
        ),
        "contradictions_one": (
            "Ein Befund passt nicht zum Lebenslauf; wir empfehlen, ihn vor dem nächsten Schritt"
            " zu klären."
        ),
        "contradictions_other": (
            "{n} Befunde passen nicht zum Lebenslauf; wir empfehlen, sie vor dem nächsten"
            " Schritt zu klären."
        ),
        "identity_uncertain": (
            "Wir konnten nicht sicher feststellen, dass die gefundenen Profile zu {name}"
            " gehören; die Befunde sind daher mit Vorsicht zu lesen."
        ),
        "corroborated": (
            "{n} unabhängige Quellen bestätigen die wichtigsten Angaben im Lebenslauf, und"
            " nichts widerspricht ihnen."
        ),
        "thin_evidence": (
            "Nichts widerspricht dem Lebenslauf, aber nur wenige unabhängige Quellen bestätigen"
            " ihn; die wichtigsten Angaben sollten überprüft werden."
        ),
    },
    intro_role_company="Laut Anfrage ist {name} als {role} bei {company} tätig.",
    intro_role="Laut Anfrage ist {name} als {role} tätig.",
    intro_company="Laut Anfrage arbeitet {name} bei {company}.",
    identity_by_level={
        "Green": "Die Identität ist gut belegt (Konfidenz: {confidence}).",
        "Orange": "Die Identität ist nur teilweise bestätigt (Konfidenz: {confidence}).",
        "Red": "Die Identität ließ sich nicht sicher bestätigen (Konfidenz: {confidence}).",
    },
    no_findings="Keine Quelle lieferte verwertbare Befunde.",
    supports_count=(
        "Kein Befund bestätigt den Lebenslauf",
        "Ein Befund bestätigt den Lebenslauf",
        "{n} Befunde bestätigen den Lebenslauf",
    ),
    contradictions_count=(
        "keiner widerspricht ihm",
        "einer widerspricht ihm",
        "{n} widersprechen ihm",
    ),
    findings_sentence="{supports}; {contradictions}.",
    sources_missing_sentence=(
        "Nicht abgefragte Quelle: {names}.",
        "Nicht abgefragte Quellen: {names}.",
    ),
    conclusion_by_decision={
        "GO": (
            "Nichts von dem, was wir gefunden haben, stellt den Lebenslauf infrage; wir schlagen"
            " vor, den üblichen Interviewprozess fortzusetzen."
        ),
        "GO with validation": (
            "Wir schlagen vor weiterzumachen, sobald die Punkte unter „Zu prüfen“ geklärt sind."
        ),
        "NO GO": (
            "Die Befunde sprechen dagegen weiterzumachen, solange die Punkte unter „Zu prüfen“"
            " nicht ausgeräumt sind."
        ),
    },
    conclusion_without_points=(
        "Wir schlagen vor, erst nach den üblichen Referenzprüfungen weiterzumachen."
    ),
    lead_confirms="Bestätigt den Lebenslauf",
    lead_contradicts="Widerspricht dem Lebenslauf",
    lead_contradicts_area="Widerspricht dem Lebenslauf ({area})",
    lead_sanctions="Möglicher Treffer auf einer Sanktionsliste",
    lead_noted="Zur Kenntnis",
    lead_not_in_cv="Nicht im Lebenslauf erwähnt",
    validate_sanctions=(
        "Von der Compliance klären lassen, dass der Eintrag auf der Sanktionsliste keinen"
        " Namensvetter betrifft"
    ),
    validate_job="Die Stelle bei {employer}{dates} überprüfen",
    validate_education="Die Ausbildungsangabe überprüfen ({institution}{dates})",
    validate_mismatch="Eine Abweichung vom Lebenslauf klären ({area})",
    validate_identity="Bestätigen, dass die gefundenen Profile wirklich zu {name} gehören",
    validate_low_reliability=(
        "Eine Angabe bestätigen, die nur eine wenig zuverlässige Quelle stützt"
    ),
    validate_sources_missing=(
        "Nicht abgefragte Quelle ({names}); die wichtigsten Angaben direkt über Referenzen"
        " bestätigen",
        "Nicht abgefragte Quellen ({names}); die wichtigsten Angaben direkt über Referenzen"
        " bestätigen",
    ),
    job_with_title="die Position {title} bei {employer}{dates}",
    job_without_title="eine Position bei {employer}{dates}",
    ask_job=(
        "Ihr Lebenslauf nennt {job}. Können Sie uns diese Stelle näher beschreiben und sagen,"
        " wer dort Ihre Beschäftigungsdauer bestätigen könnte?"
    ),
    education_with_degree="den Abschluss „{degree}“ ({institution}{dates})",
    education_without_degree="ein Studium ({institution}{dates})",
    ask_education=(
        "Ihr Lebenslauf nennt {education}. Wann haben Sie diese Ausbildung abgeschlossen, und"
        " könnten Sie uns das Zeugnis zeigen?"
    ),
    ask_mismatch="Eine Quelle berichtet {statement}. Wie passt das zu Ihrem Lebenslauf?",
    ask_low_reliability="Können Sie uns mehr zu diesem Punkt Ihres Lebenslaufs ({area}) sagen, und wer könnte ihn bestätigen?",
    ask_identity=(
        "Welche Online-Profile (zum Beispiel GitHub oder LinkedIn) gehören Ihnen, damit wir"
        " unsere Befunde richtig zuordnen?"
    ),
    ask_sanctions=(
        "Um unsere üblichen Prüfungen abzuschließen: Könnten Sie uns Ihren vollständigen Namen,"
        " Ihr Geburtsdatum und Ihre Staatsangehörigkeit bestätigen?"
    ),
    ask_reference_at=(
        "Könnten Sie uns eine Referenzperson bei {employer} nennen, die Ihre aktuelle Position"
        " bestätigen kann?"
    ),
    ask_references=(
        "Könnten Sie uns zwei berufliche Referenzen nennen, die Ihre letzten Positionen"
        " bestätigen können?"
    ),
    lead_to_clarify="Zu klären",
    achievement_kinds={
        "led": "die Leitung eines Teams oder Projekts",
        "led_team": "die Leitung eines Teams von {n} Personen",
        "migrated": "eine Migration",
        "built": "den Aufbau neuer Systeme",
        "launched": "die Einführung neuer Produkte oder Prozesse",
        "reduced_costs": "Kostensenkungen",
        "improved": "die Verbesserung bestehender Systeme",
    },
    strength_substance="{job}: Der Lebenslauf beschreibt {achievements}",
    strength_substance_topics="{job}: Der Lebenslauf beschreibt {achievements}, mit {topics}",
    strength_seniority="Die aktuelle Position, {title} bei {employer}, entspricht der Seniorität der angefragten Stelle ({role})",
    validate_gap="Den Zeitraum von etwa {months} Monaten ohne angegebene Position zwischen {after} ({end}) und {before} ({start}) klären",
    ask_gap="Ihr Lebenslauf nennt zwischen {after} ({end}) und {before} ({start}) keine Position, also etwa {months} Monate. Möchten Sie uns zu dieser Zeit etwas sagen, zum Beispiel zu einer Weiterbildung, zu Projekten oder zu einer Auszeit?",
    validate_gap_finding="Einen Zeitraum ohne angegebene Position klären",
    ask_gap_finding="Ihr Lebenslauf zeigt einen Zeitraum ohne angegebene Position ({statement}). Möchten Sie uns zu dieser Zeit etwas sagen, zum Beispiel zu einer Weiterbildung, zu Projekten oder zu einer Auszeit?",
    ask_not_in_cv="Eine Quelle ({source}) nennt {statement}, was Ihr Lebenslauf nicht erwähnt. Können Sie uns dazu etwas sagen?",
    ask_achievement="Bei {employer} beschreibt Ihr Lebenslauf {achievements}. Was war Ihr eigener Anteil daran, und auf welches Ergebnis sind Sie besonders stolz?",
    ask_role_fit_at="Was aus Ihrer Arbeit bei {employer} bereitet Sie am besten auf die Stelle als {role} vor?",
    ask_role_fit="Was aus Ihrer Erfahrung bereitet Sie am besten auf die Stelle als {role} vor?",
    ask_career="Können Sie uns Ihren beruflichen Werdegang schildern, von der ersten bis zur aktuellen Position?",
    notice=(
        "Hinweis zur KI-Compliance: Dieser Bericht ist eine Entscheidungshilfe, keine"
        " Entscheidung. Candidate Intelligence unterstützt Recruiter bei ihren Entscheidungen,"
        " ersetzt sie aber nicht; Einstellungsentscheidungen liegen in der Verantwortung des"
        " Arbeitgebers und erfordern stets eine angemessene menschliche Prüfung und Aufsicht."
    ),
    pdf_title="Candidate-Intelligence-Bericht",
    pdf_labels={
        "candidate": "Kandidat/in",
        "recommendation": "Empfehlung",
        "confidence": "Konfidenz",
        "quick_signal": "Identitätsprüfung",
        "summary": "Zusammenfassung",
        "evidence": "Belege",
        "strengths": "Stärken",
        "risks": "Risiken",
        "what_to_validate": "Zu prüfen",
        "interview_questions": "Fragen für das Interview",
        "finding": "Befund",
        "findings": "Befunde",
        "sources": "Abgefragte Quellen",
        "reliability": "Zuverlässigkeit",
        "source": "Quelle",
        "notice": "Hinweis zur KI-Compliance",
        "generated": "Erstellt am",
        "report_id": "Berichts-ID",
        "none": "Nichts zu melden.",
    },
    decision_labels={
        "GO": "GO",
        "GO with validation": "GO mit Prüfung",
        "NO GO": "NO GO",
    },
    quick_signal_levels={"Green": "Grün", "Orange": "Orange", "Red": "Rot"},
    source_states={
        "checked": "abgefragt",
        "unavailable": "nicht verfügbar",
        "failed": "fehlgeschlagen",
        "skipped": "übersprungen",
    },
)
