"""The PDF: a real, localized document that shows the report and links its sources."""

import re
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from dossier.contracts.api import Recommendation, Report, Signal
from dossier.contracts.enums import Confidence, Decision, Language, Reliability, SourceType, Stance
from dossier.reporter.adapters.pdf import pdf_data, render_report_pdf, safe_link
from dossier.reporter.domain.catalogue import phrasebook
from dossier.reporter.domain.deterministic_writer import DeterministicWriter
from dossier.reporter.domain.report_input import ReportInput

GENERATED_AT = datetime(2026, 6, 29, 12, 0, 45, tzinfo=UTC)


def render(inp: ReportInput, report: Report | None = None) -> bytes:
    return render_report_pdf(
        report or DeterministicWriter().write(inp),
        quick_signal=inp.identity.quick_signal,
        signals=inp.all_signals,
        report_id="cmqp23kgg00067gk0rh6jol5o",
        generated_at=GENERATED_AT,
        language=inp.language,
    )


def page_count(pdf: bytes) -> int:
    match = re.search(rb"/Type\s*/Pages\b.*?/Count\s+(\d+)", pdf, re.DOTALL) or re.search(
        rb"/Count\s+(\d+)", pdf
    )
    assert match is not None
    return int(match.group(1))


def test_pdf_is_a_real_document_titled_with_the_candidate(
    make_input: Callable[..., ReportInput],
) -> None:
    pdf = render(make_input(first_name="Zoë"))

    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    assert len(pdf) > 20_000  # fonts embedded, not an empty shell
    assert 1 <= page_count(pdf) <= 4
    assert "Candidate Intelligence Report — Zoë Doe".encode() in pdf  # XMP metadata


@pytest.mark.parametrize("language", list(Language))
def test_pdf_is_titled_in_the_report_language(
    make_input: Callable[..., ReportInput], language: Language
) -> None:
    pdf = render(make_input(language=language))

    assert f"{phrasebook(language).pdf_title} — John Doe".encode() in pdf


def test_source_links_are_clickable(make_input: Callable[..., ReportInput]) -> None:
    pdf = render(make_input())

    assert b"/URI" in pdf
    assert b"https://example.org/s1" in pdf


def test_only_web_links_are_clickable(
    make_input: Callable[..., ReportInput], make_signal: Callable[..., Signal]
) -> None:
    sneaky = make_signal(
        "x", Stance.NEUTRAL, Reliability.LOW, SourceType.WEB, url="javascript:alert(1)"
    )

    pdf = render(make_input(signals=[sneaky]))

    assert safe_link("javascript:alert(1)") is None
    assert safe_link("https://example.org/a") == "https://example.org/a"
    assert b"javascript:" not in pdf


def test_findings_with_typst_markup_print_as_text(
    make_input: Callable[..., ReportInput], make_signal: Callable[..., Signal]
) -> None:
    """Data is placed as text: `#panic` in a finding would abort compilation if evaluated."""
    hostile = make_signal(
        "m", Stance.CONTRADICTS, Reliability.HIGH, SourceType.WEB, "employment",
        statement='#panic("evaluated") $x^2$ *bold* [link] <label> @ref // comment',
    )  # fmt: skip

    pdf = render(make_input(signals=[hostile], first_name="#set"))

    assert pdf.startswith(b"%PDF-")
    assert b"#set Doe" in pdf


def test_same_report_renders_the_same_bytes(make_input: Callable[..., ReportInput]) -> None:
    inp = make_input()

    assert render(inp) == render(inp)


def test_bare_report_without_lists_or_quick_signal_renders(
    make_input: Callable[..., ReportInput],
) -> None:
    bare = Report(
        candidate_name="John Doe",
        recommendation=Recommendation(decision=Decision.NO_GO, confidence=Confidence.LOW),
    )

    pdf = render_report_pdf(
        bare,
        quick_signal=None,
        signals=[],
        report_id="r1",
        generated_at=GENERATED_AT,
        language=Language.ES,
    )

    assert pdf.startswith(b"%PDF-")
    assert page_count(pdf) == 1


def test_pdf_data_is_localized(make_input: Callable[..., ReportInput]) -> None:
    inp = make_input(language=Language.FR)

    data = pdf_data(
        DeterministicWriter().write(inp),
        quick_signal=inp.identity.quick_signal,
        signals=inp.all_signals,
        report_id="r1",
        generated_at=GENERATED_AT,
        language=Language.FR,
    )

    assert data["decision_label"] == "GO sous réserve de validation"
    assert data["generated_on"] == "29 juin 2026, 12:00 UTC"
    assert data["labels"]["what_to_validate"] == "À valider"
    assert data["quick_signal"]["level_label"] == "Vert"
    assert data["notice_title"] == "Avis de conformité IA"
    assert data["notice"].startswith("ce rapport est une aide à la décision")
    assert data["sources"][2] == {"name": "companies-house", "state": "indisponible"}


def test_pdf_renders_with_the_millisecond_timestamp_the_pipeline_stamps(
    make_input: Callable[..., ReportInput],
) -> None:
    inp = make_input()

    pdf = render_report_pdf(
        DeterministicWriter().write(inp),
        quick_signal=inp.identity.quick_signal,
        signals=inp.all_signals,
        report_id="an_ms",
        generated_at=datetime(2026, 6, 29, 12, 0, 45, 123000, tzinfo=UTC),
        language=inp.language,
    )

    assert pdf.startswith(b"%PDF-")
