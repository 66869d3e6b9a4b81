"""Rendered reports in MongoDB, one document per report: the PDF (a few hundred KB: well
under the document limit) and, in the same write, its HTML page (tens of KB)."""

from dataclasses import dataclass

from bson import Binary
from pymongo.asynchronous.database import AsyncDatabase

from dossier.contracts.timestamps import utcnow
from dossier.runtime.collections import REPORT_PDFS
from dossier.runtime.mongo import Document


@dataclass(frozen=True)
class HtmlPage:
    """A report's HTML page and the CSP hash of its one `<style>` (the gateway sends it)."""

    html: str
    style_hash: str


class PdfStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._pdfs = db[REPORT_PDFS]

    async def put(self, report_id: str, partner_id: str, pdf: bytes, page: HtmlPage) -> None:
        """Both renderings in one write, so they always describe the same report."""
        await self._pdfs.update_one(
            {"_id": report_id},
            {
                "$set": {
                    "pdf": Binary(pdf),
                    "html": page.html,
                    "html_style_hash": page.style_hash,
                    "partner_id": partner_id,
                    "created_at": utcnow(),
                }
            },
            upsert=True,
        )

    async def delete(self, report_id: str) -> None:
        await self._pdfs.delete_one({"_id": report_id})
