"""`GET /api/v1/reports/{id}/pdf`: the report's PDF, behind a signed, expiring link."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from dossier.gateway.dependencies import Ctx
from dossier.gateway.problems import ProblemError, not_found
from dossier.gateway.reports.links import signature_is_valid
from dossier.runtime.collections import REPORT_PDFS

router = APIRouter(tags=["reports"])


@router.get(
    "/api/v1/reports/{report_id}/pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}},
    summary="Download a report's PDF (signed link from metadata.pdf_download_url)",
    operation_id="downloadReportPdf",
)
async def download_pdf(
    report_id: Annotated[str, Path(max_length=64)],
    ctx: Ctx,
    expires: Annotated[int, Query()],
    sig: Annotated[str, Query(max_length=128)],
) -> Response:
    key = ctx.settings.url_signing_key.get_secret_value().encode()
    if not signature_is_valid(key, report_id, expires, sig):
        raise ProblemError(
            403,
            "invalid-signature",
            "Invalid or expired link",
            "This download link is not valid (tampered or expired). Fetch the analysis again "
            "for a fresh link.",
        )
    doc = await ctx.db[REPORT_PDFS].find_one({"_id": report_id})
    if doc is None:
        raise not_found("report")
    return Response(
        bytes(doc["pdf"]),
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="dossier-{report_id}.pdf"',
            "Cache-Control": "private, max-age=300",
        },
    )
