"""Widget tokens: what verifies, what does not, and the demo ATS existing in development only."""

import base64
import secrets
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from dossier.contracts.enums import Environment
from dossier.gateway.app import create_app
from dossier.gateway.settings import GatewaySettings
from dossier.gateway.widget.tokens import WidgetGrant, mint, signing_key, verify

NOW = datetime(2026, 6, 29, 12, 0, tzinfo=UTC)
KEY = signing_key(b"deployment secret")
GRANT = WidgetGrant(
    partner_id="ptn_0123456789abcdef",
    environment=Environment.TEST,
    key_id="0123456789ab",
    client_id="client_company_123",
    candidate_id="candidate_456",
    expires_at=NOW + timedelta(minutes=15),
)


def test_a_minted_token_verifies_to_its_grant_until_it_expires() -> None:
    token = mint(KEY, GRANT)

    assert token.startswith("wt_")
    assert verify(KEY, token, NOW) == GRANT
    assert verify(KEY, token, GRANT.expires_at - timedelta(seconds=1)) == GRANT
    assert verify(KEY, token, GRANT.expires_at) is None


def test_another_deployments_key_verifies_nothing() -> None:
    assert verify(signing_key(b"another secret"), mint(KEY, GRANT), NOW) is None


@given(position=st.integers(min_value=3), char=st.sampled_from("AQgw-_x0"))
def test_any_changed_character_is_refused(position: int, char: str) -> None:
    token = mint(KEY, GRANT)
    position %= len(token)
    if position < 3 or token[position] == char:
        return
    altered = token[:position] + char + token[position + 1 :]

    assert verify(KEY, altered, NOW) is None


def test_a_payload_naming_another_pair_under_the_old_signature_is_refused() -> None:
    token = mint(KEY, GRANT)
    payload, signature = token[3:].split(".")
    claims = base64.urlsafe_b64decode(payload + "==").replace(b"candidate_456", b"candidate_457")
    forged = "wt_" + base64.urlsafe_b64encode(claims).rstrip(b"=").decode() + "." + signature

    assert verify(KEY, forged, NOW) is None


@pytest.mark.parametrize(
    "raw", ["", "wt_", "wt_.", "wt_abc", "wt_abc.def", "ats_test_x", "wt_" + "A" * 2000]
)
def test_garbage_is_refused(raw: str) -> None:
    assert verify(KEY, raw, NOW) is None


def _production() -> GatewaySettings:
    return GatewaySettings(
        deployment="production",
        cv_master_key=base64.b64encode(secrets.token_bytes(32)).decode(),
        url_signing_key=secrets.token_urlsafe(32),
    )


def test_the_demo_ats_exists_in_development_only() -> None:
    development = TestClient(create_app(GatewaySettings(deployment="development")))
    production = TestClient(create_app(_production()))

    assert development.get("/demo/ats").status_code == 200
    assert 'session-url="/demo/ats/session"' in development.get("/demo/ats").text
    assert production.get("/demo/ats").status_code == 404
    assert production.post("/demo/ats/session", json={}).status_code == 404
