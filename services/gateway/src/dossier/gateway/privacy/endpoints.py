"""Placeholder: filled in by the feature's own change."""

from fastapi import APIRouter
from pymongo.asynchronous.database import AsyncDatabase

from dossier.runtime.mongo import Document

router = APIRouter()


async def ensure_indexes(db: AsyncDatabase[Document]) -> None:
    """Create this feature's indexes (called once at startup)."""
