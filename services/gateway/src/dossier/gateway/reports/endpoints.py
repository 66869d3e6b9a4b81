"""A report's renderings: the PDF and the HTML page behind signed, expiring links (for
browsers: the link is the capability), and the PDF with the API key (for servers: never
expires).

Both renderings are stored by the reporter in one `report_pdfs` document per report
(read by `_id`); the HTML page is served with a Content-Security-Policy that allows no
script and no load from anywhere, only its own inline style.
"""

import hashlib
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Query, Response, status

from dossier.contracts.enums import AnalysisStatus
from dossier.gateway.analyses.endpoints import owned_analysis
from dossier.gateway.analyses.etag import none_match_hits
from dossier.gateway.dependencies import AnalysesRead, Ctx
from dossier.gateway.problems import ProblemError, not_found
from dossier.gateway.reports.links import LinkKind, signature_is_valid
from dossier.runtime.collections import REPORT_PDFS
from dossier.runtime.mongo import Document

router = APIRouter(tags=["reports"])

ReportId = Annotated[str, Path(max_length=64)]
Expires = Annotated[int, Query(description="When the link expires (Unix seconds).")]
Signature = Annotated[str, Query(max_length=128, description="The link's signature.")]

#: Headers of the HTML page: nothing may run or load; it may not be sniffed as anything
#: else; following an evidence link tells the other site nothing about where it came from.
#: Framing stays allowed: partners show the report inside their candidate profile.
HTML_SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "private, max-age=300",
}


def html_content_security_policy(style_hash: str) -> str:
    """No scripts, no fetches, no forms, no base URL: only the page's own `<style>` (by hash)
    and, should one ever be embedded, `data:` images."""
    return (
        f"default-src 'none'; style-src '{style_hash}'; img-src data:; "
        "base-uri 'none'; form-action 'none'"
    )


def _invalid_link() -> ProblemError:
    return ProblemError(
        403,
        "invalid-signature",
        "Invalid or expired link",
        "This link is not valid (tampered, expired, or for another kind of document). Fetch "
        "the analysis again for a fresh link.",
    )


def _check_link(ctx: Ctx, kind: LinkKind, report_id: str, expires: int, sig: str) -> None:
    key = ctx.settings.url_signing_key.get_secret_value().encode()
    if not signature_is_valid(key, report_id, expires, sig, kind):
        raise _invalid_link()


def _pdf_response(report_id: str, doc: Document, disposition: str, **headers: str) -> Response:
    return Response(
        bytes(doc["pdf"]),
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'{disposition}; filename="dossier-{report_id}.pdf"',
            **headers,
        },
    )


@router.get(
    "/api/v1/reports/{report_id}/pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}},
    summary="Download a report's PDF (signed link from metadata.pdf_download_url)",
    operation_id="downloadReportPdf",
)
async def download_pdf(report_id: ReportId, ctx: Ctx, expires: Expires, sig: Signature) -> Response:
    _check_link(ctx, LinkKind.PDF, report_id, expires, sig)
    doc = await ctx.db[REPORT_PDFS].find_one({"_id": report_id})
    if doc is None:
        raise not_found("report")
    return _pdf_response(report_id, doc, "inline", **{"Cache-Control": "private, max-age=300"})


@router.get(
    "/api/v1/reports/{report_id}/html",
    operation_id="getReportHtml",
    response_class=Response,
    responses={
        200: {
            "content": {"text/html": {"schema": {"type": "string"}}},
            "description": "The report as one printable HTML page, in the report's language: "
            "no scripts, nothing loaded from elsewhere (a strict `Content-Security-Policy`), "
            "evidence links as plain links.",
        }
    },
    summary="Open a report as a printable HTML page (signed link from metadata.report_url)",
)
async def open_report_page(
    report_id: ReportId, ctx: Ctx, expires: Expires, sig: Signature
) -> Response:
    _check_link(ctx, LinkKind.HTML, report_id, expires, sig)
    doc = await ctx.db[REPORT_PDFS].find_one({"_id": report_id})
    if doc is None or not doc.get("html") or not doc.get("html_style_hash"):
        raise not_found("report page")
    return Response(
        doc["html"],
        media_type="text/html; charset=utf-8",
        headers={
            "Content-Security-Policy": html_content_security_policy(doc["html_style_hash"]),
            **HTML_SECURITY_HEADERS,
        },
    )


_PDF_ETAG = {
    "description": "Strong validator of the PDF's bytes; send it as `If-None-Match`.",
    "schema": {"type": "string"},
}


def pdf_etag(pdf: bytes) -> str:
    return '"' + hashlib.sha256(pdf).hexdigest()[:32] + '"'


def _report_not_ready(doc: Document, retry_after: int) -> ProblemError:
    return ProblemError(
        409,
        "report-not-ready",
        "Report not ready",
        f"This analysis is still {doc['status']} (stage {doc.get('stage') or 'queued'}); its "
        "report exists once it is completed. Poll the analysis, or retry after "
        "Retry-After seconds.",
        headers={"Retry-After": str(retry_after)},
    )


def _no_report(doc: Document) -> ProblemError:
    return ProblemError(
        404,
        "no-report",
        "No report",
        f"This analysis ended {doc['status']}: it has no report.",
    )


@router.get(
    "/api/v1/analyses/{analysis_id}/report.pdf",
    operation_id="getAnalysisReportPdf",
    response_class=Response,
    summary="Download an analysis's report PDF with your API key (never expires)",
    responses={
        200: {
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            "description": "The report's PDF, as `metadata.pdf_download_url` serves it.",
            "headers": {"ETag": _PDF_ETAG},
        },
        304: {
            "description": "Not modified: you already have this PDF (`If-None-Match`).",
            "headers": {"ETag": _PDF_ETAG},
        },
        409: {
            "description": "The analysis is still queued or processing: no report yet "
            "(`report-not-ready`, with `Retry-After`).",
            "headers": {"Retry-After": {"$ref": "#/components/headers/Retry-After"}},
            "content": {
                "application/problem+json": {
                    "schema": {"$ref": "#/components/schemas/Problem"},
                    "example": {
                        "type": "https://dossier.dev/problems/report-not-ready",
                        "title": "Report not ready",
                        "status": 409,
                        "detail": "This analysis is still processing (stage enrichment); its "
                        "report exists once it is completed. Poll the analysis, or retry "
                        "after Retry-After seconds.",
                        "instance": "/api/v1/analyses/an_7Hq2xK9mP4/report.pdf",
                        "request_id": "req_8b7d5a50ee78ef76",
                    },
                }
            },
        },
    },
)
async def download_analysis_pdf(
    doc: Annotated[Document, Depends(owned_analysis)],
    _key: AnalysesRead,
    ctx: Ctx,
    if_none_match: Annotated[
        str | None,
        Header(description="An `ETag` from an earlier download: `304` if the PDF is the same."),
    ] = None,
) -> Response:
    state = AnalysisStatus(doc["status"])
    if not state.is_terminal:
        raise _report_not_ready(doc, ctx.settings.retry_after_seconds)
    if state is not AnalysisStatus.COMPLETED:
        raise _no_report(doc)
    stored = await ctx.db[REPORT_PDFS].find_one({"_id": doc["_id"]})
    if stored is None:
        raise not_found("report")
    pdf = bytes(stored["pdf"])
    etag = pdf_etag(pdf)
    headers = {"ETag": etag, "Cache-Control": "private, no-cache"}
    if none_match_hits(if_none_match, etag):
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers=headers)
    return _pdf_response(doc["_id"], stored, "attachment", **headers)
