"""`dossier_client.webhooks.verify` against deliveries signed by the webhooks service's own
signing code (both schemes, rotation), and against tampered, stale and unsigned ones."""

import base64
import json
import secrets
import time

import pytest
from dossier_client import WebhookVerificationError, webhooks
from standardwebhooks import Webhook

from dossier.webhooks.domain.signature import SIGNATURE_HEADER, signature_headers

SECRET = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
EVENT = {"id": "evt_1", "type": "analysis.completed", "data": {"analysis": {"id": "an_1"}}}
BODY = json.dumps(EVENT).encode()


def signed(
    body: bytes = BODY, secret: str | list[str] = SECRET, at: float | None = None
) -> dict[str, str]:
    keys = [secret] if isinstance(secret, str) else secret
    return signature_headers(keys, "evt_1", int(at if at is not None else time.time()), body)


def only_legacy(headers: dict[str, str]) -> dict[str, str]:
    return {SIGNATURE_HEADER: headers[SIGNATURE_HEADER]}


def only_standard(headers: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in headers.items() if k != SIGNATURE_HEADER}


def test_a_delivery_signed_with_both_schemes_verifies_and_returns_the_event() -> None:
    assert webhooks.verify(BODY, signed(), SECRET) == EVENT


def test_each_scheme_verifies_on_its_own() -> None:
    assert webhooks.verify(BODY, only_legacy(signed()), SECRET) == EVENT
    assert webhooks.verify(BODY, only_standard(signed()), SECRET) == EVENT


def test_header_names_are_case_insensitive() -> None:
    upper = {k.upper(): v for k, v in signed().items()}

    assert webhooks.verify(BODY, upper, SECRET) == EVENT


@pytest.mark.parametrize("pick", [only_legacy, only_standard, dict])
def test_a_tampered_body_is_refused(pick: object) -> None:
    headers = pick(signed())  # type: ignore[operator]
    tampered = BODY.replace(b"completed", b"failed")

    with pytest.raises(WebhookVerificationError):
        webhooks.verify(tampered, headers, SECRET)


@pytest.mark.parametrize("pick", [only_legacy, only_standard])
def test_another_secret_is_refused(pick: object) -> None:
    other = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()

    with pytest.raises(WebhookVerificationError):
        webhooks.verify(BODY, pick(signed()), other)  # type: ignore[operator]


@pytest.mark.parametrize("pick", [only_legacy, only_standard])
def test_a_stale_delivery_is_refused_beyond_the_tolerance(pick: object) -> None:
    headers = pick(signed(at=time.time() - 301))  # type: ignore[operator]

    with pytest.raises(WebhookVerificationError, match="tolerance"):
        webhooks.verify(BODY, headers, SECRET)
    assert webhooks.verify(BODY, headers, SECRET, tolerance=600) == EVENT


def test_during_a_rotation_either_secret_verifies() -> None:
    old = "whsec_" + secrets.token_hex(32)  # the older hex form of secrets
    headers = signed(secret=[SECRET, old])

    for secret in (SECRET, old):
        assert webhooks.verify(BODY, only_legacy(headers), secret) == EVENT
        assert webhooks.verify(BODY, only_standard(headers), secret) == EVENT


def test_unsigned_or_malformed_deliveries_are_refused() -> None:
    with pytest.raises(WebhookVerificationError):
        webhooks.verify(BODY, {}, SECRET)
    with pytest.raises(WebhookVerificationError):
        webhooks.verify(BODY, {SIGNATURE_HEADER: "garbage"}, SECRET)
    with pytest.raises(WebhookVerificationError):
        webhooks.verify(
            BODY,
            {"webhook-id": "e", "webhook-timestamp": "soon", "webhook-signature": "v1,x"},
            SECRET,
        )


def test_the_standard_webhooks_library_agrees_with_verify() -> None:
    headers = only_standard(signed())

    assert Webhook(SECRET).verify(BODY, headers) == webhooks.verify(BODY, headers, SECRET)
