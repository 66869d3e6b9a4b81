"""Which key did the request present (`auth/presented.py`): the header, Bearer, or a refusal."""

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dossier.gateway.auth.presented import LEGACY_HEADER, V1_HEADER, presented_key
from dossier.gateway.legacy.deprecation import deprecation_headers
from dossier.gateway.problems import ProblemError

KEY = "ats_live_3f9c2a71b0d4_" + "a" * 43
OTHER = "ats_live_0123456789ab_" + "b" * 43


def refusal(headers: dict[str, str], header: str = V1_HEADER) -> ProblemError:
    with pytest.raises(ProblemError) as raised:
        presented_key(headers, header)
    return raised.value


def test_nothing_presented_is_none() -> None:
    assert presented_key({}, V1_HEADER) is None
    assert presented_key({"x-api-key": ""}, V1_HEADER) is None
    assert presented_key({"authorization": "  "}, V1_HEADER) is None  # empty: not sent


def test_the_header_alone_or_bearer_alone_is_the_key() -> None:
    assert presented_key({"x-api-key": KEY}, V1_HEADER) == KEY
    assert presented_key({"authorization": f"Bearer {KEY}"}, V1_HEADER) == KEY
    assert presented_key({"x-partner-key": KEY}, LEGACY_HEADER) == KEY


@given(st.sampled_from(["bearer", "Bearer", "BEARER", "bEaReR"]), st.sampled_from([" ", "   "]))
def test_the_scheme_is_case_insensitive_and_spaces_do_not_matter(scheme: str, gap: str) -> None:
    assert presented_key({"authorization": f"{scheme}{gap}{KEY}"}, V1_HEADER) == KEY


def test_the_same_key_in_both_places_is_that_key() -> None:
    headers = {"x-api-key": KEY, "authorization": f"Bearer {KEY}"}

    assert presented_key(headers, V1_HEADER) == KEY


def test_two_different_keys_are_a_400() -> None:
    problem = refusal({"x-api-key": KEY, "authorization": f"Bearer {OTHER}"})

    assert problem.status == 400
    assert problem.slug == "conflicting-credentials"


def test_the_other_apis_header_does_not_count() -> None:
    """A v1 request reads X-API-Key; an X-Partner-Key beside a Bearer key is not a conflict."""
    headers = {"x-partner-key": OTHER, "authorization": f"Bearer {KEY}"}

    assert presented_key(headers, V1_HEADER) == KEY


@pytest.mark.parametrize(
    "value", ["Bearer", "Bearer   ", "Basic dXNlcjpwYXNz", "Token x", "Bearer a b"]
)
def test_an_unusable_authorization_is_a_401_with_a_bearer_challenge(value: str) -> None:
    problem = refusal({"authorization": value, "x-api-key": KEY})

    assert problem.status == 401
    assert problem.slug == "unauthorized"
    assert (problem.headers or {})["WWW-Authenticate"].startswith('Bearer realm="dossier"')


@given(st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126), min_size=1))
def test_any_printable_token_is_passed_on_unjudged(token: str) -> None:
    """Whatever the token is (a key of any kind, a future widget token), the caller judges it."""
    assert presented_key({"authorization": f"Bearer {token}"}, V1_HEADER) == token


def test_deprecation_headers_follow_rfc_9745_and_8594() -> None:
    deprecated, sunset = datetime(2026, 12, 7, tzinfo=UTC), datetime(2027, 6, 30, tzinfo=UTC)

    headers = dict(deprecation_headers(deprecated, sunset))

    assert headers["Deprecation"] == "@1796601600"
    assert headers["Sunset"] == "Wed, 30 Jun 2027 00:00:00 GMT"
    assert parsedate_to_datetime(headers["Sunset"]) == sunset
    assert '</docs/migrating-from-legacy.md>; rel="deprecation"' in headers["Link"]
