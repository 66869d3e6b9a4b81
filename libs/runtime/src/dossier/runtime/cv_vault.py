"""Crypto-shredding for CV-derived data on the bus.

Each analysis gets its own random data key. Whatever the pipeline publishes that
was read from the CV (the CV itself, the claims) is sealed with that key
(AES-256-GCM, the analysis id as associated data). The data key is kept in
MongoDB only wrapped by the master key, and is deleted when the analysis
reaches a terminal state — from then on the copies Kafka retains are noise.
The CV text itself never touches MongoDB.
"""

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from pymongo.asynchronous.collection import AsyncCollection

from dossier.contracts.timestamps import utcnow
from dossier.runtime.mongo import Document

_NONCE_BYTES = 12


class CvKeyShreddedError(Exception):
    """The analysis's data key is gone: what was sealed with it can no longer be read."""


def _seal(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    nonce = os.urandom(_NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def _open(key: bytes, blob: bytes, aad: bytes) -> bytes:
    return AESGCM(key).decrypt(blob[:_NONCE_BYTES], blob[_NONCE_BYTES:], aad)


class CvVault:
    """Per-analysis data keys in MongoDB, wrapped by the master key."""

    def __init__(self, keys: AsyncCollection[Document], master_key: bytes) -> None:
        self._keys = keys
        self._master = master_key

    async def create_key(self, analysis_id: str) -> None:
        """Create the analysis's data key; idempotent (an existing key is kept)."""
        wrapped = _seal(self._master, AESGCM.generate_key(bit_length=256), analysis_id.encode())
        await self._keys.update_one(
            {"_id": analysis_id},
            {"$setOnInsert": {"wrapped_key": wrapped, "created_at": utcnow()}},
            upsert=True,
        )

    async def _data_key(self, analysis_id: str) -> bytes:
        doc = await self._keys.find_one({"_id": analysis_id})
        if doc is None:
            raise CvKeyShreddedError(analysis_id)
        return _open(self._master, bytes(doc["wrapped_key"]), analysis_id.encode())

    async def seal(self, analysis_id: str, plaintext: str) -> str:
        key = await self._data_key(analysis_id)
        blob = _seal(key, plaintext.encode(), analysis_id.encode())
        return base64.b64encode(blob).decode()

    async def open(self, analysis_id: str, token: str) -> str:
        """Decrypt; raises `CvKeyShreddedError` when the key was deleted or does not fit."""
        key = await self._data_key(analysis_id)
        try:
            return _open(key, base64.b64decode(token), analysis_id.encode()).decode()
        except (InvalidTag, ValueError) as exc:
            raise CvKeyShreddedError(analysis_id) from exc

    async def shred(self, analysis_id: str) -> None:
        await self._keys.delete_one({"_id": analysis_id})
