"""Audit pseudonyms are keyed (HMAC), so sequential ATS ids cannot be hashed back."""

import hashlib

from pydantic import SecretStr

from dossier.gateway.audit.trail import legacy_subject_of, subject_of
from dossier.gateway.settings import GatewaySettings

KEY = b"k" * 32


def test_the_pseudonym_is_stable_under_one_key() -> None:
    assert subject_of("ptn", "client", "42", key=KEY) == subject_of("ptn", "client", "42", key=KEY)


def test_another_deployment_key_gives_another_pseudonym() -> None:
    assert subject_of("ptn", "client", "42", key=KEY) != subject_of(
        "ptn", "client", "42", key=b"x" * 32
    )


def test_the_pseudonym_is_not_a_plain_digest_of_the_ids() -> None:
    """Whoever guesses the ids (sequential ATS numbers) cannot recompute it without the key."""
    plain = hashlib.sha256(b"ptn\x1fclient\x1f42").hexdigest()
    subject = subject_of("ptn", "client", "42", key=KEY)

    assert plain[:24] not in subject
    assert subject != legacy_subject_of("ptn", "client", "42")
    assert subject.startswith("sbj_")


def test_without_a_key_of_its_own_the_gateway_derives_one_per_deployment() -> None:
    one = GatewaySettings(url_signing_key=SecretStr("deployment-one"))
    two = GatewaySettings(url_signing_key=SecretStr("deployment-two"))

    assert one.audit_pseudonym_key_bytes() != two.audit_pseudonym_key_bytes()
    assert one.audit_pseudonym_key_bytes() != b"deployment-one"


def test_a_configured_pseudonym_key_is_used_as_given() -> None:
    settings = GatewaySettings(
        url_signing_key=SecretStr("signing"), audit_pseudonym_key=SecretStr("pseudonyms")
    )

    assert settings.audit_pseudonym_key_bytes() == b"pseudonyms"
