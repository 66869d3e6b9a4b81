"""Idempotency rules: the body fingerprint, the header's shape, records and secrets."""

from datetime import timedelta

import pytest

from dossier.contracts.enums import Environment
from dossier.contracts.timestamps import utcnow
from dossier.gateway.idempotency.repository import PENDING_LEASE, is_stale
from dossier.gateway.idempotency.rules import (
    fingerprint,
    holds_secret,
    record_id,
    valid_idempotency_key,
)


def test_same_method_path_and_body_give_the_same_fingerprint() -> None:
    assert fingerprint("POST", "/api/v1/analyses", b'{"a":1}') == fingerprint(
        "post", "/api/v1/analyses", b'{"a":1}'
    )


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/api/v1/analyses", b'{"a":2}'),
        ("POST", "/api/v1/webhooks", b'{"a":1}'),
        ("PUT", "/api/v1/analyses", b'{"a":1}'),
        ("POST", "/api/v1/analyses", b'{"a": 1}'),
    ],
)
def test_any_difference_changes_the_fingerprint(method: str, path: str, body: bytes) -> None:
    assert fingerprint(method, path, body) != fingerprint("POST", "/api/v1/analyses", b'{"a":1}')


def test_fingerprint_is_unambiguous_across_part_boundaries() -> None:
    assert fingerprint("POST", "/a", b"b/c") != fingerprint("POST", "/ab", b"/c")


@pytest.mark.parametrize("key", ["a", "4f0c7e3a-2b1d-4c5e-9f00-1234567890ab", "x" * 255, "a b~!"])
def test_printable_ascii_keys_up_to_255_characters_are_valid(key: str) -> None:
    assert valid_idempotency_key(key)


@pytest.mark.parametrize("key", ["", "x" * 256, "tab\tkey", "ключ", "new\nline", "\x7f"])
def test_empty_long_or_non_printable_keys_are_invalid(key: str) -> None:
    assert not valid_idempotency_key(key)


def test_records_belong_to_partner_and_environment() -> None:
    live = record_id("p1", Environment.LIVE, "k")

    assert live != record_id("p1", Environment.TEST, "k")
    assert live != record_id("p2", Environment.LIVE, "k")


def test_responses_with_a_key_or_secret_are_recognised() -> None:
    assert holds_secret({"id": "key_1", "key": "ats_live_…"})
    assert holds_secret({"id": "wh_1", "secret": "whsec_…"})
    assert not holds_secret({"id": "an_1", "status": "queued"})
    assert not holds_secret({"key": None})
    assert not holds_secret(["key"])


def test_pending_record_is_stale_after_its_lease_and_any_record_after_expiry() -> None:
    now = utcnow()
    fresh = {"state": "pending", "created_at": now, "expires_at": now + timedelta(hours=24)}
    abandoned = {**fresh, "created_at": now - PENDING_LEASE - timedelta(seconds=1)}
    done_old = {"state": "completed", "created_at": now - timedelta(hours=2), "expires_at": now}

    assert not is_stale(fresh, now)
    assert is_stale(abandoned, now)
    assert is_stale(done_old, now)
    assert not is_stale({**done_old, "expires_at": now + timedelta(seconds=1)}, now)
