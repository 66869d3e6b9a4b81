"""Every sentence the source connectors state, in each report language.

A connector describes a finding as a `Phrase` (a kind from `CATALOGUE` and its values);
the sentence is rendered in the query's language when the signal is made. Values may be
phrases themselves (a role, a period, "linked from the CV"), rendered in the same
language, so fragments are translated once and composed, never glued from English.

Proper nouns (GitHub, ORCID, OpenSanctions, Companies House), names, companies, dates
and identifiers pass through untouched. Quotation marks inside a statement are the
language's inner marks: the report quotes the whole statement with its outer ones.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from string import Formatter
from typing import TypeAlias

from dossier.contracts.enums import Language

EN, FR, DE, IT, ES = Language.EN, Language.FR, Language.DE, Language.IT, Language.ES

Templates: TypeAlias = Mapping[Language, str]

CATALOGUE: dict[str, Templates] = {
    # ---- shared fragments ---------------------------------------------------------------
    "cv.not_mentioned": {
        EN: "the CV does not mention it",
        FR: "le CV n'en fait pas mention",
        DE: "im Lebenslauf nicht erwähnt",
        IT: "il CV non lo menziona",
        ES: "el CV no lo menciona",
    },
    # ---- GitHub ---------------------------------------------------------------------------
    "github.linked_profile_missing": {
        EN: "The GitHub profile {login} linked from the CV does not exist.",
        FR: "Le profil GitHub {login} indiqué dans le CV n'existe pas.",
        DE: "Das im Lebenslauf verlinkte GitHub-Profil {login} existiert nicht.",
        IT: "Il profilo GitHub {login} indicato nel CV non esiste.",
        ES: "El perfil de GitHub {login} enlazado en el CV no existe.",
    },
    "github.linked_profile_other_person": {
        EN: "GitHub profile {login} linked from the CV belongs to {display}, not {full_name}.",
        FR: "Le profil GitHub {login} indiqué dans le CV appartient à {display}, et non à {full_name}.",
        DE: "Das im Lebenslauf verlinkte GitHub-Profil {login} gehört {display}, nicht {full_name}.",
        IT: "Il profilo GitHub {login} indicato nel CV appartiene a {display}, non a {full_name}.",
        ES: "El perfil de GitHub {login} enlazado en el CV pertenece a {display}, no a {full_name}.",
    },
    "github.profile_found": {
        EN: "GitHub profile {login} ({how}) has {repositories}{since}{last_push}.",
        FR: "Le profil GitHub {login} ({how}{since}) compte {repositories}{last_push}.",
        DE: "Das GitHub-Profil {login} ({how}{since}) hat {repositories}{last_push}.",
        IT: "Il profilo GitHub {login} ({how}{since}) ha {repositories}{last_push}.",
        ES: "El perfil de GitHub {login} ({how}{since}) tiene {repositories}{last_push}.",
    },
    "github.via.link": {
        EN: "linked from the CV",
        FR: "indiqué dans le CV",
        DE: "im Lebenslauf verlinkt",
        IT: "indicato nel CV",
        ES: "enlazado en el CV",
    },
    "github.via.search": {
        EN: "found by name",
        FR: "trouvé par recherche sur le nom",
        DE: "über die Namenssuche gefunden",
        IT: "trovato cercando il nome",
        ES: "encontrado buscando el nombre",
    },
    "github.repositories.none": {
        EN: "no public repositories",
        FR: "aucun dépôt public",
        DE: "keine öffentlichen Repositories",
        IT: "nessun repository pubblico",
        ES: "ningún repositorio público",
    },
    "github.repositories.one": {
        EN: "1 public repository",
        FR: "1 dépôt public",
        DE: "1 öffentliches Repository",
        IT: "1 repository pubblico",
        ES: "1 repositorio público",
    },
    "github.repositories.many": {
        EN: "{count} public repositories",
        FR: "{count} dépôts publics",
        DE: "{count} öffentliche Repositories",
        IT: "{count} repository pubblici",
        ES: "{count} repositorios públicos",
    },
    "github.since": {
        EN: " since {year}",
        FR: ", créé en {year}",
        DE: ", angelegt {year}",
        IT: ", creato nel {year}",
        ES: ", creado en {year}",
    },
    "github.last_push": {
        EN: ", last pushed to in {month}",
        FR: " ; dernière activité : {month}",
        DE: "; letzte Aktivität: {month}",
        IT: "; ultima attività: {month}",
        ES: "; última actividad: {month}",
    },
    "github.employer_matches": {
        EN: "GitHub profile {login} lists employer {company}, matching the CV ({known}).",
        FR: "Le profil GitHub {login} indique l'employeur {company}, conforme au CV ({known}).",
        DE: "Das GitHub-Profil {login} nennt als Arbeitgeber {company}, passend zum Lebenslauf ({known}).",
        IT: "Il profilo GitHub {login} indica come datore di lavoro {company}, in linea con il CV ({known}).",
        ES: "El perfil de GitHub {login} indica como empresa {company}, lo que coincide con el CV ({known}).",
    },
    "github.employer_unmentioned": {
        EN: "GitHub profile {login} lists employer {company}, which the CV does not mention.",
        FR: "Le profil GitHub {login} indique l'employeur {company}, que le CV ne mentionne pas.",
        DE: "Das GitHub-Profil {login} nennt als Arbeitgeber {company}, der im Lebenslauf nicht vorkommt.",
        IT: "Il profilo GitHub {login} indica come datore di lavoro {company}, che il CV non menziona.",
        ES: "El perfil de GitHub {login} indica como empresa {company}, que el CV no menciona.",
    },
    "github.location_matches": {
        EN: "GitHub profile {login} gives its location as {location}, matching {expected}.",
        FR: "Le profil GitHub {login} indique comme localisation {location}, ce qui correspond à {expected}.",
        DE: "Das GitHub-Profil {login} gibt als Standort {location} an, passend zu {expected}.",
        IT: "Il profilo GitHub {login} indica come località {location}, in linea con {expected}.",
        ES: "El perfil de GitHub {login} indica como ubicación {location}, lo que coincide con {expected}.",
    },
    "github.location_differs": {
        EN: "GitHub profile {login} gives its location as {location}, not {expected}.",
        FR: "Le profil GitHub {login} indique comme localisation {location}, et non {expected}.",
        DE: "Das GitHub-Profil {login} gibt als Standort {location} an, nicht {expected}.",
        IT: "Il profilo GitHub {login} indica come località {location}, non {expected}.",
        ES: "El perfil de GitHub {login} indica como ubicación {location}, no {expected}.",
    },
    "github.blog_on_cv": {
        EN: "GitHub profile {login} links to {blog}, a site also listed on the CV.",
        FR: "Le profil GitHub {login} renvoie vers {blog}, un site qui figure aussi dans le CV.",
        DE: "Das GitHub-Profil {login} verlinkt auf {blog}, eine Website, die auch im Lebenslauf steht.",
        IT: "Il profilo GitHub {login} rimanda a {blog}, un sito indicato anche nel CV.",
        ES: "El perfil de GitHub {login} enlaza a {blog}, un sitio que también figura en el CV.",
    },
    "github.languages": {
        EN: "Most-used languages in {login}'s public GitHub repositories: {languages}.",
        FR: "Langages les plus utilisés dans les dépôts GitHub publics de {login} : {languages}.",
        DE: "Meistgenutzte Programmiersprachen in den öffentlichen GitHub-Repositories von {login}: {languages}.",
        IT: "Linguaggi più usati nei repository GitHub pubblici di {login}: {languages}.",
        ES: "Lenguajes más usados en los repositorios públicos de GitHub de {login}: {languages}.",
    },
    # ---- ORCID ----------------------------------------------------------------------------
    "orcid.linked_record": {
        EN: "ORCID record {orcid} linked from the CV belongs to {name}.",
        FR: "Le profil ORCID {orcid} indiqué dans le CV appartient à {name}.",
        DE: "Der im Lebenslauf verlinkte ORCID-Eintrag {orcid} gehört {name}.",
        IT: "Il profilo ORCID {orcid} indicato nel CV appartiene a {name}.",
        ES: "El registro ORCID {orcid} enlazado en el CV pertenece a {name}.",
    },
    "orcid.linked_record_other_person": {
        EN: "ORCID record {orcid} linked from the CV belongs to {name}, not {full_name}.",
        FR: "Le profil ORCID {orcid} indiqué dans le CV appartient à {name}, et non à {full_name}.",
        DE: "Der im Lebenslauf verlinkte ORCID-Eintrag {orcid} gehört {name}, nicht {full_name}.",
        IT: "Il profilo ORCID {orcid} indicato nel CV appartiene a {name}, non a {full_name}.",
        ES: "El registro ORCID {orcid} enlazado en el CV pertenece a {name}, no a {full_name}.",
    },
    "orcid.affiliation": {
        EN: "ORCID record {orcid} ({name}) lists an affiliation with {institution}, which the CV also names.",
        FR: "Le profil ORCID {orcid} ({name}) mentionne une affiliation à {institution}, que le CV cite également.",
        DE: "Der ORCID-Eintrag {orcid} ({name}) nennt eine Affiliation mit {institution}, die auch im Lebenslauf genannt wird.",
        IT: "Il profilo ORCID {orcid} ({name}) indica un'affiliazione con {institution}, citata anche nel CV.",
        ES: "El registro ORCID {orcid} ({name}) indica una afiliación con {institution}, que también figura en el CV.",
    },
    # ---- Sanctions (OpenSanctions) --------------------------------------------------------
    "sanctions.clear": {
        EN: "No match for {full_name} on the sanctions and PEP lists screened by OpenSanctions.",
        FR: "Aucune correspondance pour {full_name} dans les listes de sanctions et de PPE consultées via OpenSanctions.",
        DE: "Kein Treffer für {full_name} auf den über OpenSanctions geprüften Sanktions- und PEP-Listen.",
        IT: "Nessuna corrispondenza per {full_name} nelle liste di sanzioni e PEP verificate tramite OpenSanctions.",
        ES: "Ninguna coincidencia para {full_name} en las listas de sanciones y PEP consultadas a través de OpenSanctions.",
    },
    "sanctions.possible_match": {
        EN: "OpenSanctions lists a possible match for {full_name}: {caption} ({labels}; datasets: {datasets}; match score {score}){namesake}.",
        FR: "OpenSanctions signale une correspondance possible pour {full_name} : {caption} ({labels} ; jeux de données : {datasets} ; score de correspondance {score}){namesake}.",
        DE: "OpenSanctions meldet einen möglichen Treffer für {full_name}: {caption} ({labels}; Datensätze: {datasets}; Trefferwert {score}){namesake}.",
        IT: "OpenSanctions segnala una possibile corrispondenza per {full_name}: {caption} ({labels}; dataset: {datasets}; punteggio di corrispondenza {score}){namesake}.",
        ES: "OpenSanctions señala una posible coincidencia para {full_name}: {caption} ({labels}; conjuntos de datos: {datasets}; puntuación de coincidencia {score}){namesake}.",
    },
    "sanctions.namesake": {
        EN: ", listed for {listed} while the candidate is in {country}",
        FR: ", pays de la fiche : {listed}, pays du candidat : {country}",
        DE: ", Land des Eintrags: {listed}, Land des Kandidaten: {country}",
        IT: ", paese della scheda: {listed}, paese del candidato: {country}",
        ES: ", país de la ficha: {listed}, país del candidato: {country}",
    },
    "sanctions.more_datasets.one": {
        EN: "{shown} and 1 more",
        FR: "{shown} et 1 autre",
        DE: "{shown} und 1 weiterer",
        IT: "{shown} e 1 altro",
        ES: "{shown} y 1 más",
    },
    "sanctions.more_datasets.many": {
        EN: "{shown} and {count} more",
        FR: "{shown} et {count} autres",
        DE: "{shown} und {count} weitere",
        IT: "{shown} e altri {count}",
        ES: "{shown} y {count} más",
    },
    "sanctions.datasets_unspecified": {
        EN: "unspecified",
        FR: "non précisés",
        DE: "nicht angegeben",
        IT: "non specificati",
        ES: "no especificados",
    },
    "sanctions.topic.sanction": {
        EN: "sanctions list",
        FR: "liste de sanctions",
        DE: "Sanktionsliste",
        IT: "lista di sanzioni",
        ES: "lista de sanciones",
    },
    "sanctions.topic.sanction.linked": {
        EN: "linked to a sanctioned party",
        FR: "lien avec une partie sanctionnée",
        DE: "Verbindung zu einer sanktionierten Partei",
        IT: "legame con un soggetto sanzionato",
        ES: "vínculo con una parte sancionada",
    },
    "sanctions.topic.debarment": {
        EN: "debarment list",
        FR: "liste d'exclusion des marchés publics",
        DE: "Ausschlussliste für öffentliche Aufträge",
        IT: "lista di esclusione dagli appalti pubblici",
        ES: "lista de inhabilitación para contratos públicos",
    },
    "sanctions.topic.crime": {
        EN: "criminal record",
        FR: "antécédents judiciaires",
        DE: "strafrechtliche Einträge",
        IT: "precedenti penali",
        ES: "antecedentes penales",
    },
    "sanctions.topic.wanted": {
        EN: "wanted list",
        FR: "liste de personnes recherchées",
        DE: "Fahndungsliste",
        IT: "lista dei ricercati",
        ES: "lista de personas buscadas",
    },
    "sanctions.topic.role.pep": {
        EN: "politically exposed person",
        FR: "personne politiquement exposée",
        DE: "politisch exponierte Person",
        IT: "persona politicamente esposta",
        ES: "persona con responsabilidad pública",
    },
    "sanctions.topic.role.rca": {
        EN: "relative or close associate of a PEP",
        FR: "membre de la famille ou proche associé d'une PPE",
        DE: "Angehörige oder nahestehende Person einer PEP",
        IT: "familiare o stretto collaboratore di una PEP",
        ES: "familiar o allegado de una PEP",
    },
    "sanctions.topic.other": {
        EN: "watchlist entry",
        FR: "inscription sur une liste de surveillance",
        DE: "Eintrag auf einer Beobachtungsliste",
        IT: "voce in una lista di controllo",
        ES: "entrada en una lista de vigilancia",
    },
    # ---- Companies House ------------------------------------------------------------------
    "companies_house.officer": {
        EN: "Companies House lists {name} as {role} of {where}, {period}.",
        FR: "Au registre de Companies House, {name} figure comme {role} de {where}, {period}.",
        DE: "Companies House führt {name} als {role} der {where}, {period}.",
        IT: "Companies House registra {name} come {role} di {where}, {period}.",
        ES: "Companies House registra a {name} como {role} de {where}, {period}.",
    },
    "companies_house.other_appointment": {
        EN: "Companies House also lists {name} as {role} of {where}, {period}; {unmentioned}.",
        FR: "Au registre de Companies House, {name} figure aussi comme {role} de {where}, {period} ; {unmentioned}.",
        DE: "Companies House führt {name} außerdem als {role} der {where}, {period}; {unmentioned}.",
        IT: "Companies House registra {name} anche come {role} di {where}, {period}; {unmentioned}.",
        ES: "Companies House también registra a {name} como {role} de {where}, {period}; {unmentioned}.",
    },
    "companies_house.company": {
        EN: "{company}",
        FR: "la société {company}",
        DE: "{company}",
        IT: "{company}",
        ES: "{company}",
    },
    "companies_house.company_numbered": {
        EN: "{company} (company {number})",
        FR: "la société {company} (n° {number})",
        DE: "{company} (Firmennummer {number})",
        IT: "{company} (società n. {number})",
        ES: "{company} (sociedad n.º {number})",
    },
    "companies_house.period.current": {
        EN: "appointed {start}, still in office",
        FR: "en fonction depuis le {start}",
        DE: "seit {start} im Amt",
        IT: "in carica dal {start}",
        ES: "en el cargo desde el {start}",
    },
    "companies_house.period.ended": {
        EN: "appointed {start}, resigned {end}",
        FR: "en fonction du {start} au {end}",
        DE: "von {start} bis {end} im Amt",
        IT: "in carica dal {start} al {end}",
        ES: "en el cargo del {start} al {end}",
    },
    "companies_house.period.unknown_current": {
        EN: "appointment date unknown, still in office",
        FR: "date de nomination inconnue, toujours en fonction",
        DE: "Bestellungsdatum unbekannt, weiterhin im Amt",
        IT: "data di nomina sconosciuta, tuttora in carica",
        ES: "fecha de nombramiento desconocida, sigue en el cargo",
    },
    "companies_house.period.unknown_ended": {
        EN: "appointment date unknown, resigned {end}",
        FR: "date de nomination inconnue, fin de mandat le {end}",
        DE: "Bestellungsdatum unbekannt, ausgeschieden am {end}",
        IT: "data di nomina sconosciuta, fine mandato il {end}",
        ES: "fecha de nombramiento desconocida, cese el {end}",
    },
    "companies_house.role.director": {
        EN: "director",
        FR: "administrateur",
        DE: "Geschäftsführer",
        IT: "amministratore",
        ES: "administrador",
    },
    "companies_house.role.secretary": {
        EN: "secretary",
        FR: "secrétaire général",
        DE: "Company Secretary",
        IT: "segretario",
        ES: "secretario",
    },
    "companies_house.role.llp_member": {
        EN: "LLP member",
        FR: "associé (LLP)",
        DE: "Gesellschafter (LLP)",
        IT: "socio (LLP)",
        ES: "socio (LLP)",
    },
    "companies_house.role.llp_designated_member": {
        EN: "LLP designated member",
        FR: "associé désigné (LLP)",
        DE: "geschäftsführender Gesellschafter (LLP)",
        IT: "socio designato (LLP)",
        ES: "socio designado (LLP)",
    },
    "companies_house.role.nominee_director": {
        EN: "nominee director",
        FR: "administrateur fiduciaire",
        DE: "Treuhand-Geschäftsführer",
        IT: "amministratore fiduciario",
        ES: "administrador fiduciario",
    },
    "companies_house.role.unknown": {
        EN: "officer",
        FR: "mandataire social",
        DE: "Organmitglied",
        IT: "esponente",
        ES: "directivo",
    },
    "companies_house.role.other": {
        EN: "{role}",
        FR: "mandataire social ({role})",
        DE: "Organmitglied ({role})",
        IT: "esponente ({role})",
        ES: "directivo ({role})",
    },
    # ---- Web search -----------------------------------------------------------------------
    "web_search.page_names_candidate": {
        EN: 'A page on {host} names {full_name} together with {organisation} ("{title}").',
        FR: "Une page du site {host} cite {full_name} en lien avec {organisation} (“{title}”).",
        DE: "Eine Seite auf {host} nennt {full_name} zusammen mit {organisation} (‚{title}‘).",
        IT: "Una pagina su {host} cita {full_name} insieme a {organisation} (“{title}”).",
        ES: "Una página de {host} menciona a {full_name} junto con {organisation} (“{title}”).",
    },
}


@dataclass(frozen=True)
class Phrase:
    """A sentence or fragment not yet in any language: a catalogue kind and its values."""

    kind: str
    values: Mapping[str, "Value"] = field(default_factory=dict)

    def render(self, language: Language) -> str:
        return statement(self.kind, language, **self.values)


#: What a placeholder takes: text and numbers as they are, phrases rendered in the same
#: language, and tuples joined by commas.
Value: TypeAlias = str | int | float | Phrase | tuple["Value", ...]


def phrase(kind: str, **values: Value) -> Phrase:
    """`phrase("github.since", year=2019)`: checked against the catalogue at once."""
    if kind not in CATALOGUE:
        raise KeyError(f"no wording for {kind!r}")
    return Phrase(kind, values)


def statement(kind: str, language: Language | str, **values: Value) -> str:
    """The catalogue's sentence for `kind` in `language`, with its placeholders filled."""
    lang = Language(language)
    template = CATALOGUE[kind][lang]
    return template.format(**{name: _text(value, lang) for name, value in values.items()})


def placeholders(template: str) -> frozenset[str]:
    """The `{names}` a template expects."""
    return frozenset(name for _, name, _, _ in Formatter().parse(template) if name)


def _text(value: Value, language: Language) -> str:
    if isinstance(value, Phrase):
        return value.render(language)
    if isinstance(value, tuple):
        return ", ".join(_text(item, language) for item in value)
    if isinstance(value, float):
        # Scores: two decimals, with the decimal comma everywhere but in English.
        number = f"{value:.2f}"
        return number if language is Language.EN else number.replace(".", ",")
    return str(value)
