"""The audit trail: append-only and hash-chained, one chain per partner.

Each entry carries `prev_hash` and `hash = sha256(prev_hash + canonical JSON of
the entry)`, so altering, removing or reordering a stored row breaks every hash
after it (`verify`). Entries are appended by unique insert of `<partner>:<seq>`:
two gateways appending at once cannot both take the same position (the loser
re-reads the head and tries the next one), which is the only race-safe write
on a store whose conditional updates are not atomic (see docs/architecture).

Entries never carry personal data: a candidate appears as `subject`, an HMAC of
partner + client + candidate id under a per-deployment key (`subject_of`), which
survives erasure without identifying anyone. The key matters: ATS ids are often
sequential, so an unkeyed digest could be reversed by hashing every plausible id.
Subjects written before the key (`sub_` + plain SHA-256) stay as they were —
the chain hashes the stored value, so they keep verifying — but they do not
match the keyed subjects (`sbj_`) written since for the same candidate.

One chain per partner *and environment*: live entries (and every entry written
before the split) are the chain `<partner>`, sandbox entries the chain
`<partner>:test`, so a test key's export and verification never show live
activity, and each chain verifies on its own. An entry's environment comes from
the caller (`environment=`), else its `details.environment`, else the acting
key's record; anything else (the operator) is live.

Erasure and the chain. An entry's `target` may be an analysis id, which an
erased candidate must not leave behind. Entries therefore carry `target_digest`
(sha256 of the target) and the hash covers the digest, not the raw target: an
erasure replaces `target` with `REDACTED_TARGET` (`redact_targets`) and every
hash still verifies, while any other change to `target` is caught because it no
longer matches its digest. Entries written before `target_digest` existed are
hashed over `target` itself and verify as before.
"""

import hashlib
import hmac
import json
from collections.abc import AsyncIterator, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from dossier.contracts.enums import Environment
from dossier.contracts.timestamps import format_timestamp, utcnow
from dossier.runtime.collections import API_KEYS, AUDIT_TRAIL
from dossier.runtime.mongo import Document
from dossier.runtime.sequenced_log import SequencedLog

GENESIS = "0" * 64

#: Fields covered by an entry's hash, in this order.
CHAINED_FIELDS = ("seq", "at", "partner_id", "actor", "action", "target", "details")
#: What an erased target reads as; its `target_digest` (and so the chain) is kept.
REDACTED_TARGET = "[erased]"


def target_digest(target: str) -> str:
    return hashlib.sha256(target.encode()).hexdigest()


@cache
def _deployment_pseudonym_key() -> bytes:
    """This deployment's pseudonym key, from the gateway's settings (read once)."""
    from dossier.gateway.settings import GatewaySettings  # noqa: PLC0415 - settings import lazily

    return GatewaySettings().audit_pseudonym_key_bytes()


def subject_of(
    partner_id: str, client_id: str, candidate_id: str, *, key: bytes | None = None
) -> str:
    """A stable pseudonym for a candidate in the audit trail (no raw ids): an HMAC under
    the deployment's pseudonym key (`key` overrides it, for tests and tools)."""
    message = f"{partner_id}\x1f{client_id}\x1f{candidate_id}".encode()
    secret = key if key is not None else _deployment_pseudonym_key()
    return f"sbj_{hmac.new(secret, message, hashlib.sha256).hexdigest()[:32]}"


def legacy_subject_of(partner_id: str, client_id: str, candidate_id: str) -> str:
    """The unkeyed pseudonym entries carried before `subject_of` was keyed (to find them)."""
    digest = hashlib.sha256(f"{partner_id}\x1f{client_id}\x1f{candidate_id}".encode()).hexdigest()
    return f"sub_{digest[:24]}"


def chain_owner(partner_id: str, environment: Environment) -> str:
    """The live chain keeps the partner's own id (every entry before the split is there)."""
    return partner_id if environment is Environment.LIVE else f"{partner_id}:{environment.value}"


def entry_hash(prev_hash: str, entry: Mapping[str, Any]) -> str:
    payload = {name: entry[name] for name in CHAINED_FIELDS if name != "target"}
    if entry.get("target_digest") is not None:
        payload["target_digest"] = entry["target_digest"]
    else:  # an entry written before targets were digested
        payload["target"] = entry["target"]
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((prev_hash + canonical).encode()).hexdigest()


def _target_intact(entry: Mapping[str, Any]) -> bool:
    digest = entry.get("target_digest")
    if digest is None:
        return True  # legacy entry: the raw target is hashed itself
    return bool(entry["target"] == REDACTED_TARGET or target_digest(entry["target"]) == digest)


@dataclass(frozen=True)
class ChainCheck:
    valid: bool
    entries: int
    first_invalid_seq: int | None
    head_hash: str
    first_seq: int


class ChainVerifier:
    """Checks a chain entry by entry, so a long chain never has to sit in memory.

    A full chain starts at seq 1 from `GENESIS`. A segment (an export between two
    instants) starts wherever its first row says; it proves the rows are linked,
    and its first `prev_hash` can be compared with the full chain's.
    """

    def __init__(self, *, segment: bool = False) -> None:
        self._segment = segment
        self._expected_seq = 1
        self._prev = GENESIS
        self._count = 0
        self._first_seq = 1
        self.first_invalid_seq: int | None = None

    def feed(self, entry: Mapping[str, Any]) -> bool:
        """Check the next entry. False once the chain is broken (later entries are counted)."""
        if self._count == 0 and self._segment:
            self._expected_seq = int(entry["seq"])
            self._first_seq = self._expected_seq
            self._prev = str(entry["prev_hash"])
        self._count += 1
        if self.first_invalid_seq is not None:
            return False
        intact = (
            entry["seq"] == self._expected_seq
            and entry["prev_hash"] == self._prev
            and _target_intact(entry)
            and entry_hash(self._prev, entry) == entry["hash"]
        )
        if not intact:
            # The position where the chain breaks: a deleted row reads as its own seq,
            # a swapped row as the seq that should have been there.
            self.first_invalid_seq = self._expected_seq
            return False
        self._prev = str(entry["hash"])
        self._expected_seq += 1
        return True

    def result(self) -> ChainCheck:
        return ChainCheck(
            valid=self.first_invalid_seq is None,
            entries=self._count,
            first_invalid_seq=self.first_invalid_seq,
            head_hash=self._prev if self._count else GENESIS,
            first_seq=self._first_seq,
        )


def verify_chain(entries: Iterable[Mapping[str, Any]]) -> int | None:
    """The `seq` of the first entry that does not verify, or None if the chain is intact.

    `entries` is one partner's chain in `seq` order, starting at 1.
    """
    verifier = ChainVerifier()
    for entry in entries:
        if not verifier.feed(entry):
            break
    return verifier.first_invalid_seq


class AuditTrail:
    """Appends and reads one chain per partner, by `_id` only (a `SequencedLog`)."""

    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.db = db
        self._log = SequencedLog(db[AUDIT_TRAIL])

    async def environment_of(self, actor: str, details: Mapping[str, Any] | None) -> Environment:
        """Which chain an entry recorded without an explicit environment belongs to."""
        named = (details or {}).get("environment")
        if isinstance(named, str) and named in {e.value for e in Environment}:
            return Environment(named)
        key = await self.db[API_KEYS].find_one({"_id": actor}, {"environment": 1})
        if key is not None and key.get("environment") in {e.value for e in Environment}:
            return Environment(key["environment"])
        return Environment.LIVE

    async def record(
        self,
        partner_id: str,
        action: str,
        *,
        actor: str,
        target: str,
        details: Mapping[str, Any] | None = None,
        environment: Environment | None = None,
    ) -> Document:
        """Append one event (`key.created`, `analysis.canceled`, `candidate.erased`, …) to
        the chain of its environment."""
        if environment is None:
            environment = await self.environment_of(actor, details)

        def build(seq: int, previous: Document | None) -> Document:
            prev_hash = str(previous["hash"]) if previous else GENESIS
            entry: Document = {
                "seq": seq,
                "at": format_timestamp(utcnow()),
                "partner_id": partner_id,
                "actor": actor,
                "action": action,
                "target": target,
                "target_digest": target_digest(target),
                "details": dict(details or {}),
                "prev_hash": prev_hash,
            }
            entry["hash"] = entry_hash(prev_hash, entry)
            return entry

        return await self._log.append(chain_owner(partner_id, environment), build)

    async def entries(
        self,
        partner_id: str,
        environment: Environment = Environment.LIVE,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[Document]:
        """A partner's chain of one environment in order (optionally the rows between two
        instants)."""
        return [
            doc
            async for doc in self.iter_entries(partner_id, environment, since=since, until=until)
        ]

    async def iter_entries(
        self,
        partner_id: str,
        environment: Environment = Environment.LIVE,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> AsyncIterator[Document]:
        """The same rows as `entries`, read by key up to the head (a deleted row is a gap
        the verifier reports)."""
        low = format_timestamp(since) if since is not None else None
        high = format_timestamp(until) if until is not None else None
        async for doc in self._log.read(chain_owner(partner_id, environment)):
            if (low is not None and doc["at"] < low) or (high is not None and doc["at"] >= high):
                continue
            yield doc

    async def verify(
        self, partner_id: str, environment: Environment = Environment.LIVE
    ) -> ChainCheck:
        verifier = ChainVerifier()
        async for entry in self.iter_entries(partner_id, environment):
            verifier.feed(entry)
        return verifier.result()

    async def redact_targets(self, partner_id: str, targets: Iterable[str]) -> int:
        """Erasure: replace these raw targets (e.g. analysis ids) by `REDACTED_TARGET`.

        Only entries whose hash covers `target_digest` are redacted; the chain keeps
        verifying. Idempotent.
        """
        wanted = set(targets)
        if not wanted:
            return 0
        doomed = [
            entry["_id"]
            for environment in Environment
            async for entry in self.iter_entries(partner_id, environment)
            if entry["target"] in wanted and isinstance(entry.get("target_digest"), str)
        ]
        for doc_id in doomed:
            await self.db[AUDIT_TRAIL].update_one(
                {"_id": doc_id}, {"$set": {"target": REDACTED_TARGET}}
            )
        return len(doomed)
