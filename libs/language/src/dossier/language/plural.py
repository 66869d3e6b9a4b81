"""Plural rules from CLDR (through Babel), not `n == 1`.

French counts 0 as singular (`0 an`), English does not (`0 years`). Catalogues keep two
forms per counted phrase, `one` and `other`; CLDR's finer categories (`many` for round
millions in French, Spanish and Italian) read as `other` in those forms.
"""

from typing import Literal

from dossier.contracts.enums import Language
from dossier.language.locales import locale

Form = Literal["one", "other"]


def plural_form(count: int, language: Language) -> Form:
    """`one` or `other`: which form of a counted phrase `count` takes in `language`."""
    return "one" if locale(language).plural_form(count) == "one" else "other"
