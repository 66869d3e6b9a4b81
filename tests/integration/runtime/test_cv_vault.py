"""Crypto-shredding against a real MongoDB-protocol server."""

from typing import Any

import pytest

from dossier.runtime.cv_vault import CvKeyShreddedError, CvVault

pytestmark = pytest.mark.integration


async def test_sealed_text_opens_until_the_key_is_shredded(mongo_db: Any) -> None:
    vault = CvVault(mongo_db["cv_keys"], b"m" * 32)
    await vault.create_key("an_1")
    token = await vault.seal("an_1", "Jane Doe — CANARY")

    assert "CANARY" not in token
    assert await vault.open("an_1", token) == "Jane Doe — CANARY"
    stored = await mongo_db["cv_keys"].find_one({"_id": "an_1"})
    assert b"CANARY" not in bytes(stored["wrapped_key"])

    await vault.shred("an_1")

    with pytest.raises(CvKeyShreddedError):
        await vault.open("an_1", token)


async def test_a_token_cannot_be_opened_under_another_analysis(mongo_db: Any) -> None:
    vault = CvVault(mongo_db["cv_keys"], b"m" * 32)
    await vault.create_key("an_1")
    await vault.create_key("an_2")
    token = await vault.seal("an_1", "secret")

    with pytest.raises(CvKeyShreddedError):
        await vault.open("an_2", token)
