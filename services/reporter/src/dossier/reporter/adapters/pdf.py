"""Render a report as a branded PDF with Typst.

Why Typst: the `typst` wheel is self-contained (the compiler and its fonts are inside it,
no system libraries, no headless browser, no LaTeX), it renders a report in tens of
milliseconds, and the layout lives in one readable template (`templates/report.typ`).
Only the fonts embedded in the wheel are used, so a PDF looks the same on a laptop, in CI
and in a slim container.

Data goes to the template as one JSON document in `sys.inputs`; the template places it as
text, so nothing in a finding can be interpreted as markup.
"""

import json
import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from importlib.resources import as_file, files
from typing import Any
from urllib.parse import urlsplit

import typst

from dossier.contracts.api import QuickSignal, Report, Signal
from dossier.contracts.enums import Language
from dossier.reporter.domain.catalogue import phrasebook
from dossier.reporter.domain.phrases import Phrasebook, format_full_date, source_name

TEMPLATE = "report.typ"
#: Longest link text printed under a finding; the link itself stays whole.
MAX_URL_LABEL = 70


def render_report_pdf(
    report: Report,
    *,
    quick_signal: QuickSignal | None,
    signals: Sequence[Signal],
    report_id: str,
    generated_at: datetime,
    language: Language,
    headline: str | None = None,
) -> bytes:
    """The report as PDF bytes, every label in `language`. CPU-bound: run it off the loop.

    `headline` is an optional line under the candidate's name (e.g. role and company).
    """
    data = pdf_data(
        report,
        quick_signal=quick_signal,
        signals=signals,
        report_id=report_id,
        generated_at=generated_at,
        language=language,
        headline=headline,
    )
    pdf = _compiler().compile(
        format="pdf",
        sys_inputs={"data": json.dumps(data, ensure_ascii=False)},
        timestamp=_utc(generated_at).replace(microsecond=0),  # typst takes whole seconds
    )
    if not isinstance(pdf, bytes):
        raise TypeError("typst returned pages instead of one PDF document")
    return pdf


_compilers = threading.local()


def _compiler() -> typst.Compiler:
    """This thread's compiler: it keeps the template and the parsed fonts between renders
    (a render of a distinct report still costs ~25 ms CPU, nearly all layout; measured with
    distinct inputs, since Typst memoises identical ones). One per thread because a compiler
    carries its inputs from one compile to the next."""
    compiler: typst.Compiler | None = getattr(_compilers, "compiler", None)
    if compiler is None:
        template = files("dossier.reporter") / "templates" / TEMPLATE
        with as_file(template) as path:  # the package is installed as files: this is the file
            compiler = typst.Compiler(str(path), ignore_system_fonts=True)
        _compilers.compiler = compiler
    return compiler


def pdf_data(
    report: Report,
    *,
    quick_signal: QuickSignal | None,
    signals: Sequence[Signal],
    report_id: str,
    generated_at: datetime,
    language: Language,
    headline: str | None = None,
) -> dict[str, Any]:
    """Everything the template shows, already localized: the template only lays it out."""
    book = phrasebook(language)
    when = _utc(generated_at)
    decision = report.recommendation.decision.value
    return {
        "language": language.value,
        "title": book.pdf_title,
        "document_title": f"{book.pdf_title} — {report.candidate_name}",
        "labels": book.pdf_labels,
        "colon": book.colon,
        "candidate_name": report.candidate_name,
        "subtitle": headline or "",
        "report_id": report_id,
        "generated_on": (
            f"{format_full_date(when.year, when.month, when.day, book)}, {when:%H:%M} UTC"
        ),
        "decision": decision,
        "decision_label": book.decision_labels[decision],
        "confidence_label": _level(book, report.recommendation.confidence.value),
        "reason": report.recommendation.reason or "",
        "quick_signal": _quick_signal(quick_signal, book),
        "summary": report.summary or "",
        "evidence": report.recommendation.evidence or [],
        "strengths": report.strengths or [],
        "risks": report.risks or [],
        "what_to_validate": report.what_to_validate or [],
        "interview_questions": report.interview_questions or [],
        "findings": [_finding(signal, book) for signal in signals],
        "sources": [
            {"name": source_name(s.name, book), "state": book.source_states[s.state.value]}
            for s in report.sources or []
        ],
        **_notice(report.notice or book.notice, book),
    }


def _notice(notice: str, book: Phrasebook) -> dict[str, str]:
    """Split `AI compliance notice: text` so the box shows the heading once, in bold."""
    heading = book.pdf_labels["notice"]
    prefix = heading + book.colon
    if notice.startswith(prefix):
        return {"notice_title": heading, "notice": notice[len(prefix) :]}
    return {"notice_title": heading, "notice": notice}


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


def _level(book: Phrasebook, value: str) -> str:
    word = book.levels[value]
    return word[:1].upper() + word[1:]


def _quick_signal(quick_signal: QuickSignal | None, book: Phrasebook) -> dict[str, str] | None:
    if quick_signal is None:
        return None
    return {
        "level": quick_signal.level.value,
        "level_label": book.quick_signal_levels[quick_signal.level.value],
        # The localized sentence, not the identity stage's own `reason`, so the card
        # speaks the report's language.
        "reason": book.identity_by_level[quick_signal.level.value].format(
            confidence=book.levels[quick_signal.identity_confidence.value]
        ),
    }


def safe_link(url: str | None) -> str | None:
    """Only http(s) links become clickable; anything else (javascript:, file:) is dropped."""
    if not url:
        return None
    parts = urlsplit(url)
    return url if parts.scheme in ("http", "https") and parts.netloc else None


def _finding(signal: Signal, book: Phrasebook) -> dict[str, str | None]:
    url = safe_link(signal.source_url)
    label = None
    if url is not None:
        label = url if len(url) <= MAX_URL_LABEL else url[: MAX_URL_LABEL - 1] + "…"
    return {
        "statement": signal.statement,
        "source": book.source_labels.get(signal.source_type.value, signal.source_type.value),
        "reliability": signal.reliability.value,
        "reliability_label": _level(book, signal.reliability.value),
        "url": url,
        "url_label": label,
    }
