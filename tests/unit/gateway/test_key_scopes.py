"""Who may mint which key: scopes within the caller's, test keys only mint test keys."""

import pytest
from pydantic import ValidationError

from dossier.contracts.enums import Environment
from dossier.contracts.keys import KeyCreate, Scope
from dossier.gateway.auth.repository import ALL_SCOPES, key_id_from
from dossier.gateway.keys.service import (
    canonical_scopes,
    environment_denial,
    scopes_beyond,
    visible_environment,
)


def test_scopes_the_caller_holds_may_be_granted() -> None:
    held = ("analyses:read", "analyses:write", "keys:manage")

    assert scopes_beyond([Scope.ANALYSES_READ], held) == []
    assert scopes_beyond([Scope.ANALYSES_READ, Scope.KEYS_MANAGE], held) == []


def test_scopes_beyond_the_callers_are_named() -> None:
    held = ("analyses:read", "keys:manage")

    missing = scopes_beyond([Scope.USAGE_READ, Scope.ANALYSES_READ, Scope.WEBHOOKS_MANAGE], held)

    assert missing == ["webhooks:manage", "usage:read"]


def test_a_key_with_every_scope_may_grant_any_subset() -> None:
    assert scopes_beyond(list(Scope), ALL_SCOPES) == []


def test_canonical_scopes_drop_repeats_and_follow_the_documented_order() -> None:
    scopes = canonical_scopes([Scope.KEYS_MANAGE, Scope.ANALYSES_READ, Scope.KEYS_MANAGE])

    assert scopes == (Scope.ANALYSES_READ, Scope.KEYS_MANAGE)


def test_every_known_scope_is_in_the_default_grant() -> None:
    assert set(ALL_SCOPES) == {scope.value for scope in Scope}


def test_a_test_key_cannot_mint_a_live_key() -> None:
    denial = environment_denial(Environment.TEST, Environment.LIVE)

    assert denial is not None
    assert denial.status == 403
    assert denial.slug == "insufficient-scope"


@pytest.mark.parametrize(
    ("caller", "requested"),
    [
        (Environment.TEST, Environment.TEST),
        (Environment.LIVE, Environment.LIVE),
        (Environment.LIVE, Environment.TEST),
    ],
)
def test_other_environment_combinations_are_allowed(
    caller: Environment, requested: Environment
) -> None:
    assert environment_denial(caller, requested) is None


def test_each_key_sees_only_keys_of_its_own_environment() -> None:
    assert visible_environment(Environment.TEST) is Environment.TEST
    assert visible_environment(Environment.LIVE) is Environment.LIVE


def test_unknown_scope_names_are_rejected() -> None:
    with pytest.raises(ValidationError):
        KeyCreate.model_validate({"name": "x", "scopes": ["analyses:delete"]})


def test_an_empty_scope_list_is_rejected() -> None:
    with pytest.raises(ValidationError):
        KeyCreate.model_validate({"name": "x", "scopes": []})


def test_a_new_key_is_live_unless_asked_otherwise() -> None:
    body = KeyCreate.model_validate({"name": "ci", "scopes": ["analyses:read"]})

    assert body.environment is Environment.LIVE


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        ("key_0123456789ab", "0123456789ab"),
        ("ats_live_0123456789ab", "0123456789ab"),
        ("ats_test_0123456789ab", "0123456789ab"),
        ("0123456789ab", "0123456789ab"),
        ("key_XYZ", None),
        ("ats_live_0123456789ab_secret", None),
        ("", None),
    ],
)
def test_a_key_is_referred_to_by_its_id_or_its_prefix(reference: str, expected: str | None) -> None:
    assert key_id_from(reference) == expected
