"""Billing's usage sheets (`dossier.runtime.usage_sheets`): reports generated, per partner,
environment, UTC day and partition of `analysis.completed`.

The writer of a sheet is the partition (`p<n>`): one consumer owns a partition at
a time and a redelivered message comes back on the same one, so each sheet has one
writer. Each report is an entry keyed by its analysis token — `$set`, so writing it
again changes nothing. Live entries carry the credits charged; sandbox (test-key)
reports are counted with 0 credits: they are never billed, but usage shows them.
"""

from datetime import datetime

from faststream.kafka import KafkaMessage
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from dossier.contracts.events import AnalysisContext
from dossier.contracts.timestamps import utcnow
from dossier.runtime.collections import USAGE_CHARGES
from dossier.runtime.mongo import Document
from dossier.runtime.usage_sheets import (
    Writer,
    WriterRegistry,
    analysis_token,
    day_key,
    sheet_id,
)


def partition_of(message: KafkaMessage) -> int:
    """The Kafka partition a message was consumed from."""
    raw = message.raw_message
    record = raw[0] if isinstance(raw, tuple) else raw
    return int(record.partition)


class GeneratedReports:
    """One instance per process (it remembers which months its partitions registered)."""

    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._sheets: AsyncCollection[Document] = db[USAGE_CHARGES]
        self._registry = WriterRegistry(db)

    async def record(
        self, context: AnalysisContext, *, partition: int, at: datetime, credits: int
    ) -> None:
        """Count one generated report on the day of `at` (stable across redeliveries)."""
        writer = Writer(f"p{partition}", USAGE_CHARGES)
        await self._registry.register(context.partner_id, context.environment, at, writer)
        try:
            await self._write(context, writer, at, credits)
        except DuplicateKeyError:
            # Two first writes of the day's sheet upserting at once: the loser updates it now.
            await self._write(context, writer, at, credits)

    async def _write(
        self, context: AnalysisContext, writer: Writer, at: datetime, credits: int
    ) -> None:
        await self._sheets.update_one(
            {"_id": sheet_id(context.partner_id, context.environment, at, writer.name)},
            {
                "$set": {
                    f"generated.{analysis_token(context.analysis_id)}": {
                        "client_id": context.client.id,
                        "channel": context.channel.value,
                        "credits": credits,
                    },
                    "updated_at": utcnow(),
                },
                "$setOnInsert": {
                    "partner_id": context.partner_id,
                    "environment": context.environment.value,
                    "day": day_key(at),
                    "writer": writer.name,
                },
            },
            upsert=True,
        )
