"""Rendered PDFs in MongoDB, one per report (a few hundred KB: well under the document limit)."""

from bson import Binary
from pymongo.asynchronous.database import AsyncDatabase

from dossier.contracts.timestamps import utcnow
from dossier.runtime.collections import REPORT_PDFS
from dossier.runtime.mongo import Document


class PdfStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._pdfs = db[REPORT_PDFS]

    async def put(self, report_id: str, partner_id: str, pdf: bytes) -> None:
        await self._pdfs.update_one(
            {"_id": report_id},
            {"$set": {"pdf": Binary(pdf), "partner_id": partner_id, "created_at": utcnow()}},
            upsert=True,
        )

    async def delete(self, report_id: str) -> None:
        await self._pdfs.delete_one({"_id": report_id})
