"""Managing an endpoint, without I/O: the registry change a PATCH makes, the PATCH body's
rules, which secrets sign after a rotation, the failure streak after a re-enable, and the
Standard Webhooks signature as the `standardwebhooks` library checks it."""

import base64
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError
from standardwebhooks import Webhook as StandardWebhook

from dossier.contracts.webhooks import WebhookTestEvent, WebhookUpdate
from dossier.runtime.webhook_registry import DISABLED_BY_PARTNER, with_endpoint_changed
from dossier.webhooks.adapters.store import precedes
from dossier.webhooks.domain.events import webhook_test_body
from dossier.webhooks.domain.signature import (
    parse_signature_header,
    signature_headers,
    signing_secrets,
    standard_key,
    standard_signature,
    verify_signature,
)

WHEN = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
BODY = b'{"id":"evt_1","type":"analysis.completed"}'
NEW = "whsec_" + base64.b64encode(b"\x01" * 32).decode()
OLD_HEX = "whsec_" + "ab" * 32


def endpoint(webhook_id: str, **fields: Any) -> dict[str, Any]:
    return {
        "id": webhook_id,
        "url": f"https://hooks.example.com/{webhook_id}",
        "events": ["analysis.completed"],
        "created_at": WHEN,
        "enabled": True,
        "disabled_at": None,
        "disabled_reason": None,
        "failures_reset_at": None,
        **fields,
    }


# the registry change -----------------------------------------------------------------------
def test_a_change_touches_only_its_endpoint() -> None:
    before = [endpoint("a"), endpoint("b")]

    after = with_endpoint_changed(
        before, "b", {"url": "https://new.example.com/x", "events": ["analysis.failed"]}, WHEN
    )

    assert after is not None
    assert after[0] == before[0]
    assert after[1]["url"] == "https://new.example.com/x"
    assert after[1]["events"] == ["analysis.failed"]
    assert after[1]["enabled"] is True


def test_enabling_clears_the_disabling_and_resets_the_failures() -> None:
    off = endpoint("a", enabled=False, disabled_at=WHEN, disabled_reason="20 consecutive failed")

    [on] = with_endpoint_changed([off], "a", {"enabled": True}, WHEN + timedelta(hours=1)) or []

    assert on["enabled"] is True
    assert (on["disabled_at"], on["disabled_reason"]) == (None, None)
    assert on["failures_reset_at"] == WHEN + timedelta(hours=1)


def test_disabling_by_the_partner_says_so() -> None:
    [off] = with_endpoint_changed([endpoint("a")], "a", {"enabled": False}, WHEN) or []

    assert off["enabled"] is False
    assert (off["disabled_at"], off["disabled_reason"]) == (WHEN, DISABLED_BY_PARTNER)


def test_disabling_an_endpoint_already_off_keeps_why_it_went_off() -> None:
    off = endpoint(
        "a", enabled=False, disabled_at=WHEN, disabled_reason="the endpoint answered 410"
    )

    [still] = with_endpoint_changed([off], "a", {"enabled": False}, WHEN + timedelta(1)) or []

    assert (still["disabled_at"], still["disabled_reason"]) == (WHEN, off["disabled_reason"])


def test_a_change_to_a_deleted_endpoint_is_nothing() -> None:
    assert with_endpoint_changed([endpoint("a")], "gone", {"enabled": True}, WHEN) is None


def test_the_failure_streak_restarts_after_the_reset() -> None:
    assert precedes(WHEN, WHEN + timedelta(seconds=1))
    assert not precedes(WHEN + timedelta(seconds=1), WHEN)
    assert not precedes(WHEN, None)


# the PATCH body ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "body",
    [{}, {"url": None}, {"enabled": None}, {"events": []}, {"events": ["analysis.started"]}],
)
def test_a_patch_must_change_something_real(body: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        WebhookUpdate.model_validate(body)


def test_a_patch_changes_only_what_was_sent() -> None:
    update = WebhookUpdate.model_validate(
        {"events": ["analysis.failed", "analysis.failed"], "enabled": False}
    )

    assert update.changes() == {"events": ["analysis.failed"], "enabled": False}


# secrets and signatures ----------------------------------------------------------------------
def test_both_secrets_sign_until_the_previous_one_expires() -> None:
    webhook = {"secret": NEW, "previous_secret": OLD_HEX, "previous_secret_expires_at": WHEN}

    assert signing_secrets(webhook, WHEN - timedelta(seconds=1)) == [NEW, OLD_HEX]
    assert signing_secrets(webhook, WHEN) == [NEW]
    assert signing_secrets({"secret": NEW}, WHEN) == [NEW]


def test_the_standard_key_is_the_base64_after_the_prefix() -> None:
    assert standard_key(NEW) == b"\x01" * 32
    assert standard_key(OLD_HEX) == base64.b64decode("ab" * 32)


@pytest.mark.parametrize("secret", [NEW, OLD_HEX, "whsec_" + secrets.token_hex(32)])
def test_the_standard_signature_verifies_with_the_library(secret: str) -> None:
    headers = signature_headers([secret], "evt_1", int(WHEN.timestamp()), BODY)

    assert headers["webhook-id"] == "evt_1"
    assert headers["webhook-timestamp"] == str(int(WHEN.timestamp()))
    assert headers["webhook-signature"] == standard_signature(
        secret, "evt_1", int(WHEN.timestamp()), BODY
    )
    assert StandardWebhook(secret).sign("evt_1", WHEN, BODY) == headers["webhook-signature"]


def test_a_rotation_puts_one_signature_per_secret_in_each_header() -> None:
    timestamp = int(WHEN.timestamp())

    headers = signature_headers([NEW, OLD_HEX], "evt_1", timestamp, BODY)

    standard = headers["webhook-signature"].split(" ")
    assert standard == [
        StandardWebhook(NEW).sign("evt_1", WHEN, BODY),
        StandardWebhook(OLD_HEX).sign("evt_1", WHEN, BODY),
    ]
    parsed = parse_signature_header(headers["X-Dossier-Signature"])
    assert parsed is not None
    assert parsed[0] == timestamp
    assert len(parsed[1]) == 2
    for secret in (NEW, OLD_HEX):
        assert verify_signature(secret, headers["X-Dossier-Signature"], BODY, now=timestamp)
    assert not verify_signature(
        "whsec_" + "0" * 64, headers["X-Dossier-Signature"], BODY, now=timestamp
    )


def test_the_test_event_names_its_endpoint() -> None:
    body = webhook_test_body("evt_2", "wh_1", occurred_at=WHEN)

    event = WebhookTestEvent.model_validate_json(body)
    assert (event.id, event.type, event.data.webhook_id) == ("evt_2", "webhook.test", "wh_1")
