"""The report's two documents, rendered together from one report: the PDF and the HTML page."""

import asyncio
from collections.abc import Sequence
from datetime import datetime

from dossier.contracts.api import QuickSignal, Report, Signal
from dossier.contracts.enums import Language
from dossier.reporter.adapters.html import STYLE_HASH, render_report_html
from dossier.reporter.adapters.pdf import render_report_pdf
from dossier.reporter.pdf_store import HtmlPage


async def render_documents(
    report: Report,
    *,
    quick_signal: QuickSignal | None,
    signals: Sequence[Signal],
    report_id: str,
    generated_at: datetime,
    language: Language,
) -> tuple[bytes, HtmlPage]:
    """The PDF (CPU-bound: rendered off the event loop) and the HTML page, from the same
    report, findings and language."""
    pdf = await asyncio.to_thread(
        render_report_pdf,
        report,
        quick_signal=quick_signal,
        signals=signals,
        report_id=report_id,
        generated_at=generated_at,
        language=language,
    )
    html = render_report_html(
        report,
        quick_signal=quick_signal,
        signals=signals,
        report_id=report_id,
        generated_at=generated_at,
        language=language,
    )
    return pdf, HtmlPage(html, STYLE_HASH)
