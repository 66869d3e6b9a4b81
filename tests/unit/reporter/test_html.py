"""The HTML page behind `report_url`: the PDF's content, language and order, safe to open."""

import base64
import hashlib
import re
from collections.abc import Callable
from datetime import UTC, datetime
from html.parser import HTMLParser
from importlib.resources import files
from typing import Any

import pytest

from dossier.contracts.api import Recommendation, Report, Signal
from dossier.contracts.enums import Confidence, Decision, Language, Reliability, SourceType, Stance
from dossier.reporter.adapters.html import STYLE_HASH, html_from_data, render_report_html
from dossier.reporter.adapters.pdf import pdf_data
from dossier.reporter.adapters.report_layout import OPTIONAL_SECTIONS, SECTIONS
from dossier.reporter.domain.catalogue import phrasebook
from dossier.reporter.domain.deterministic_writer import DeterministicWriter
from dossier.reporter.domain.report_input import ReportInput

GENERATED_AT = datetime(2026, 6, 29, 12, 0, 45, tzinfo=UTC)
HOSTILE = '<script>alert("x")</script>\'"><img src=x onerror=alert(1)>'


def data_for(inp: ReportInput, report: Report | None = None) -> dict[str, Any]:
    return pdf_data(
        report or DeterministicWriter().write(inp),
        quick_signal=inp.identity.quick_signal,
        signals=inp.all_signals,
        report_id="cmqp23kgg00067gk0rh6jol5o",
        generated_at=GENERATED_AT,
        language=inp.language,
    )


def page_for(inp: ReportInput, report: Report | None = None) -> str:
    return render_report_html(
        report or DeterministicWriter().write(inp),
        quick_signal=inp.identity.quick_signal,
        signals=inp.all_signals,
        report_id="cmqp23kgg00067gk0rh6jol5o",
        generated_at=GENERATED_AT,
        language=inp.language,
    )


class Page(HTMLParser):
    """What a browser would build: elements with their attributes, and the visible text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.chunks: list[str] = []
        self._in_style = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if not self._in_style:
            self.chunks.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.chunks).split())

    def tags(self) -> set[str]:
        return {tag for tag, _ in self.elements}

    def section_ids(self) -> list[str]:
        return [
            a["id"] or "" for tag, a in self.elements if "id" in a and tag in {"section", "aside"}
        ]


def plain(value: str) -> str:
    return " ".join(value.split())


@pytest.mark.parametrize("language", list(Language))
def test_page_speaks_the_report_language(
    make_input: Callable[..., ReportInput], language: Language
) -> None:
    page = Page(page_for(make_input(language=language)))
    book = phrasebook(language)

    html_tag = next(attrs for tag, attrs in page.elements if tag == "html")
    assert html_tag["lang"] == language.value
    title = f"{book.pdf_title} — John Doe"
    assert title in page.text
    assert book.pdf_labels["what_to_validate"] in page.text


def test_page_shows_every_part_the_pdf_shows_in_the_same_order(
    make_input: Callable[..., ReportInput],
) -> None:
    inp = make_input(language=Language.DE)
    data = data_for(inp)

    page = Page(html_from_data(data))

    assert page.section_ids() == list(SECTIONS)
    expected = [
        data["candidate_name"],
        data["decision_label"],
        data["confidence_label"],
        data["reason"],
        data["quick_signal"]["level_label"],
        data["quick_signal"]["reason"],
        data["summary"],
        *data["evidence"],
        *data["strengths"],
        *data["risks"],
        *data["what_to_validate"],
        *data["interview_questions"],
        *(f["statement"] for f in data["findings"]),
        *(f["url_label"] for f in data["findings"] if f["url_label"]),
        *(f"{s['name']} ({s['state']})" for s in data["sources"]),
        data["notice_title"],
        data["notice"],
        data["report_id"],
        data["generated_on"],
    ]
    for value in expected:
        assert plain(value) in page.text, value
    for name in SECTIONS:
        heading = data["notice_title"] if name == "notice" else data["labels"][name]
        assert heading in page.text, name


def test_pdf_template_lays_out_the_parts_in_the_shared_order() -> None:
    """The Typst template places the same parts, in the order SECTIONS gives the HTML page."""
    template = (files("dossier.reporter") / "templates" / "report.typ").read_text()
    body = template[template.index("// ---- Title block") :]

    def first_use(name: str) -> int:
        needle = "data.notice_title" if name == "notice" else f"L.{name})"
        if name == "sources":
            needle = "(L.sources +"
        if name in {"recommendation", "quick_signal"}:
            needle = f"upper(L.{name})"
        return body.index(needle)

    positions = [first_use(name) for name in SECTIONS]
    assert positions == sorted(positions)
    for name in OPTIONAL_SECTIONS:
        assert f"data.{name}.len() > 0" in body  # shown only with content, as on the page


def test_empty_optional_parts_are_left_out_and_empty_lists_say_so() -> None:
    bare = Report(
        candidate_name="John Doe",
        recommendation=Recommendation(decision=Decision.NO_GO, confidence=Confidence.LOW),
    )
    page = Page(
        render_report_html(
            bare,
            quick_signal=None,
            signals=[],
            report_id="r1",
            generated_at=GENERATED_AT,
            language=Language.ES,
        )
    )

    assert page.section_ids() == [n for n in SECTIONS if n not in OPTIONAL_SECTIONS]
    assert phrasebook(Language.ES).pdf_labels["none"] in page.text


def test_partner_text_is_escaped_everywhere(
    make_input: Callable[..., ReportInput], make_signal: Callable[..., Signal]
) -> None:
    hostile = make_signal(
        "h", Stance.CONTRADICTS, Reliability.HIGH, SourceType.WEB, "employment",
        statement=HOSTILE, url='https://example.org/a"onmouseover="alert(1)',
    )  # fmt: skip
    inp = make_input(first_name=HOSTILE, signals=[hostile])

    html = page_for(inp)
    page = Page(html)

    assert "<script" not in html.lower()
    assert "<img" not in html.lower()
    assert page.tags() <= {
        "html", "head", "meta", "title", "style", "body", "header", "span", "h1", "p", "main",
        "div", "section", "h2", "strong", "ul", "ol", "li", "table", "thead", "tbody", "tr",
        "th", "td", "br", "a", "aside", "footer", "code",
    }  # fmt: skip
    assert not [a for _, attrs in page.elements for a in attrs if a.startswith("on")]
    assert HOSTILE in page.text  # shown as the text it is
    links = [attrs["href"] for tag, attrs in page.elements if tag == "a"]
    assert links == ['https://example.org/a"onmouseover="alert(1)']


def test_page_runs_nothing_and_loads_nothing(
    make_input: Callable[..., ReportInput], make_signal: Callable[..., Signal]
) -> None:
    sneaky = make_signal(
        "x", Stance.NEUTRAL, Reliability.LOW, SourceType.WEB, url="javascript:alert(1)"
    )
    inp = make_input(signals=[*make_input().signals, sneaky])

    html = page_for(inp)
    page = Page(html)

    assert "javascript:" not in html
    assert not {"script", "link", "img", "iframe", "object", "embed", "base", "form"} & page.tags()
    assert not [a for _, attrs in page.elements for a in attrs if a in {"src", "srcset", "style"}]
    assert "@import" not in html
    assert "url(" not in html
    for tag, attrs in page.elements:
        if tag == "a":
            assert re.match(r"https?://", attrs["href"] or "")


def test_page_is_printable(make_input: Callable[..., ReportInput]) -> None:
    html = page_for(make_input())

    assert "@media print" in html
    assert "@page" in html
    assert "break-inside:avoid" in html


def test_style_hash_allows_exactly_the_page_style(make_input: Callable[..., ReportInput]) -> None:
    html = page_for(make_input())

    style = re.search(r"<style>(.*?)</style>", html, re.DOTALL)
    assert style is not None
    digest = base64.b64encode(hashlib.sha256(style.group(1).encode()).digest()).decode()
    assert f"sha256-{digest}" == STYLE_HASH


def test_same_report_renders_the_same_page(make_input: Callable[..., ReportInput]) -> None:
    inp = make_input()

    assert page_for(inp) == page_for(inp)
