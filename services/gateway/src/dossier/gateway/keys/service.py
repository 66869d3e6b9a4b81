"""Minting, listing and revoking a partner's keys: who may mint what, and the audit trail.

A key never exceeds its partner, nor the key that minted it: the scopes asked for must be
a subset of the caller's, and a sandbox (test) key only mints sandbox keys. A test key
also only sees and revokes test keys, so a test key leaked from a CI log cannot touch the
production integration.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from dossier.contracts.enums import Environment
from dossier.contracts.keys import ApiKey, ApiKeyCreated, KeyCreate, Scope
from dossier.gateway.audit.trail import AuditTrail
from dossier.gateway.auth.keys import V1_KIND
from dossier.gateway.auth.repository import (
    AuthenticatedKey,
    KeyRecord,
    PartnerRepository,
    key_id_from,
)
from dossier.gateway.dependencies import insufficient_scope
from dossier.gateway.problems import ProblemError, not_found

_SCOPE_VALUES = frozenset(scope.value for scope in Scope)


def canonical_scopes(scopes: Iterable[Scope]) -> tuple[Scope, ...]:
    """Without repeats, in the documented order (so equal grants look equal)."""
    wanted = set(scopes)
    return tuple(scope for scope in Scope if scope in wanted)


def scopes_beyond(requested: Iterable[Scope], held: Iterable[str]) -> list[str]:
    """The requested scopes the caller does not hold itself (empty when it may grant them)."""
    have = set(held)
    return [scope.value for scope in canonical_scopes(requested) if scope.value not in have]


def environment_denial(caller: Environment, requested: Environment) -> ProblemError | None:
    """A sandbox key cannot mint a live key; a live key may mint either."""
    if caller is Environment.TEST and requested is Environment.LIVE:
        return ProblemError(
            403,
            "insufficient-scope",
            "Insufficient scope",
            "A test key can only create test keys; use a live key to create a live key.",
        )
    return None


def visible_environment(caller: Environment) -> Environment | None:
    """Which keys a caller may list and revoke: a test key only test keys, a live key all."""
    return Environment.TEST if caller is Environment.TEST else None


def present(record: KeyRecord) -> ApiKey:
    return ApiKey(
        id=record.public_id,
        prefix=record.prefix,
        name=record.name,
        scopes=[Scope(s) for s in record.scopes if s in _SCOPE_VALUES],
        environment=record.environment,
        created_at=record.created_at,
        last_used_at=record.last_used_at,
        revoked_at=record.revoked_at,
    )


def _audit_details(record: KeyRecord) -> dict[str, object]:
    return {
        "prefix": record.prefix,
        "scopes": list(record.scopes),
        "environment": record.environment.value,
    }


@dataclass(frozen=True)
class KeyService:
    partners: PartnerRepository
    audit: AuditTrail

    async def mint(self, caller: AuthenticatedKey, body: KeyCreate) -> ApiKeyCreated:
        denial = environment_denial(caller.environment, body.environment)
        if denial is not None:
            raise denial
        missing = scopes_beyond(body.scopes, caller.scopes)
        if missing:
            raise insufficient_scope(missing)
        scopes = tuple(s.value for s in canonical_scopes(body.scopes))
        raw, parsed = await self.partners.issue_key(
            caller.partner,
            kind=V1_KIND,
            environment=body.environment,
            name=body.name,
            scopes=scopes,
        )
        record = await self.partners.get_key(caller.partner.id, parsed.key_id)
        if record is None:  # pragma: no cover - just inserted
            msg = "minted key not found"
            raise RuntimeError(msg)
        await self.audit.record(
            caller.partner.id,
            "key.created",
            actor=caller.key_id,
            target=record.public_id,
            details=_audit_details(record),
        )
        return ApiKeyCreated(key=raw, **present(record).model_dump())

    async def list(self, caller: AuthenticatedKey) -> list[ApiKey]:
        records = await self.partners.list_keys(
            caller.partner.id, environment=visible_environment(caller.environment)
        )
        return [present(record) for record in records]

    async def revoke(self, caller: AuthenticatedKey, reference: str) -> ApiKey:
        key_id = key_id_from(reference)
        existing = await self.partners.get_key(caller.partner.id, key_id) if key_id else None
        visible = visible_environment(caller.environment)
        if existing is None or (visible is not None and existing.environment is not visible):
            raise not_found("key")
        outcome = await self.partners.revoke_for_partner(caller.partner.id, existing.key_id)
        if outcome is None:  # pragma: no cover - it existed a moment ago; keys are never deleted
            raise not_found("key")
        record, newly_revoked = outcome
        if newly_revoked:
            await self.audit.record(
                caller.partner.id,
                "key.revoked",
                actor=caller.key_id,
                target=record.public_id,
                details=_audit_details(record),
            )
        return present(record)
