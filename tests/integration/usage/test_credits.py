"""The monthly credit limit on a real FerretDB and Kafka: the credit journal under
concurrent writers, billing's charges and releases under redelivery, the gateway's check."""

import asyncio
from typing import Any

import pytest
from faststream.kafka import KafkaBroker

from dossier.billing.credits import CreditBook
from dossier.billing.handlers import handle_completed, handle_ended
from dossier.billing.ledger import Ledger
from dossier.billing.usage import GeneratedReports
from dossier.contracts.enums import Environment
from dossier.contracts.events import AnalysisContext
from dossier.contracts.timestamps import utcnow
from dossier.contracts.topics import ANALYSIS_CANCELED
from dossier.gateway.problems import ProblemError
from dossier.gateway.usage.repository import UsageRepository
from dossier.gateway.usage.service import CreditGuard, UsageService
from dossier.runtime.credit_journal import CreditJournal, advance, link_id
from dossier.runtime.usage_sheets import analysis_token
from tests.integration.usage.conftest import Store, completed, context, new_partner

pytestmark = pytest.mark.integration


class Billing:
    """Billing's collaborators as its app wires them (one process)."""

    def __init__(self, store: Store, broker: KafkaBroker) -> None:
        self.ledger = Ledger(store.db)
        self.book = CreditBook(store.db)
        self.reports = GeneratedReports(store.db)
        self.broker = broker

    async def complete(self, ctx: AnalysisContext, partition: int = 0) -> None:
        await handle_completed(
            completed(ctx),
            partition=partition,
            ledger=self.ledger,
            book=self.book,
            reports=self.reports,
            broker=self.broker,
            credits=1,
        )

    async def cancel(self, ctx: AnalysisContext) -> None:
        await handle_ended(ctx.analysis_id, ctx.partner_id, topic=ANALYSIS_CANCELED, book=self.book)


async def partner_with_limit(store: Store, limit: int | None) -> str:
    partner = new_partner()
    await store.db["partners"].insert_one({"_id": partner, "monthly_credits": limit})
    return partner


def guard(store: Store) -> CreditGuard:
    return CreditGuard(UsageService(UsageRepository(store.db)))


async def position(store: Store, partner: str) -> tuple[int, int]:
    return await UsageRepository(store.db).credit_position(partner, utcnow())


async def links(store: Store, partner: str) -> list[dict[str, Any]]:
    found, seq = [], 1
    while link := await store.db["credit_journal"].find_one({"_id": link_id(partner, seq)}):
        found.append(link)
        seq += 1
    return found


async def test_running_analyses_reach_the_limit_before_billing_charges_them(store: Store) -> None:
    partner = await partner_with_limit(store, 2)
    gateway = guard(store)

    for _ in range(2):
        await gateway.check(partner, Environment.LIVE)
        await gateway.accepted(context(partner))

    with pytest.raises(ProblemError) as refused:
        await gateway.check(partner, Environment.LIVE)
    assert refused.value.status == 402
    assert "0 charged this month and 2 in analyses still running" in refused.value.detail
    await gateway.check(partner, Environment.TEST)  # the sandbox is never limited


async def test_a_charge_moves_a_held_credit_to_used_and_a_cancel_gives_it_back(
    store: Store, broker: KafkaBroker
) -> None:
    partner = await partner_with_limit(store, 2)
    gateway, billing = guard(store), Billing(store, broker)
    first, second = context(partner), context(partner)
    await gateway.accepted(first)
    await gateway.accepted(second)

    await billing.complete(first)
    assert await position(store, partner) == (1, 1)
    await billing.cancel(second)
    assert await position(store, partner) == (1, 0)

    await gateway.check(partner, Environment.LIVE)  # 1 of 2 used, nothing running


async def test_a_redelivered_charge_is_charged_and_counted_once(
    store: Store, broker: KafkaBroker
) -> None:
    partner = await partner_with_limit(store, 5)
    ctx = context(partner)
    await guard(store).accepted(ctx)
    billing = Billing(store, broker)

    await billing.complete(ctx, partition=3)
    await billing.complete(ctx, partition=3)
    await Billing(store, broker).complete(ctx, partition=3)  # after a restart

    assert await position(store, partner) == (1, 0)
    assert [link["event"].split(":")[0] for link in await links(store, partner)] == [
        "accepted",
        "charged",
    ]
    assert await store.db["billing_ledger"].count_documents({"_id": ctx.analysis_id}) == 1
    sheet = await store.db["usage_charges"].find_one({"partner_id": partner})
    assert sheet is not None
    assert list(sheet["generated"]) == [analysis_token(ctx.analysis_id)]


async def test_a_charge_redelivered_after_a_crash_before_announcing_is_not_appended_again(
    store: Store, broker: KafkaBroker
) -> None:
    partner = await partner_with_limit(store, 5)
    ctx = context(partner)
    first_attempt = Billing(store, broker)
    before = await first_attempt.book.before_charge(partner, ctx.analysis_id)
    charge = await first_attempt.ledger.charge_once(completed(ctx), 1, chain_from=before.head.seq)
    await first_attempt.book.charge(partner, ctx.analysis_id, charge, before)  # then it died

    await Billing(store, broker).complete(ctx)

    assert await position(store, partner) == (1, 0)
    assert len(await links(store, partner)) == 1
    entry = await store.db["billing_ledger"].find_one({"_id": ctx.analysis_id})
    assert entry is not None
    assert (entry["announced"], entry["chain_seq"]) == (True, 1)


async def test_a_release_redelivered_after_a_crash_is_appended_once(store: Store) -> None:
    partner = await partner_with_limit(store, 5)
    ctx = context(partner)
    await guard(store).accepted(ctx)
    book = CreditBook(store.db)
    journal = book.journal
    token = analysis_token(ctx.analysis_id)
    # A first attempt that recorded where it started and appended, then died.
    head = await journal.head(partner)
    await journal.holds.update_one(
        {"_id": f"{partner}:{token}"}, {"$set": {"release_from": head.seq}}
    )
    hold = await journal.held(partner, token)
    assert hold is not None
    await journal.append(
        partner, f"released:{token}", lambda t: advance(t, hold["month"], settles=hold["month"])
    )

    assert await CreditBook(store.db).release(partner, ctx.analysis_id)
    assert not await CreditBook(store.db).release(partner, ctx.analysis_id)
    assert await position(store, partner) == (0, 0)

    assert [link["event"].split(":")[0] for link in await links(store, partner)] == [
        "accepted",
        "released",
    ]


async def test_sandbox_reports_are_counted_in_usage_but_never_charged(
    store: Store, broker: KafkaBroker
) -> None:
    partner = await partner_with_limit(store, 1)
    ctx = context(partner, environment=Environment.TEST)
    await guard(store).accepted(ctx)
    billing = Billing(store, broker)

    await billing.complete(ctx)
    await billing.complete(ctx)

    assert await store.db["billing_ledger"].find_one({"_id": ctx.analysis_id}) is None
    assert await links(store, partner) == []
    sheet = await store.db["usage_charges"].find_one({"partner_id": partner})
    assert sheet is not None
    assert sheet["environment"] == "test"
    assert list(sheet["generated"].values()) == [
        {"client_id": "acme", "channel": "v1", "credits": 0}
    ]


async def test_partners_without_a_limit_hold_nothing(store: Store) -> None:
    partner = await partner_with_limit(store, None)

    await guard(store).accepted(context(partner))
    await guard(store).check(partner, Environment.LIVE)

    assert await links(store, partner) == []


async def test_gateways_and_billing_appending_at_once_lose_no_event(
    store: Store, broker: KafkaBroker
) -> None:
    partner = await partner_with_limit(store, 1_000)
    gateways = [guard(store), guard(store), guard(store)]
    billings = [Billing(store, broker), Billing(store, broker)]
    charged = [context(partner) for _ in range(12)]
    for ctx in charged:
        await gateways[0].accepted(ctx)

    await asyncio.gather(
        *(gateways[i % 3].accepted(context(partner)) for i in range(24)),
        *(billings[i % 2].complete(ctx, partition=i % 2) for i, ctx in enumerate(charged)),
    )

    chain = await links(store, partner)
    assert [link["seq"] for link in chain] == list(range(1, 12 + 24 + 12 + 1))
    assert await position(store, partner) == (12, 24)
    assert len({link["event"] for link in chain}) == len(chain)


async def test_the_check_and_every_credit_write_are_by_id(
    store: Store, broker: KafkaBroker
) -> None:
    partner = await partner_with_limit(store, 3)
    gateway, billing = guard(store), Billing(store, broker)
    store.recorder.filters.clear()

    for _ in range(3):
        await gateway.check(partner, Environment.LIVE)
        ctx = context(partner)
        await gateway.accepted(ctx)
    await billing.complete(ctx)
    await billing.cancel(ctx)  # already charged: nothing to release
    with pytest.raises(ProblemError):
        await gateway.check(partner, Environment.LIVE)

    assert store.recorder.filters
    assert store.recorder.not_by_id() == []


async def test_a_new_process_finds_the_head_of_a_long_chain_quickly(store: Store) -> None:
    partner = new_partner()
    writer = CreditJournal(store.db)
    for _ in range(300):
        await writer.append(partner, "e", lambda t: advance(t, "2026-06", credits=1))
    store.recorder.filters.clear()

    head = await CreditJournal(store.db).head(partner)

    assert head.seq == 300
    assert head.totals is not None
    assert head.totals.credits == 300
    assert len(store.recorder.filters) < 60
