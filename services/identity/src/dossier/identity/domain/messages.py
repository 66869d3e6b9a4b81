"""Every sentence the identity stage writes for a recruiter, in the five languages.

One catalogue keyed by message id, then language. Placeholders use `str.format` names.
Wording is meant to read naturally to a recruiter in that language, not as a
word-for-word translation of the English.
"""

import re
from typing import Final

from dossier.contracts.claims import YearMonth
from dossier.contracts.enums import Language
from dossier.identity.domain.cv_dates import format_year_month

EN, FR, DE, IT, ES = Language.EN, Language.FR, Language.DE, Language.IT, Language.ES

CATALOGUE: Final[dict[str, dict[Language, str]]] = {
    # --- request vs CV: current employer -------------------------------------------------
    "current.match": {
        EN: "The CV lists {employer} as the current employer, as stated in the request.",
        FR: "Le CV indique bien {employer} comme employeur actuel, comme dans la demande.",
        DE: "Der Lebenslauf nennt {employer} als aktuellen Arbeitgeber, wie in der Anfrage angegeben.",
        IT: "Il CV indica {employer} come datore di lavoro attuale, come riportato nella richiesta.",
        ES: "El CV indica {employer} como empresa actual, tal como figura en la solicitud.",
    },
    "current.role_match": {
        EN: "The CV's current position ({title}) matches the role given in the request.",
        FR: "Le poste actuel indiqué dans le CV ({title}) correspond à celui de la demande.",
        DE: "Die aktuelle Position im Lebenslauf ({title}) entspricht der Rolle aus der Anfrage.",
        IT: "La posizione attuale indicata nel CV ({title}) corrisponde al ruolo della richiesta.",
        ES: "El puesto actual del CV ({title}) coincide con el indicado en la solicitud.",
    },
    "current.mismatch": {
        EN: "The request names {requested} as the current employer, but the CV shows the current position at {cv_employer}.",
        FR: "La demande mentionne {requested} comme employeur actuel, mais le CV indique un poste actuel chez {cv_employer}.",
        DE: "Laut Anfrage arbeitet die Person derzeit bei {requested}, im Lebenslauf ist als aktuelle Stelle jedoch {cv_employer} angegeben.",
        IT: "La richiesta indica {requested} come datore di lavoro attuale, ma nel CV la posizione attuale risulta presso {cv_employer}.",
        ES: "La solicitud indica {requested} como empresa actual, pero en el CV el puesto actual figura en {cv_employer}.",
    },
    "current.ended": {
        EN: "The request names {requested} as the current employer, but according to the CV that position ended in {end}.",
        FR: "La demande mentionne {requested} comme employeur actuel, mais selon le CV ce poste a pris fin en {end}.",
        DE: "Laut Anfrage arbeitet die Person derzeit bei {requested}, laut Lebenslauf endete diese Stelle jedoch bereits {end}.",
        IT: "La richiesta indica {requested} come datore di lavoro attuale, ma secondo il CV quell'incarico si è concluso in data {end}.",
        ES: "La solicitud indica {requested} como empresa actual, pero según el CV ese puesto terminó en {end}.",
    },
    "current.absent": {
        EN: "The request names {requested} as the current employer, but the CV does not mention it; the most recent position listed is at {cv_employer}.",
        FR: "La demande mentionne {requested} comme employeur actuel, mais le CV n'en parle pas ; le poste le plus récent est chez {cv_employer}.",
        DE: "Laut Anfrage arbeitet die Person derzeit bei {requested}, der Lebenslauf erwähnt diesen Arbeitgeber aber nicht; die jüngste Stelle ist bei {cv_employer}.",
        IT: "La richiesta indica {requested} come datore di lavoro attuale, ma il CV non lo menziona; l'incarico più recente è presso {cv_employer}.",
        ES: "La solicitud indica {requested} como empresa actual, pero el CV no la menciona; el puesto más reciente es en {cv_employer}.",
    },
    # --- timeline -------------------------------------------------------------------------
    "gap.between": {
        EN: "Between {start} and {end} there is a gap of {duration} in the CV.",
        FR: "Le CV présente une interruption de {duration} entre {start} et {end}.",
        DE: "Zwischen {start} und {end} klafft im Lebenslauf eine Lücke von {duration}.",
        IT: "Nel CV c'è un periodo scoperto di {duration} tra {start} e {end}.",
        ES: "El CV presenta un vacío de {duration} entre {start} y {end}.",
    },
    # --- the CV itself ---------------------------------------------------------------------
    "cv.unread": {
        EN: "The CV could not be read within the time allowed; this analysis was made without it.",
        FR: "Le CV n'a pas pu être lu dans le délai imparti ; cette analyse a été réalisée sans lui.",
        DE: "Der Lebenslauf konnte nicht in der vorgesehenen Zeit gelesen werden; diese Analyse wurde ohne ihn erstellt.",
        IT: "Non è stato possibile leggere il CV nel tempo previsto; questa analisi è stata svolta senza di esso.",
        ES: "No se pudo leer el CV en el tiempo previsto; este análisis se ha realizado sin él.",
    },
    "cv.without_text": {
        EN: "The CV file holds no text to read (a scanned image without a text layer?); this analysis was made without it. Send the CV as text or as a PDF with selectable text.",
        FR: "Le fichier du CV ne contient aucun texte lisible (une image numérisée sans couche de texte ?) ; cette analyse a été réalisée sans lui. Envoyez le CV en texte ou en PDF au texte sélectionnable.",
        DE: "Die Lebenslauf-Datei enthält keinen lesbaren Text (ein eingescanntes Bild ohne Textebene?); diese Analyse wurde ohne ihn erstellt. Senden Sie den Lebenslauf als Text oder als PDF mit markierbarem Text.",
        IT: "Il file del CV non contiene testo leggibile (un'immagine scansionata senza livello di testo?); questa analisi è stata svolta senza di esso. Inviate il CV come testo o come PDF con testo selezionabile.",
        ES: "El archivo del CV no contiene texto legible (¿una imagen escaneada sin capa de texto?); este análisis se ha realizado sin él. Envíe el CV como texto o como PDF con texto seleccionable.",
    },
    "gap.since": {
        EN: "The CV shows no position since {start}, a gap of {duration} so far.",
        FR: "Le CV n'indique aucun poste depuis {start}, soit une interruption de {duration} à ce jour.",
        DE: "Seit {start} ist im Lebenslauf keine Stelle mehr angegeben – eine Lücke von {duration}.",
        IT: "Dal {start} il CV non riporta alcun incarico: un periodo scoperto di {duration} finora.",
        ES: "El CV no indica ningún puesto desde {start}, un vacío de {duration} hasta hoy.",
    },
    "overlap": {
        EN: "The full-time positions at {first} ({first_range}) and {second} ({second_range}) overlap by {duration}.",
        FR: "Les postes à temps plein chez {first} ({first_range}) et chez {second} ({second_range}) se chevauchent sur {duration}.",
        DE: "Die Vollzeitstellen bei {first} ({first_range}) und {second} ({second_range}) überschneiden sich über einen Zeitraum von {duration}.",
        IT: "Gli incarichi a tempo pieno presso {first} ({first_range}) e {second} ({second_range}) si sovrappongono per {duration}.",
        ES: "Los puestos a jornada completa en {first} ({first_range}) y en {second} ({second_range}) se solapan durante {duration}.",
    },
    "experience.inflated": {
        EN: "The CV claims {claimed} years of experience, but the positions listed add up to only about {actual}.",
        FR: "Le CV revendique {claimed} ans d'expérience, mais les postes mentionnés ne totalisent qu'environ {actual}.",
        DE: "Der Lebenslauf nennt {claimed} Jahre Berufserfahrung, die aufgeführten Stellen ergeben aber nur rund {actual}.",
        IT: "Il CV dichiara {claimed} anni di esperienza, ma gli incarichi elencati coprono solo circa {actual}.",
        ES: "El CV declara {claimed} años de experiencia, pero los puestos indicados suman solo unos {actual}.",
    },
    "experience.consistent": {
        EN: "The {claimed} years of experience claimed in the CV are consistent with the positions listed.",
        FR: "Les {claimed} ans d'expérience revendiqués dans le CV sont cohérents avec les postes mentionnés.",
        DE: "Die im Lebenslauf genannten {claimed} Jahre Berufserfahrung passen zu den aufgeführten Stellen.",
        IT: "I {claimed} anni di esperienza dichiarati nel CV sono coerenti con gli incarichi elencati.",
        ES: "Los {claimed} años de experiencia que declara el CV son coherentes con los puestos indicados.",
    },
    "dates.future_start": {
        EN: "The position at {employer} starts in the future ({date}).",
        FR: "Le poste chez {employer} commence à une date future ({date}).",
        DE: "Die Stelle bei {employer} beginnt erst in der Zukunft ({date}).",
        IT: "L'incarico presso {employer} inizia in una data futura ({date}).",
        ES: "El puesto en {employer} empieza en una fecha futura ({date}).",
    },
    "dates.future_end": {
        EN: "The end date of the position at {employer} ({date}) lies in the future.",
        FR: "La date de fin du poste chez {employer} ({date}) se situe dans le futur.",
        DE: "Das Enddatum der Stelle bei {employer} ({date}) liegt in der Zukunft.",
        IT: "La data di fine dell'incarico presso {employer} ({date}) è nel futuro.",
        ES: "La fecha de fin del puesto en {employer} ({date}) está en el futuro.",
    },
    "dates.end_before_start": {
        EN: "The position at {employer} ends ({end}) before it starts ({start}).",
        FR: "Le poste chez {employer} se termine ({end}) avant d'avoir commencé ({start}).",
        DE: "Die Stelle bei {employer} endet ({end}) vor ihrem Beginn ({start}).",
        IT: "L'incarico presso {employer} termina ({end}) prima di iniziare ({start}).",
        ES: "El puesto en {employer} termina ({end}) antes de empezar ({start}).",
    },
    "dates.education_end_before_start": {
        EN: "The studies at {institution} end ({end}) before they start ({start}).",
        FR: "La formation à {institution} se termine ({end}) avant d'avoir commencé ({start}).",
        DE: "Die Ausbildung an der Einrichtung {institution} endet ({end}) vor ihrem Beginn ({start}).",
        IT: "Gli studi presso {institution} terminano ({end}) prima di iniziare ({start}).",
        ES: "Los estudios en {institution} terminan ({end}) antes de empezar ({start}).",
    },
    # --- identity -------------------------------------------------------------------------
    "linkedin.match": {
        EN: "The LinkedIn address ({slug}) matches the name {name}.",
        FR: "L'adresse LinkedIn ({slug}) correspond au nom {name}.",
        DE: "Die LinkedIn-Adresse ({slug}) passt zum Namen {name}.",
        IT: "L'indirizzo LinkedIn ({slug}) corrisponde al nome {name}.",
        ES: "La dirección de LinkedIn ({slug}) coincide con el nombre {name}.",
    },
    "linkedin.mismatch": {
        EN: "The LinkedIn address ({slug}) does not match the name {name}; the profile may belong to someone else.",
        FR: "L'adresse LinkedIn ({slug}) ne correspond pas au nom {name} : le profil pourrait appartenir à une autre personne.",
        DE: "Die LinkedIn-Adresse ({slug}) passt nicht zum Namen {name} – das Profil könnte einer anderen Person gehören.",
        IT: "L'indirizzo LinkedIn ({slug}) non corrisponde al nome {name}: il profilo potrebbe appartenere a un'altra persona.",
        ES: "La dirección de LinkedIn ({slug}) no coincide con el nombre {name}: el perfil podría pertenecer a otra persona.",
    },
    "linkedin.differs": {
        EN: "The LinkedIn profile in the request ({requested}) is not the one given in the CV ({cv}).",
        FR: "Le profil LinkedIn de la demande ({requested}) n'est pas celui indiqué dans le CV ({cv}).",
        DE: "Das LinkedIn-Profil aus der Anfrage ({requested}) ist nicht das im Lebenslauf angegebene ({cv}).",
        IT: "Il profilo LinkedIn della richiesta ({requested}) non è quello indicato nel CV ({cv}).",
        ES: "El perfil de LinkedIn de la solicitud ({requested}) no es el que figura en el CV ({cv}).",
    },
    "email.employer": {
        EN: "The email address {email} uses the domain of the current employer, {employer}.",
        FR: "L'adresse e-mail {email} utilise le domaine de l'employeur actuel, {employer}.",
        DE: "Die E-Mail-Adresse {email} läuft über die Domain des aktuellen Arbeitgebers {employer}.",
        IT: "L'indirizzo e-mail {email} usa il dominio dell'attuale datore di lavoro, {employer}.",
        ES: "La dirección de correo {email} usa el dominio de la empresa actual, {employer}.",
    },
    "email.former_employer": {
        EN: "The email address {email} belongs to a former employer, {employer}.",
        FR: "L'adresse e-mail {email} appartient à un ancien employeur, {employer}.",
        DE: "Die E-Mail-Adresse {email} gehört zu einem früheren Arbeitgeber, {employer}.",
        IT: "L'indirizzo e-mail {email} appartiene a un precedente datore di lavoro, {employer}.",
        ES: "La dirección de correo {email} pertenece a una empresa anterior, {employer}.",
    },
    "email.other_company": {
        EN: "The email address {email} is on the domain {domain}, which matches neither the current employer ({employer}) nor any other position in the CV.",
        FR: "L'adresse e-mail {email} relève du domaine {domain}, qui ne correspond ni à l'employeur actuel ({employer}) ni à aucun autre poste du CV.",
        DE: "Die E-Mail-Adresse {email} gehört zur Domain {domain}, die weder zum aktuellen Arbeitgeber ({employer}) noch zu einer anderen Stelle im Lebenslauf passt.",
        IT: "L'indirizzo e-mail {email} appartiene al dominio {domain}, che non corrisponde né all'attuale datore di lavoro ({employer}) né ad altri incarichi del CV.",
        ES: "La dirección de correo {email} pertenece al dominio {domain}, que no coincide ni con la empresa actual ({employer}) ni con ningún otro puesto del CV.",
    },
    "email.unknown_company": {
        EN: "The email address {email} is on the domain {domain}, which matches no employer in the CV.",
        FR: "L'adresse e-mail {email} relève du domaine {domain}, qui ne correspond à aucun employeur du CV.",
        DE: "Die E-Mail-Adresse {email} gehört zur Domain {domain}, die zu keinem Arbeitgeber im Lebenslauf passt.",
        IT: "L'indirizzo e-mail {email} appartiene al dominio {domain}, che non corrisponde ad alcun datore di lavoro del CV.",
        ES: "La dirección de correo {email} pertenece al dominio {domain}, que no coincide con ninguna empresa del CV.",
    },
    "profile.match": {
        EN: "The {source} profile {handle} belongs to {name}: {facts}.",
        FR: "Le profil {source} {handle} appartient bien à {name} : {facts}.",
        DE: "Das {source}-Profil {handle} gehört zu {name}: {facts}.",
        IT: "Il profilo {source} {handle} appartiene a {name}: {facts}.",
        ES: "El perfil de {source} {handle} pertenece a {name}: {facts}.",
    },
    "fact.link": {
        EN: "the CV or the request links to it",
        FR: "le CV ou la demande y renvoie",
        DE: "Lebenslauf oder Anfrage verlinken darauf",
        IT: "il CV o la richiesta vi rimandano",
        ES: "el CV o la solicitud enlazan a él",
    },
    "fact.email": {
        EN: "same email address",
        FR: "même adresse e-mail",
        DE: "gleiche E-Mail-Adresse",
        IT: "stesso indirizzo e-mail",
        ES: "misma dirección de correo",
    },
    "fact.employer": {
        EN: "same employer ({value})",
        FR: "même employeur ({value})",
        DE: "gleicher Arbeitgeber ({value})",
        IT: "stesso datore di lavoro ({value})",
        ES: "misma empresa ({value})",
    },
    "fact.city": {
        EN: "same city ({value})",
        FR: "même ville ({value})",
        DE: "gleicher Wohnort ({value})",
        IT: "stessa città ({value})",
        ES: "misma ciudad ({value})",
    },
    # --- quick signal ---------------------------------------------------------------------
    "qs.red.employer": {
        EN: "The current employer given in the request is contradicted by the CV.",
        FR: "L'employeur actuel indiqué dans la demande est contredit par le CV.",
        DE: "Der in der Anfrage genannte aktuelle Arbeitgeber wird vom Lebenslauf widerlegt.",
        IT: "Il datore di lavoro attuale indicato nella richiesta è smentito dal CV.",
        ES: "El CV contradice la empresa actual indicada en la solicitud.",
    },
    "qs.red.dates": {
        EN: "The CV contains impossible dates, so its career history cannot be taken at face value.",
        FR: "Le CV contient des dates impossibles : son parcours ne peut pas être pris tel quel.",
        DE: "Der Lebenslauf enthält unmögliche Daten; der Werdegang ist so nicht belastbar.",
        IT: "Il CV contiene date impossibili: il percorso professionale non può essere preso alla lettera.",
        ES: "El CV contiene fechas imposibles, por lo que su trayectoria no puede darse por buena tal cual.",
    },
    "qs.orange.homonyms": {
        EN: "Profiles found under this name belong to other people; the identity is not confirmed yet.",
        FR: "Les profils trouvés sous ce nom appartiennent à d'autres personnes ; l'identité n'est pas encore confirmée.",
        DE: "Die unter diesem Namen gefundenen Profile gehören anderen Personen; die Identität ist noch nicht bestätigt.",
        IT: "I profili trovati con questo nome appartengono ad altre persone; l'identità non è ancora confermata.",
        ES: "Los perfiles encontrados con este nombre pertenecen a otras personas; la identidad aún no está confirmada.",
    },
    "qs.orange.homonyms_and_match": {
        EN: "Identity supported by a matching profile, but namesakes were also found.",
        FR: "Identité étayée par un profil concordant, mais des homonymes ont aussi été trouvés.",
        DE: "Die Identität wird durch ein passendes Profil gestützt, es gibt aber auch Namensvettern.",
        IT: "Identità confermata da un profilo corrispondente, ma sono stati trovati anche degli omonimi.",
        ES: "Identidad respaldada por un perfil coincidente, aunque también se encontraron homónimos.",
    },
    "qs.orange.identity": {
        EN: "Some details in the request and the CV do not line up and should be checked.",
        FR: "Certains éléments de la demande et du CV ne concordent pas et méritent d'être vérifiés.",
        DE: "Einige Angaben aus Anfrage und Lebenslauf passen nicht zusammen und sollten geprüft werden.",
        IT: "Alcuni dati della richiesta e del CV non tornano e andrebbero verificati.",
        ES: "Algunos datos de la solicitud y del CV no cuadran y conviene verificarlos.",
    },
    "qs.orange.timeline_matched": {
        EN: "Identity supported by a matching profile, but the career history in the CV has points to clarify.",
        FR: "Identité étayée par un profil concordant, mais le parcours décrit dans le CV comporte des points à éclaircir.",
        DE: "Die Identität wird durch ein passendes Profil gestützt, der Werdegang im Lebenslauf wirft aber Fragen auf.",
        IT: "Identità confermata da un profilo corrispondente, ma il percorso descritto nel CV presenta punti da chiarire.",
        ES: "Identidad respaldada por un perfil coincidente, pero la trayectoria del CV tiene puntos que aclarar.",
    },
    "qs.orange.timeline_thin": {
        EN: "The career history in the CV has points to clarify, and nothing outside the CV confirms the identity yet.",
        FR: "Le parcours décrit dans le CV comporte des points à éclaircir, et aucune source externe ne confirme encore l'identité.",
        DE: "Der Werdegang im Lebenslauf wirft Fragen auf, und bisher bestätigt keine externe Quelle die Identität.",
        IT: "Il percorso descritto nel CV presenta punti da chiarire e nessuna fonte esterna conferma ancora l'identità.",
        ES: "La trayectoria del CV tiene puntos que aclarar y ninguna fuente externa confirma todavía la identidad.",
    },
    "qs.orange.thin": {
        EN: "Too little evidence so far to confirm the candidate's identity.",
        FR: "Trop peu d'éléments à ce stade pour confirmer l'identité de la personne.",
        DE: "Bisher gibt es zu wenige Belege, um die Identität der Person zu bestätigen.",
        IT: "Finora ci sono troppo pochi elementi per confermare l'identità della persona.",
        ES: "Por ahora hay muy pocos indicios para confirmar la identidad de la persona.",
    },
    "qs.green.one": {
        EN: "Identity supported by a matching profile and a consistent CV.",
        FR: "Identité étayée par un profil concordant et un CV cohérent.",
        DE: "Die Identität wird durch ein passendes Profil und einen stimmigen Lebenslauf gestützt.",
        IT: "Identità confermata da un profilo corrispondente e da un CV coerente.",
        ES: "Identidad respaldada por un perfil coincidente y un CV coherente.",
    },
    "qs.green.many": {
        EN: "Identity supported by multiple matching signals.",
        FR: "Identité étayée par plusieurs éléments concordants.",
        DE: "Die Identität wird durch mehrere übereinstimmende Hinweise gestützt.",
        IT: "Identità confermata da più segnali concordanti.",
        ES: "Identidad respaldada por varias señales coincidentes.",
    },
    # --- building blocks ------------------------------------------------------------------
    "present": {EN: "present", FR: "aujourd'hui", DE: "heute", IT: "oggi", ES: "actualidad"},
    "duration.and": {EN: " and ", FR: " et ", DE: " und ", IT: " e ", ES: " y "},
    "duration.month.one": {EN: "1 month", FR: "1 mois", DE: "1 Monat", IT: "1 mese", ES: "1 mes"},
    "duration.month.other": {
        EN: "{n} months",
        FR: "{n} mois",
        DE: "{n} Monate",
        IT: "{n} mesi",
        ES: "{n} meses",
    },
    "duration.year.one": {EN: "1 year", FR: "1 an", DE: "1 Jahr", IT: "1 anno", ES: "1 año"},
    "duration.year.other": {
        EN: "{n} years",
        FR: "{n} ans",
        DE: "{n} Jahre",
        IT: "{n} anni",
        ES: "{n} años",
    },
}

_DOUBLE_STOP = re.compile(r"(?<!\.)\.\.(?!\.)")

#: German puts the duration after `von` in the dative (`eine Lücke von 9 Monaten`).
_GERMAN_DATIVE = {"Monate": "Monaten", "Jahre": "Jahren"}


def message(key: str, language: Language, **params: object) -> str:
    """The sentence `key` in `language`, placeholders filled.

    A value ending in an abbreviation (`Acme S.L.`) at the end of a sentence would leave
    a double full stop; it is folded into one.
    """
    return _DOUBLE_STOP.sub(".", CATALOGUE[key][language].format(**params))


def duration(months: int, language: Language, *, dative: bool = False) -> str:
    """`9 months`, `2 years and 3 months`; German in the dative where the sentence asks."""
    years, rest = divmod(max(months, 0), 12)
    parts: list[str] = []
    if years and months >= 24:
        parts.append(_count("year", years, language))
        if rest:
            parts.append(_count("month", rest, language))
    else:
        parts.append(_count("month", months, language))
    text = message("duration.and", language).join(parts)
    if dative and language is Language.DE:
        for plain, inflected in _GERMAN_DATIVE.items():
            text = text.replace(plain, inflected)
    return text


def years(count: int, language: Language) -> str:
    """`4 years`, `1 an`, `0 Jahre`."""
    return _count("year", count, language)


def _count(unit: str, n: int, language: Language) -> str:
    form = "one" if n == 1 else "other"
    return message(f"duration.{unit}.{form}", language, n=n)


def date_label(value: YearMonth | None, language: Language) -> str:
    return format_year_month(value) if value else message("present", language)


def range_label(start: YearMonth | None, end: YearMonth | None, language: Language) -> str:
    """`03/2019–present`, `2015–2019`, localised."""
    return f"{date_label(start, language)}–{date_label(end, language)}"
