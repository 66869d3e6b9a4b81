"""Comparing places: `Zürich`, `Zurich, CH`, `Zurigo` and `8005 Zürich` are one city.

Only the city is compared (people write the country in many ways, or not at all). A
small alias table covers the European cities whose names differ between the five
languages; everything else is compared folded.
"""

import re

from dossier.sources.names import fold

_ALIASES: dict[str, tuple[str, ...]] = {
    "zurich": ("zurich", "zuerich", "zurigo", "zurych"),
    "geneva": ("geneve", "geneva", "genf", "ginevra", "ginebra"),
    "basel": ("basel", "bale", "basilea", "basle"),
    "bern": ("bern", "berne", "berna"),
    "lucerne": ("luzern", "lucerne", "lucerna"),
    "munich": ("munchen", "muenchen", "munich", "monaco di baviera", "munich"),
    "cologne": ("koln", "koeln", "cologne", "colonia"),
    "vienna": ("wien", "vienna", "vienne", "viena"),
    "milan": ("milano", "milan", "milan", "milan"),
    "rome": ("roma", "rome", "rom"),
    "turin": ("torino", "turin"),
    "florence": ("firenze", "florence", "florenz", "florencia"),
    "naples": ("napoli", "naples", "neapel", "napoles"),
    "venice": ("venezia", "venice", "venise", "venedig", "venecia"),
    "genoa": ("genova", "genoa", "genes", "genua"),
    "london": ("london", "londres", "londra"),
    "paris": ("paris", "parigi"),
    "brussels": ("brussels", "bruxelles", "brussel", "brussel", "bruselas", "bruxelles"),
    "lisbon": ("lisboa", "lisbon", "lisbonne", "lissabon", "lisbona"),
    "barcelona": ("barcelona", "barcelone", "barcellona"),
    "seville": ("sevilla", "seville", "siviglia"),
    "prague": ("praha", "prague", "prag", "praga"),
    "warsaw": ("warszawa", "warsaw", "varsovie", "warschau", "varsavia", "varsovia"),
    "copenhagen": ("kobenhavn", "copenhagen", "copenhague", "kopenhagen", "copenaghen"),
    "the hague": ("den haag", "the hague", "la haye", "l'aia", "la haya"),
    "lyon": ("lyon", "lione"),
    "marseille": ("marseille", "marsiglia", "marsella", "marseilles"),
    "frankfurt": ("frankfurt am main", "frankfurt", "francfort", "francoforte", "francfort"),
    "nuremberg": ("nurnberg", "nuernberg", "nuremberg", "norimberga", "nuremberg"),
    "antwerp": ("antwerpen", "antwerp", "anvers", "anversa", "amberes"),
    "strasbourg": ("strasbourg", "strassburg", "strasburgo", "estrasburgo"),
}
_CITY_BY_ALIAS = {alias: city for city, aliases in _ALIASES.items() for alias in aliases}

#: Cities and countries that make a header part look like a location.
KNOWN_CITIES = frozenset(_CITY_BY_ALIAS) | frozenset(
    {
        "lausanne", "lugano", "winterthur", "zug", "st. gallen", "neuchatel", "fribourg",
        "berlin", "hamburg", "stuttgart", "dusseldorf", "leipzig", "dresden", "bonn", "hanover",
        "bordeaux", "toulouse", "nantes", "lille", "nice", "rennes", "grenoble", "montpellier",
        "bologna", "verona", "padova", "bari", "palermo", "trieste", "bergamo", "brescia",
        "madrid", "valencia", "bilbao", "malaga", "zaragoza", "granada", "alicante",
        "manchester", "birmingham", "edinburgh", "glasgow", "bristol", "leeds", "cambridge",
        "oxford", "dublin", "amsterdam", "rotterdam", "utrecht", "eindhoven", "luxembourg",
        "stockholm", "oslo", "helsinki", "tallinn", "krakow", "budapest", "athens", "porto",
        "new york", "san francisco", "boston", "toronto", "montreal", "berlin-mitte", "remote",
    }
)  # fmt: skip
KNOWN_COUNTRIES = frozenset(
    {
        "switzerland", "schweiz", "suisse", "svizzera", "suiza", "ch", "germany", "deutschland",
        "allemagne", "germania", "alemania", "de", "france", "frankreich", "francia", "fr",
        "italy", "italia", "italien", "italie", "it", "spain", "espana", "spanien", "espagne",
        "spagna", "es", "uk", "united kingdom", "england", "scotland", "ireland", "austria",
        "osterreich", "autriche", "netherlands", "belgium", "belgique", "portugal", "usa",
        "united states", "sweden", "poland", "luxembourg",
    }
)  # fmt: skip

_POSTCODE = re.compile(r"\b(?:[a-z]{1,2}-)?\d{4,5}\b")


def city_key(location: str | None) -> str | None:
    """The comparable city of a location string, or None when there is none."""
    if not location:
        return None
    first = fold(location).split(",")[0]
    first = _POSTCODE.sub(" ", first)
    first = re.sub(r"\s+", " ", re.sub(r"[()]", " ", first)).strip(" -/")
    if not first or first in KNOWN_COUNTRIES:
        return None
    return _CITY_BY_ALIAS.get(first, first)


def same_city(a: str | None, b: str | None) -> bool | None:
    """True / False when both name a city, None when either does not say."""
    ka, kb = city_key(a), city_key(b)
    if ka is None or kb is None or "remote" in (ka, kb):
        return None
    return ka == kb or ka.startswith(kb + " ") or kb.startswith(ka + " ")


def looks_like_location(text: str) -> bool:
    """A header fragment such as `Zürich, Switzerland` or `8005 Zürich`."""
    folded = _POSTCODE.sub(" ", fold(text))
    parts = [p.strip(" .()") for p in folded.split(",")]
    parts = [re.sub(r"\s+", " ", p) for p in parts if p]
    if not parts or len(text) > 60:
        return False
    if any(len(p.split()) > 4 for p in parts):
        return False
    if any(p in KNOWN_CITIES for p in parts):
        return True
    # A bare country code (`IT`, `DE`) alone is more likely a skill than a place.
    return any(p in KNOWN_COUNTRIES and (len(p) > 2 or len(parts) > 1) for p in parts)
