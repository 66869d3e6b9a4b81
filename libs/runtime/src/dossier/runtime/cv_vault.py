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
from pymongo.errors import DuplicateKeyError

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


def _seal_text(key: bytes, analysis_id: str, plaintext: str) -> str:
    return base64.b64encode(_seal(key, plaintext.encode(), analysis_id.encode())).decode()


class AnalysisKey:
    """One analysis's data key in memory, for the few moments a stage needs it."""

    def __init__(self, analysis_id: str, key: bytes) -> None:
        self._analysis_id, self._key = analysis_id, key

    def seal(self, plaintext: str) -> str:
        return _seal_text(self._key, self._analysis_id, plaintext)

    def open(self, token: str) -> str:
        try:
            return _open(self._key, base64.b64decode(token), self._analysis_id.encode()).decode()
        except (InvalidTag, ValueError) as exc:
            raise CvKeyShreddedError(self._analysis_id) from exc


class CvVault:
    """Per-analysis data keys in MongoDB, wrapped by the master key."""

    def __init__(self, keys: AsyncCollection[Document], master_key: bytes) -> None:
        self._keys = keys
        self._master = master_key

    async def create_key(self, analysis_id: str) -> bytes:
        """Create the analysis's data key and return it; an existing key is kept and returned."""
        key = AESGCM.generate_key(bit_length=256)
        wrapped = _seal(self._master, key, analysis_id.encode())
        try:
            await self._keys.insert_one(
                {"_id": analysis_id, "wrapped_key": wrapped, "created_at": utcnow()}
            )
        except DuplicateKeyError:
            return await self._data_key(analysis_id)
        return key

    async def seal_new(self, analysis_id: str, plaintext: str) -> str:
        """Create the data key and seal with it, without reading back what was just written."""
        key = await self.create_key(analysis_id)
        return _seal_text(key, analysis_id, plaintext)

    async def _data_key(self, analysis_id: str) -> bytes:
        doc = await self._keys.find_one({"_id": analysis_id})
        if doc is None:
            raise CvKeyShreddedError(analysis_id)
        return _open(self._master, bytes(doc["wrapped_key"]), analysis_id.encode())

    async def seal(self, analysis_id: str, plaintext: str) -> str:
        return _seal_text(await self._data_key(analysis_id), analysis_id, plaintext)

    async def open(self, analysis_id: str, token: str) -> str:
        """Decrypt; raises `CvKeyShreddedError` when the key was deleted or does not fit."""
        return (await self.key_for(analysis_id)).open(token)

    async def key_for(self, analysis_id: str) -> "AnalysisKey":
        """The analysis's data key, read once for several seals and opens."""
        return AnalysisKey(analysis_id, await self._data_key(analysis_id))

    async def shred(self, analysis_id: str) -> None:
        await self._keys.delete_one({"_id": analysis_id})
