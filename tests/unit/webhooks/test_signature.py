"""`X-Dossier-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "t.body")>`."""

import hashlib
import hmac

from dossier.webhooks.domain.signature import (
    parse_signature_header,
    signature_header,
    verify_signature,
)

SECRET = "whsec_" + "ab" * 32
BODY = b'{"id":"evt_1","type":"analysis.completed"}'


def test_header_format_is_t_then_v1_hex() -> None:
    header = signature_header(SECRET, 1_758_000_000, BODY)
    t, v1 = header.split(",")
    assert t == "t=1758000000"
    assert v1.startswith("v1=")
    assert len(v1.removeprefix("v1=")) == 64


def test_v1_is_hmac_sha256_of_timestamp_dot_body() -> None:
    header = signature_header(SECRET, 1_758_000_000, BODY)
    expected = hmac.new(SECRET.encode(), b"1758000000." + BODY, hashlib.sha256).hexdigest()
    assert header.endswith(f"v1={expected}")


def test_signature_verifies_with_the_secret() -> None:
    header = signature_header(SECRET, 1_758_000_000, BODY)
    assert verify_signature(SECRET, header, BODY, now=1_758_000_010)


def test_signature_fails_with_another_secret() -> None:
    header = signature_header(SECRET, 1_758_000_000, BODY)
    assert not verify_signature("whsec_other", header, BODY, now=1_758_000_010)


def test_signature_fails_when_the_body_changed() -> None:
    header = signature_header(SECRET, 1_758_000_000, BODY)
    assert not verify_signature(SECRET, header, BODY + b" ", now=1_758_000_010)


def test_signature_fails_when_the_timestamp_was_swapped() -> None:
    header = signature_header(SECRET, 1_758_000_000, BODY).replace("t=1758000000", "t=1758000001")
    assert not verify_signature(SECRET, header, BODY, now=1_758_000_010)


def test_old_signatures_are_rejected_as_replays() -> None:
    header = signature_header(SECRET, 1_758_000_000, BODY)
    assert not verify_signature(SECRET, header, BODY, now=1_758_000_000 + 301)


def test_malformed_headers_do_not_parse() -> None:
    assert parse_signature_header("v1=abc") is None
    assert parse_signature_header("t=abc,v1=abc") is None
    assert parse_signature_header("t=1") is None
    assert parse_signature_header("t=1, v1=ff") == (1, ["ff"])
