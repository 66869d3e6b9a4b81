"""CvParserPool: CVs parsed in real worker processes, under a time budget."""

import asyncio
import datetime as dt
import time
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from dossier.contracts.enums import Language
from dossier.identity.cv_worker import CvParserPool
from dossier.identity.domain.consistency import unread_cv_signal
from dossier.identity.settings import IdentitySettings

TODAY = dt.date(2026, 6, 29)
CV = "Anna Muster\nExperience\nSenior Engineer at Acme GmbH, 2019 - 2021\n"
#: Linear but long: many entry lines take far more than a few milliseconds to parse.
LONG_CV = "Experience\n" + "\n".join(
    f"Engineer at Acme{i} 20{i % 20:02d} - 2021 · {i % 9} yrs" for i in range(1_900)
)


@pytest_asyncio.fixture
async def pool() -> AsyncIterator[CvParserPool]:
    parsers = CvParserPool(workers=1, budget_seconds=60)
    await parsers.start()
    yield parsers
    await parsers.close()


async def test_a_cv_is_parsed_in_a_worker_process(pool: CvParserPool) -> None:
    claims = await pool.parse(CV, TODAY)

    assert claims is not None
    assert claims.full_name == "Anna Muster"
    assert [job.employer for job in claims.employments] == ["Acme GmbH"]


async def test_a_parse_over_budget_yields_none_and_the_worker_is_replaced(
    pool: CvParserPool,
) -> None:
    await pool.parse(CV, TODAY)  # the worker is up
    [first] = pool.worker_pids()
    pool.budget_seconds = 0.001

    assert await pool.parse(LONG_CV, TODAY) is None
    assert pool.timeouts == 1

    pool.budget_seconds = 60
    claims = await pool.parse(CV, TODAY)  # waits for the replacement to be ready
    assert claims is not None
    assert claims.full_name == "Anna Muster"
    assert pool.worker_pids() != [first]


async def test_an_answer_that_arrives_after_the_budget_is_not_used(pool: CvParserPool) -> None:
    """A busy or descheduled process can reach the worker's reply before its own timer:
    the budget still holds (the flaky e2e run of 2026-12-07 was this)."""
    await pool.parse(CV, TODAY)  # the worker is up
    started = time.monotonic()
    assert await pool.parse(LONG_CV, TODAY) is not None
    pool.budget_seconds = 3 * (time.monotonic() - started)  # a budget the parse fits in

    async def hog_the_loop() -> None:
        while pool._idle.qsize():  # the parse takes the worker…
            await asyncio.sleep(0)
        for _ in range(5):  # …and sends the CV (a few steps of its task)
            await asyncio.sleep(0)
        time.sleep(4 * pool.budget_seconds)  # the reply and the timer are both due after this

    claims, _ = await asyncio.gather(pool.parse(LONG_CV, TODAY), hog_the_loop())

    assert claims is None
    assert pool.timeouts == 1
    pool.budget_seconds = 60
    assert await pool.parse(CV, TODAY) is not None  # the worker answered: it stays


async def test_parses_wait_for_a_free_worker_without_spending_their_budget(
    pool: CvParserPool,
) -> None:
    results = await asyncio.gather(*(pool.parse(CV, TODAY) for _ in range(4)))

    assert all(r is not None and r.full_name == "Anna Muster" for r in results)
    assert pool.timeouts == 0


def test_the_budget_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOSSIER_CV_PARSE_BUDGET_SECONDS", "2.5")
    monkeypatch.setenv("DOSSIER_CV_PARSE_WORKERS", "3")

    settings = IdentitySettings()

    assert settings.cv_parse_budget_seconds == 2.5
    assert settings.cv_parse_workers == 3
    assert IdentitySettings.model_fields["cv_parse_budget_seconds"].default == 5.0


@pytest.mark.parametrize("language", list(Language))
def test_an_unread_cv_is_a_neutral_finding_in_every_language(language: Language) -> None:
    signal = unread_cv_signal(language)

    assert signal.claim == "cv.parsed"
    assert signal.stance is not None
    assert signal.stance.value == "neutral"
    assert signal.id == unread_cv_signal(Language.EN).id
    assert signal.statement
