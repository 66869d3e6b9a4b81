"""Erasure is final for billing (real FerretDB and Kafka): a charge stays exactly-once across
the erasure of its analysis, and a late or redelivered completion never brings the candidate
id back into the ledger."""

from typing import Any

import pytest
from faststream.kafka import KafkaBroker

from dossier.billing.credits import CreditBook
from dossier.billing.handlers import handle_completed
from dossier.billing.ledger import Ledger
from dossier.billing.usage import GeneratedReports
from dossier.contracts.events import AnalysisContext
from dossier.contracts.timestamps import utcnow
from dossier.runtime.tombstones import Tombstones, pseudonymous_entry, pseudonymous_ledger_id
from dossier.runtime.usage_sheets import analysis_token
from tests.integration.usage.conftest import Store, completed, context, new_partner

pytestmark = pytest.mark.integration


async def charge(store: Store, broker: KafkaBroker, ctx: AnalysisContext) -> None:
    await handle_completed(
        completed(ctx),
        partition=0,
        ledger=Ledger(store.db),
        book=CreditBook(store.db),
        reports=GeneratedReports(store.db),
        broker=broker,
        credits=1,
    )


async def erase_ledger(store: Store, ctx: AnalysisContext) -> None:
    """What the gateway's erasure does to billing's side: bury first, then pseudonymise."""
    await Tombstones(store.db).bury(ctx.partner_id, [ctx.analysis_id])
    ledger = store.db["billing_ledger"]
    entry = await ledger.find_one({"_id": ctx.analysis_id})
    if entry is not None:
        await ledger.insert_one(pseudonymous_entry(entry, ctx.analysis_id, at=utcnow()))
        await ledger.delete_one({"_id": ctx.analysis_id})


async def ledger_of(store: Store, partner: str) -> list[Any]:
    return [
        (d["_id"], d.get("candidate_id"), d["announced"])
        async for d in store.db["billing_ledger"].find({"partner_id": partner})
    ]


async def charges_of(store: Store, ctx: AnalysisContext) -> int:
    return int(
        await store.db["credit_journal"].count_documents(
            {"event": f"charged:{analysis_token(ctx.analysis_id)}"}
        )
    )


async def test_a_completion_redelivered_after_erasure_is_not_charged_again(
    store: Store, broker: KafkaBroker
) -> None:
    ctx = context(new_partner())
    await charge(store, broker, ctx)
    await erase_ledger(store, ctx)

    await charge(store, broker, ctx)  # the same analysis.completed, redelivered

    kept = pseudonymous_ledger_id(ctx.analysis_id)
    assert await ledger_of(store, ctx.partner_id) == [(kept, None, True)]
    assert await charges_of(store, ctx) == 1


async def test_a_completion_that_arrives_after_the_erasure_is_charged_once_pseudonymously(
    store: Store, broker: KafkaBroker
) -> None:
    ctx = context(new_partner())
    await erase_ledger(store, ctx)  # billing lagged: nothing to pseudonymise yet

    await charge(store, broker, ctx)
    await charge(store, broker, ctx)

    kept = pseudonymous_ledger_id(ctx.analysis_id)
    assert await ledger_of(store, ctx.partner_id) == [(kept, None, True)]
    assert await charges_of(store, ctx) == 1
