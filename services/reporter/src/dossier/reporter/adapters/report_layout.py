"""The one order of a report's parts, shared by the PDF and the HTML page.

After the title block, both renderings show these parts in this order. The HTML page is
built by walking this tuple; the PDF's Typst template (`templates/report.typ`) lays the
same parts out by hand, and a unit test reads the template and fails if its order ever
differs from this one, so the two renderings cannot drift apart.
"""

from typing import Final

#: Each name is the part's key in the data `adapters.pdf.pdf_data` builds and in the
#: phrasebook's `pdf_labels` (the notice's heading is `notice_title`).
SECTIONS: Final = (
    "recommendation",
    "quick_signal",
    "summary",
    "evidence",
    "strengths",
    "risks",
    "what_to_validate",
    "interview_questions",
    "findings",
    "sources",
    "notice",
)

#: Parts shown only when they have content (as in the PDF); the others always show,
#: with the phrasebook's "nothing to report" when empty.
OPTIONAL_SECTIONS: Final = frozenset({"evidence", "sources"})
