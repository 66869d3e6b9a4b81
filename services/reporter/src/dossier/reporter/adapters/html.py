"""Render a report as one self-contained, printable HTML page (served behind `report_url`).

The page is made from exactly the data the PDF is made from (`adapters.pdf.pdf_data`:
the same report, findings, labels and language), and walks the parts in the order
`adapters.report_layout.SECTIONS` gives, the order the PDF's template follows too.

It is safe to open from a partner's page: no scripts at all, nothing loaded from
anywhere (one inline `<style>`, allowed by its hash in the `Content-Security-Policy` the
gateway sends), every piece of text escaped, and only http(s) evidence links, which are
plain `<a href>`s that load nothing until someone follows them.
"""

import base64
import hashlib
from collections.abc import Callable, Sequence
from datetime import datetime
from html import escape
from typing import Any, Final

from dossier.contracts.api import QuickSignal, Report, Signal
from dossier.contracts.enums import Language
from dossier.reporter.adapters.pdf import pdf_data
from dossier.reporter.adapters.report_layout import OPTIONAL_SECTIONS, SECTIONS

# Colours as in templates/report.typ. Print: A4 with the PDF's margins, colours kept, no
# card or row split across pages, headings kept with what follows, links printed plainly.
STYLE: Final = """
:root{--ink:#1f2937;--muted:#6b7280;--brand:#13294b;--accent:#2f6fd6;--rule:#d9dee7}
*{box-sizing:border-box}
body{margin:0 auto;max-width:52rem;padding:1.5rem;color:var(--ink);
font:15px/1.5 "Libertinus Serif",Georgia,"Times New Roman",serif;background:#fff}
a{color:var(--accent);overflow-wrap:anywhere}
header.title{background:var(--brand);color:#fff;border-radius:4px;padding:14px 16px}
header.title .brand{font-size:.75rem;font-weight:bold;letter-spacing:.08em}
header.title .kind{font-size:.75rem;opacity:.8}
header.title h1{margin:.1rem 0 0;font-size:1.9rem;line-height:1.2}
header.title .subtitle{margin:0;opacity:.85}
.cards{display:grid;grid-template-columns:1.55fr 1fr;gap:10px;margin-top:12px}
.card{border:1px solid var(--rule);border-radius:4px;padding:12px}
.card h2{margin:0 0 .3rem;font-size:.72rem;color:var(--muted);text-transform:uppercase;
letter-spacing:.04em}
.decision{display:inline-block;border-radius:4px;padding:4px 10px;color:#fff;
font-weight:bold;font-size:1.2rem;background:var(--muted)}
.decision-go{background:#1b7f4b}.decision-validate{background:#b7791f}
.decision-no-go{background:#b42318}
.card.decision-go{border-color:#1b7f4b}.card.decision-validate{border-color:#b7791f}
.card.decision-no-go{border-color:#b42318}
.confidence{color:var(--muted);margin-left:.4rem}
.level{font-weight:bold}.level::before{content:"\\25CF\\00A0"}
.level-green{color:#1b7f4b}.level-orange{color:#d97706}.level-red{color:#b42318}
section>h2{font-size:1.1rem;color:var(--brand);border-bottom:1px solid var(--rule);
margin:1.2rem 0 .5rem;padding-bottom:2px}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:14px}
.none{color:var(--muted);font-style:italic}
li{margin:.2rem 0}
table{width:100%;border-collapse:collapse;font-size:.9rem}
th{text-align:left;color:var(--muted);font-size:.8rem;border-bottom:1.5px solid var(--brand)}
th,td{padding:5px;vertical-align:top}
td{border-bottom:1px solid var(--rule)}
td.n{text-align:right;color:var(--muted)}
.link{font-size:.8rem}
.pill{display:inline-block;border:1px solid;border-radius:8px;padding:0 6px;font-size:.8rem;
font-weight:bold}
.rel-high{color:#1b7f4b}.rel-medium{color:#b7791f}.rel-low{color:#8a94a6}
.sources{color:var(--muted);font-size:.85rem}
aside.notice{margin-top:1.2rem;background:#f3f5f9;border-left:3px solid var(--brand);
padding:10px;font-size:.85rem}
aside.notice h2{margin:0;font-size:.9rem;color:var(--brand)}
aside.notice p{margin:.2rem 0 0}
footer{margin-top:1.5rem;border-top:1px solid var(--rule);padding-top:4px;
color:var(--muted);font-size:.75rem}
code{font-size:.95em}
@media (max-width:40rem){.cards,.pair{grid-template-columns:1fr}}
@media print{
@page{size:A4;margin:1.6cm 1.8cm 2cm}
body{max-width:none;padding:0;font-size:10.5pt}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
.card,aside.notice,tr{break-inside:avoid}
section>h2{break-after:avoid}
thead{display:table-header-group}
a{color:inherit;text-decoration:none}
}
""".strip()

#: The `Content-Security-Policy` source that allows exactly the page's `<style>` element.
STYLE_HASH: Final = "sha256-" + base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()

#: Parts shown side by side as in the PDF (each with the part that follows it in SECTIONS).
_SIDE_BY_SIDE: Final = {"recommendation": ("quick_signal", "cards"), "strengths": ("risks", "pair")}
_SECOND_OF_PAIR: Final = frozenset(second for second, _ in _SIDE_BY_SIDE.values())

_DECISION_CLASS: Final = {"GO": "go", "GO with validation": "validate", "NO GO": "no-go"}


def render_report_html(
    report: Report,
    *,
    quick_signal: QuickSignal | None,
    signals: Sequence[Signal],
    report_id: str,
    generated_at: datetime,
    language: Language,
    headline: str | None = None,
) -> str:
    """The report as an HTML document, from the same data and in the same order as the PDF."""
    return html_from_data(
        pdf_data(
            report,
            quick_signal=quick_signal,
            signals=signals,
            report_id=report_id,
            generated_at=generated_at,
            language=language,
            headline=headline,
        )
    )


def _text(value: Any) -> str:
    """Any value as text safe in element content and in quoted attribute values."""
    return escape(str(value), quote=True)


def html_from_data(data: dict[str, Any]) -> str:
    """Lay out `pdf_data`'s document: every value escaped, parts in `SECTIONS` order."""
    labels: dict[str, str] = data["labels"]
    parts: list[str] = []
    for name in SECTIONS:
        if name in _SECOND_OF_PAIR:
            continue  # laid out next to the part before it
        if name in _SIDE_BY_SIDE:
            second, css = _SIDE_BY_SIDE[name]
            pair = _SECTION[name](data, labels) + _SECTION[second](data, labels)
            parts.append(f'<div class="{css}">{pair}</div>')
        elif name not in OPTIONAL_SECTIONS or data[name]:
            parts.append(_SECTION[name](data, labels))
    subtitle = f'<p class="subtitle">{_text(data["subtitle"])}</p>' if data["subtitle"] else ""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{_text(data["language"])}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{_text(data['document_title'])}</title>\n"
        f"<style>{STYLE}</style>\n</head>\n<body>\n"
        '<header class="title"><span class="brand">DOSSIER</span> '
        f'<span class="kind">— {_text(data["title"])}</span>\n'
        f"<h1>{_text(data['candidate_name'])}</h1>{subtitle}</header>\n"
        "<main>\n" + "\n".join(parts) + "\n</main>\n"
        f"<footer>Dossier · {_text(labels['report_id'])} <code>{_text(data['report_id'])}</code>"
        f" · {_text(labels['generated'])} {_text(data['generated_on'])}</footer>\n"
        "</body>\n</html>\n"
    )


def _heading(name: str, labels: dict[str, str]) -> str:
    return f"<h2>{_text(labels[name])}</h2>"


def _items(values: Sequence[str], labels: dict[str, str], *, numbered: bool = False) -> str:
    if not values:
        return f'<p class="none">{_text(labels["none"])}</p>'
    tag = "ol" if numbered else "ul"
    return f"<{tag}>" + "".join(f"<li>{_text(v)}</li>" for v in values) + f"</{tag}>"


def _recommendation(data: dict[str, Any], labels: dict[str, str]) -> str:
    css = _DECISION_CLASS.get(data["decision"], "other")
    return (
        f'<section class="card decision-{css}" id="recommendation">'
        + _heading("recommendation", labels)
        + f'<span class="decision decision-{css}">{_text(data["decision_label"])}</span>'
        + f'<span class="confidence">{_text(labels["confidence"] + data["colon"])}'
        + f"<strong>{_text(data['confidence_label'])}</strong></span>"
        + f"<p>{_text(data['reason'])}</p></section>"
    )


def _quick_signal(data: dict[str, Any], labels: dict[str, str]) -> str:
    found = data["quick_signal"]
    body = f'<p class="none">{_text(labels["none"])}</p>'
    if found is not None:
        level = _text(str(found["level"]).lower())
        body = (
            f'<p class="level level-{level}">{_text(found["level_label"])}</p>'
            f"<p>{_text(found['reason'])}</p>"
        )
    return f'<section class="card" id="quick_signal">{_heading("quick_signal", labels)}{body}</section>'


def _summary(data: dict[str, Any], labels: dict[str, str]) -> str:
    return f'<section id="summary">{_heading("summary", labels)}<p>{_text(data["summary"])}</p></section>'


def _list_section(
    name: str, *, numbered: bool = False
) -> Callable[[dict[str, Any], dict[str, str]], str]:
    def render(data: dict[str, Any], labels: dict[str, str]) -> str:
        return (
            f'<section id="{name}">{_heading(name, labels)}'
            f"{_items(data[name], labels, numbered=numbered)}</section>"
        )

    return render


def _findings(data: dict[str, Any], labels: dict[str, str]) -> str:
    findings: list[dict[str, str | None]] = data["findings"]
    if not findings:
        return (
            f'<section id="findings">{_heading("findings", labels)}'
            f'<p class="none">{_text(labels["none"])}</p></section>'
        )
    rows = []
    for number, finding in enumerate(findings, start=1):
        link = ""
        if finding["url"] is not None:
            link = (
                f'<br><span class="link"><a href="{_text(finding["url"])}" '
                f'rel="noopener noreferrer nofollow">{_text(finding["url_label"])}</a></span>'
            )
        reliability = _text(str(finding["reliability"]).lower())
        rows.append(
            f'<tr><td class="n">{number}</td><td>{_text(finding["statement"])}{link}</td>'
            f"<td>{_text(finding['source'])}</td>"
            f'<td><span class="pill rel-{reliability}">{_text(finding["reliability_label"])}'
            "</span></td></tr>"
        )
    head = "".join(
        f"<th>{_text(label)}</th>"
        for label in ("#", labels["finding"], labels["source"], labels["reliability"])
    )
    return (
        f'<section id="findings">{_heading("findings", labels)}'
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></section>"
    )


def _sources(data: dict[str, Any], labels: dict[str, str]) -> str:
    checked = " · ".join(f"{s['name']} ({s['state']})" for s in data["sources"])
    return (
        f'<section id="sources"><p class="sources"><strong>'
        f"{_text(labels['sources'] + data['colon'])}</strong>{_text(checked)}</p></section>"
    )


def _notice(data: dict[str, Any], labels: dict[str, str]) -> str:
    return (
        f'<aside class="notice" id="notice"><h2>{_text(data["notice_title"])}</h2>'
        f"<p>{_text(data['notice'])}</p></aside>"
    )


_SECTION: Final[dict[str, Callable[[dict[str, Any], dict[str, str]], str]]] = {
    "recommendation": _recommendation,
    "quick_signal": _quick_signal,
    "summary": _summary,
    "evidence": _list_section("evidence"),
    "strengths": _list_section("strengths"),
    "risks": _list_section("risks"),
    "what_to_validate": _list_section("what_to_validate"),
    "interview_questions": _list_section("interview_questions", numbered=True),
    "findings": _findings,
    "sources": _sources,
    "notice": _notice,
}
