"""The webhook registry's changes: each builds the next version of a partner's endpoint list
from the latest one, or says there is nothing to change."""

from datetime import UTC, datetime

import pytest

from dossier.gateway.docs.pages import find_page
from dossier.runtime.webhook_registry import (
    MAX_ENDPOINTS,
    EndpointLimitReachedError,
    endpoint_entry,
    registry_owner,
    with_endpoint,
    with_endpoint_disabled,
    without_endpoint,
)

WHEN = datetime(2026, 1, 2, tzinfo=UTC)


def entry(webhook_id: str, *, enabled: bool = True) -> dict[str, object]:
    return {
        "id": webhook_id,
        "url": f"https://hooks.example.com/{webhook_id}",
        "events": ["analysis.completed"],
        "created_at": WHEN,
        "enabled": enabled,
        "disabled_at": None,
        "disabled_reason": None,
    }


def test_the_registry_is_keyed_by_partner_and_environment() -> None:
    assert registry_owner("ptn_1", "live") == "ptn_1:live"
    assert registry_owner("ptn_1", "live") != registry_owner("ptn_1", "test")


def test_the_entry_keeps_the_listed_fields_and_never_the_secret() -> None:
    doc = {**entry("x"), "_id": "wh_1", "secret": "whsec_1", "partner_id": "ptn_1"}
    del doc["id"]

    kept = endpoint_entry(doc)

    assert kept["id"] == "wh_1"
    assert "secret" not in kept
    assert "partner_id" not in kept
    assert kept["url"] == "https://hooks.example.com/x"


def test_registering_appends_in_order() -> None:
    assert [e["id"] for e in with_endpoint([entry("wh_1")], entry("wh_2")) or []] == [
        "wh_1",
        "wh_2",
    ]


def test_registering_past_the_limit_is_refused() -> None:
    full = [entry(f"wh_{n}") for n in range(MAX_ENDPOINTS)]

    with pytest.raises(EndpointLimitReachedError):
        with_endpoint(full, entry("wh_one_more"))


def test_the_limit_counts_disabled_endpoints_until_they_are_deleted() -> None:
    full = [entry(f"wh_{n}", enabled=False) for n in range(MAX_ENDPOINTS)]

    with pytest.raises(EndpointLimitReachedError):
        with_endpoint(full, entry("wh_one_more"))
    assert len(with_endpoint(full[1:], entry("wh_one_more")) or []) == MAX_ENDPOINTS


def test_registering_the_same_endpoint_twice_changes_nothing() -> None:
    assert with_endpoint([entry("wh_1")], entry("wh_1")) is None


def test_removing_drops_only_that_endpoint() -> None:
    kept = without_endpoint([entry("wh_1"), entry("wh_2")], "wh_1")

    assert [e["id"] for e in kept or []] == ["wh_2"]


def test_removing_an_absent_endpoint_changes_nothing() -> None:
    assert without_endpoint([entry("wh_2")], "wh_1") is None


def test_disabling_turns_one_endpoint_off_with_its_reason() -> None:
    changed = with_endpoint_disabled([entry("wh_1"), entry("wh_2")], "wh_1", "4 failures", WHEN)

    assert changed is not None
    assert changed[0] == {
        **entry("wh_1"),
        "enabled": False,
        "disabled_at": WHEN,
        "disabled_reason": "4 failures",
    }
    assert changed[1] == entry("wh_2")


@pytest.mark.parametrize("endpoints", [[], [entry("wh_1", enabled=False)]])
def test_disabling_a_deleted_or_disabled_endpoint_changes_nothing(
    endpoints: list[dict[str, object]],
) -> None:
    assert with_endpoint_disabled(endpoints, "wh_1", "again", WHEN) is None


def test_the_webhooks_guide_states_the_limit() -> None:
    page = find_page("webhooks")
    assert page is not None

    assert f"at most **{MAX_ENDPOINTS} endpoints**" in page.markdown
