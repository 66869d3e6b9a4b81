"""Keeping CV parsing linear in the size of what a partner sends.

A CV is text from a stranger. Every regular expression the parser applies to it must
run in time linear in its input: no pattern may let the engine retry a long run of
characters from each of its positions (`[…]+$` searched over a run of commas,
`\\s*\\+?\\s*` over a run of spaces). Where a regex would do that, the parser strips with
`strip_edges` below, or anchors the pattern on the first character of a run
(`(?<!\\s)\\s+…`). The fuzz test (`tests/unit/identity/test_cv_parser_fuzz.py`) holds
every generated CV, adversarial shapes included, to a per-input CPU bound.

On top of that, parsing is bounded by caps, so that even a pattern that is linear but
slow cannot add up to much (links, e-mails, claimed years of experience and the
language are still read from the whole CV, with linear patterns):

| cap | value | why |
|-----|-------|-----|
| `MAX_CV_CHARS` | 100,000 | the API's own limit (`CV_MAX_CHARS`); checked again here |
| `MAX_LINES` | 2,000 | a long CV has a few hundred; the structural parse (sections, header, entries, lists) reads no further |
| `MAX_LINE_CHARS` | 1,000 | an entry, heading or list line is far shorter; longer lines are cut for the structural parse |
| `MAX_EMPLOYMENTS` | 60 | more is not a CV; entry parsing stops there, and overlap checks compare jobs pairwise |
| `MAX_EDUCATION` | 30 | likewise |
| `MAX_SKILLS` | 150 | |
| `MAX_LANGUAGES` | 30 | |
| `MAX_LINKS`, `MAX_EMAILS` | 30, 20 | each may become a source lookup |
"""

from dossier.contracts.api import CV_MAX_CHARS

MAX_CV_CHARS = CV_MAX_CHARS
MAX_LINES = 2_000
MAX_LINE_CHARS = 1_000
MAX_EMPLOYMENTS = 60
MAX_EDUCATION = 30
MAX_SKILLS = 150
MAX_LANGUAGES = 30
MAX_LINKS = 30
MAX_EMAILS = 20


def strip_edges(text: str, leading: str, trailing: str | None = None) -> str:
    """`text` without whitespace or any of `leading` at its start and `trailing` (default:
    the same characters) at its end: what `^[\\s…]+|[\\s…]+$` removes, in linear time."""
    tail = leading if trailing is None else trailing
    start, end = 0, len(text)
    while start < end and (text[start] in leading or text[start].isspace()):
        start += 1
    while end > start and (text[end - 1] in tail or text[end - 1].isspace()):
        end -= 1
    return text[start:end]
