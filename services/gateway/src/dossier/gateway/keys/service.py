"""Minting, listing and revoking a partner's keys: who may mint what, and the audit trail.

A key never exceeds its partner, nor the key that minted it: the scopes asked for must be
a subset of the caller's, and a sandbox (test) key only mints sandbox keys. Listing and
revoking stay inside the caller's environment — a test key sees and revokes test keys
only, a live key live keys only — so a test key leaked from a CI log cannot touch the
production integration, and live responses carry no sandbox data either. (A leaked test
key is revoked with another test key, which a live key may mint, or by the operator:
`dossier keys revoke`.)

Every revocation, through the API or the operator CLI, is one `key.revoked` entry in
the audit chain of the caller's environment (the operator's: the key's own).
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


def visible_environment(caller: Environment) -> Environment:
    """Which keys a caller may list and revoke: those of its own environment."""
    return caller


#: The audit actor of revocations made with the operator CLI.
OPERATOR_ACTOR = "operator-cli"


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
            environment=caller.environment,
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
        if existing is None or existing.environment is not visible_environment(caller.environment):
            raise not_found("key")
        record = await self._revoke(existing, actor=caller.key_id, environment=caller.environment)
        if record is None:  # pragma: no cover - it existed a moment ago; keys are never deleted
            raise not_found("key")
        return present(record)

    async def revoke_as_operator(self, partner_id: str, reference: str) -> KeyRecord | None:
        """`dossier keys revoke`: the partner's key by its prefix or id, audited like an API
        revocation (in the chain of the key's environment). None: no such active key."""
        key_id = key_id_from(reference)
        existing = await self.partners.get_key(partner_id, key_id) if key_id else None
        if existing is None or existing.revoked_at is not None:
            return None
        return await self._revoke(
            existing, actor=OPERATOR_ACTOR, environment=existing.environment, only_new=True
        )

    async def _revoke(
        self,
        existing: KeyRecord,
        *,
        actor: str,
        environment: Environment,
        only_new: bool = False,
    ) -> KeyRecord | None:
        """Revoke and audit (once: revoking a revoked key records nothing)."""
        outcome = await self.partners.revoke_for_partner(existing.partner_id, existing.key_id)
        if outcome is None:
            return None
        record, newly_revoked = outcome
        if newly_revoked:
            await self.audit.record(
                record.partner_id,
                "key.revoked",
                actor=actor,
                target=record.public_id,
                details=_audit_details(record),
                environment=environment,
            )
        elif only_new:
            return None
        return record
