"""Webhooks settings: the attempt deadline and the in-flight caps have sane defaults."""

import pytest
from pydantic import ValidationError

from dossier.webhooks.settings import WebhooksSettings


def test_defaults_bound_each_attempt_and_share_the_slots() -> None:
    settings = WebhooksSettings()

    assert settings.webhook_attempt_deadline_seconds == 10.0
    assert settings.webhook_max_response_bytes == 65_536
    assert settings.webhook_retry_after_max_seconds == 3600.0
    assert settings.webhook_max_in_flight_per_partner < settings.webhook_max_in_flight
    assert settings.webhook_max_in_flight_per_endpoint <= settings.webhook_max_in_flight_per_partner


def test_a_lease_shorter_than_an_attempt_is_refused() -> None:
    """Its attempt would be recorded lost and resent while still being sent."""
    with pytest.raises(ValidationError, match="LEASE_SECONDS must exceed"):
        WebhooksSettings(webhook_lease_seconds=5, webhook_attempt_deadline_seconds=10)


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOSSIER_WEBHOOK_ATTEMPT_DEADLINE_SECONDS", "4")
    monkeypatch.setenv("DOSSIER_WEBHOOK_MAX_IN_FLIGHT_PER_PARTNER", "3")

    settings = WebhooksSettings()

    assert settings.webhook_attempt_deadline_seconds == 4.0
    assert settings.webhook_max_in_flight_per_partner == 3
