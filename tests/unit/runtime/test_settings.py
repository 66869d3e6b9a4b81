"""Settings fail closed: outside `development` every secret must be real."""

import base64
import secrets

import pytest
from pydantic import ValidationError

from dossier.billing.settings import BillingSettings
from dossier.enrichment.settings import EnrichmentSettings
from dossier.gateway.settings import GatewaySettings
from dossier.identity.settings import IdentitySettings
from dossier.reporter.settings import ReporterSettings
from dossier.runtime.settings import ServiceSettings, dev_secret
from dossier.webhooks.settings import WebhooksSettings

ALL_SETTINGS: list[type[ServiceSettings]] = [
    GatewaySettings,
    IdentitySettings,
    EnrichmentSettings,
    ReporterSettings,
    BillingSettings,
    WebhooksSettings,
]
SIGNING = [GatewaySettings, WebhooksSettings]


def real_cv_key() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


def real_signing_key() -> str:
    return secrets.token_urlsafe(32)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only what a test passes counts (the suite itself runs as `development`)."""
    for name in ("DEPLOYMENT", "CV_MASTER_KEY", "URL_SIGNING_KEY"):
        monkeypatch.delenv(f"DOSSIER_{name}", raising=False)


def refusal(settings: type[ServiceSettings], **values: str) -> str:
    with pytest.raises(ValidationError) as caught:
        settings(**values)  # type: ignore[arg-type]
    return str(caught.value)


@pytest.mark.parametrize("settings", ALL_SETTINGS)
def test_the_default_deployment_is_production_and_refuses_missing_secrets(
    settings: type[ServiceSettings],
) -> None:
    message = refusal(settings)

    assert "DOSSIER_DEPLOYMENT=production" in message
    assert "DOSSIER_CV_MASTER_KEY is not set" in message
    assert ("DOSSIER_URL_SIGNING_KEY is not set" in message) == (settings in SIGNING)


@pytest.mark.parametrize("settings", SIGNING)
def test_every_missing_secret_is_named_at_once(settings: type[ServiceSettings]) -> None:
    message = refusal(settings, deployment="production")

    assert "DOSSIER_CV_MASTER_KEY is not set" in message
    assert "DOSSIER_URL_SIGNING_KEY is not set" in message


@pytest.mark.parametrize("settings", SIGNING)
def test_production_refuses_the_public_development_keys(settings: type[ServiceSettings]) -> None:
    message = refusal(
        settings,
        deployment="production",
        cv_master_key=dev_secret("cv-master-key"),
        url_signing_key=dev_secret("url-signing-key"),
    )

    assert "DOSSIER_CV_MASTER_KEY is the public development key" in message
    assert "DOSSIER_URL_SIGNING_KEY is the public development key" in message


def test_production_refuses_a_signing_key_shorter_than_32_characters() -> None:
    message = refusal(
        GatewaySettings,
        deployment="production",
        cv_master_key=real_cv_key(),
        url_signing_key="x" * 31,
    )

    assert "DOSSIER_URL_SIGNING_KEY is shorter than 32 characters" in message
    assert "DOSSIER_CV_MASTER_KEY" not in message


@pytest.mark.parametrize(
    "cv_key",
    [
        base64.b64encode(secrets.token_bytes(16)).decode(),  # 16 bytes: too short
        base64.b64encode(secrets.token_bytes(48)).decode(),  # 48 bytes: not an AES-256 key
        "not base64 at all, and long enough to pass the length check!!",
    ],
)
def test_production_refuses_a_cv_key_that_is_not_32_bytes_of_base64(cv_key: str) -> None:
    message = refusal(BillingSettings, deployment="production", cv_master_key=cv_key)

    assert "DOSSIER_CV_MASTER_KEY" in message


def test_a_malformed_cv_key_is_refused_at_start_even_in_development() -> None:
    message = refusal(BillingSettings, deployment="development", cv_master_key="short")

    assert "DOSSIER_CV_MASTER_KEY must be 32 bytes, base64-encoded" in message


@pytest.mark.parametrize("settings", SIGNING)
def test_production_starts_with_real_secrets(settings: type[ServiceSettings]) -> None:
    cv_key, signing_key = real_cv_key(), real_signing_key()

    loaded = settings(
        deployment="production",
        cv_master_key=cv_key,  # type: ignore[arg-type]
        url_signing_key=signing_key,  # type: ignore[call-arg]
    )

    assert loaded.cv_master_key.get_secret_value() == cv_key
    assert loaded.url_signing_key.get_secret_value() == signing_key  # type: ignore[attr-defined]
    assert len(loaded.cv_master_key_bytes()) == 32


def test_real_secrets_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOSSIER_CV_MASTER_KEY", real_cv_key())
    monkeypatch.setenv("DOSSIER_URL_SIGNING_KEY", real_signing_key())

    assert GatewaySettings().deployment == "production"


@pytest.mark.parametrize("settings", ALL_SETTINGS)
def test_development_derives_local_keys_with_zero_configuration(
    settings: type[ServiceSettings],
) -> None:
    loaded = settings(deployment="development")  # type: ignore[arg-type]

    assert loaded.cv_master_key.get_secret_value() == dev_secret("cv-master-key")
    assert len(loaded.cv_master_key_bytes()) == 32
    if settings in SIGNING:
        signing_key = loaded.url_signing_key.get_secret_value()  # type: ignore[attr-defined]
        assert signing_key == dev_secret("url-signing-key")
