"""The partner-wide export (GDPR art. 15/20 for the partner's own account): one JSON document
with everything Dossier holds for the partner.

It is streamed, section by section and item by item as the cursors deliver them,
rather than paginated: a partner gets one self-contained document, and the
gateway's memory stays flat however many analyses there are. The shape is
`PartnerExport`; each item is the same model the API serves elsewhere, so keys
carry no hash and webhooks no secret by construction. Every section is the key's
environment only — analyses, keys, webhooks (deleted ones included), the ledger
(live charges; the sandbox is never billed) and the audit chain — so a test key
leaked from a CI log exports nothing of production. Analyses' PDF link is the
stable path, not a signed URL that would expire inside an archive.
"""

import json
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass

from pydantic import BaseModel
from pymongo.asynchronous.database import AsyncDatabase

from dossier.contracts.enums import Environment
from dossier.contracts.keys import Scope
from dossier.contracts.privacy import AuditEntry, LedgerEntry, PartnerSummary
from dossier.contracts.timestamps import format_timestamp, utcnow
from dossier.contracts.webhooks import Webhook
from dossier.gateway.analyses.partner_log import PartnerAnalyses
from dossier.gateway.audit.trail import AuditTrail
from dossier.gateway.auth.repository import Partner, PartnerRepository
from dossier.gateway.keys.service import present as present_key
from dossier.runtime.collections import LEDGER
from dossier.runtime.dense import fetch_many
from dossier.runtime.mongo import Document
from dossier.runtime.presenter import present
from dossier.runtime.read_model import AnalysisReadModel
from dossier.runtime.webhook_registry import WebhookRegistry

log = logging.getLogger(__name__)

_KNOWN_SCOPES = {scope.value for scope in Scope}


def ledger_item(doc: Document) -> LedgerEntry:
    return LedgerEntry(
        id=doc["_id"],
        client_id=doc.get("client_id"),
        candidate_id=doc.get("candidate_id"),
        channel=doc.get("channel"),
        credits=int(doc.get("credits", 0)),
        charged_at=doc["charged_at"],
        pseudonymised=bool(doc.get("pseudonymised", False)),
    )


@dataclass(frozen=True)
class PartnerExporter:
    db: AsyncDatabase[Document]
    read_model: AnalysisReadModel
    audit: AuditTrail

    async def stream(self, partner: Partner, environment: Environment) -> AsyncIterator[str]:
        """The export as JSON text, in chunks."""
        summary = PartnerSummary(id=partner.id, name=partner.name, plan=partner.plan)
        yield (
            '{"partner":'
            + summary.model_dump_json()
            + ',"environment":'
            + json.dumps(environment.value)
            + ',"generated_at":'
            + json.dumps(format_timestamp(utcnow()))
        )
        yield ',"analyses":'
        async for chunk in _array(self._analyses(partner.id, environment)):
            yield chunk
        yield ',"keys":'
        async for chunk in _array(self._keys(partner.id, environment)):
            yield chunk
        yield ',"webhooks":'
        async for chunk in _array(self._webhooks(partner.id, environment)):
            yield chunk
        yield ',"usage":'
        async for chunk in _array(self._ledger(partner.id, environment)):
            yield chunk
        yield ',"audit":'
        async for chunk in _array(self._audit(partner.id, environment)):
            yield chunk
        yield "}"

    async def _analyses(
        self, partner_id: str, environment: Environment
    ) -> AsyncIterator[BaseModel]:
        async for entry in PartnerAnalyses(self.db).entries(partner_id, environment):
            view = await self.read_model.get_for_partner(entry["analysis_id"], partner_id)
            if view is not None:  # erased (or never published: it lost a reuse race)
                yield present(view)

    async def _keys(self, partner_id: str, environment: Environment) -> AsyncIterator[BaseModel]:
        keys = await PartnerRepository(self.db).list_keys(partner_id, environment=environment)
        for record in reversed(keys):
            yield present_key(record)  # as `GET /api/v1/keys` shows it

    async def _webhooks(
        self, partner_id: str, environment: Environment
    ) -> AsyncIterator[BaseModel]:
        """The environment's endpoints, deleted ones included, from the webhook registry
        (keyed reads: its versions)."""
        endpoints = await WebhookRegistry(self.db).ever_listed(partner_id, environment.value)
        for endpoint in sorted(endpoints, key=lambda e: e["created_at"]):
            yield Webhook.model_validate(endpoint)

    async def _ledger(self, partner_id: str, environment: Environment) -> AsyncIterator[BaseModel]:
        """Charges: live analyses only (the sandbox is never billed, so a test key has none)."""
        if environment is not Environment.LIVE:
            return
        log = PartnerAnalyses(self.db)
        ids = [log.ledger_id(e) async for e in log.entries(partner_id, Environment.LIVE)]
        for doc in await fetch_many(self.db[LEDGER], ids):
            if doc is not None and doc.get("partner_id") == partner_id:
                yield ledger_item(doc)

    async def _audit(self, partner_id: str, environment: Environment) -> AsyncIterator[BaseModel]:
        async for entry in self.audit.iter_entries(partner_id, environment):
            yield AuditEntry.model_validate(entry)


async def _array(items: AsyncIterator[BaseModel]) -> AsyncIterator[str]:
    yield "["
    first = True
    async for item in items:
        yield ("" if first else ",") + item.model_dump_json()
        first = False
    yield "]"
