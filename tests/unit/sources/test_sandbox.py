"""Sandbox sources: deterministic fixture answers chosen by magic last names, no I/O."""

import pytest

from dossier.contracts.enums import Environment, Reliability, SourceState, SourceType, Stance
from dossier.sources.base import Source, SourceQuery, SourceResult
from dossier.sources.registry import ALL_SOURCES, PROFILE_SOURCES, lookup_all
from dossier.sources.sandbox import (
    SandboxSource,
    Scenario,
    SourceSet,
    sandbox_evidence_sources,
    sandbox_profile_sources,
    scenario_for,
)


def query(last_name: str = "Doe", **extra: object) -> SourceQuery:
    fields: dict[str, object] = {
        "full_name": f"Jane {last_name}",
        "first_name": "Jane",
        "last_name": last_name,
        "company": "Acme Robotics",
        "location": "London, UK",
        "role": "Software Engineer",
        "employers": ("Acme Robotics", "Northwind Traders"),
        "institutions": ("University of Leeds",),
        **extra,
    }
    return SourceQuery.model_validate(fields)


async def run(q: SourceQuery) -> dict[str, SourceResult]:
    return {r.name: r for r in await lookup_all(sandbox_evidence_sources(), q)}


@pytest.mark.parametrize(
    ("last_name", "scenario"),
    [
        ("Doe", Scenario.CLEAN),
        ("Sanctioned", Scenario.SANCTIONED),
        ("van SANCTIONED-Smith", Scenario.SANCTIONED),
        ("Homonym", Scenario.HOMONYM),
        ("Hómonym", Scenario.HOMONYM),
        ("Unavailable", Scenario.UNAVAILABLE),
        ("Unavailable-Sanctioned", Scenario.UNAVAILABLE),
        ("Sanctioned Homonym", Scenario.SANCTIONED),
        ("Sanction", Scenario.CLEAN),
    ],
)
def test_the_scenario_follows_the_magic_words_in_the_last_name(
    last_name: str, scenario: Scenario
) -> None:
    assert scenario_for(query(last_name)) is scenario


async def test_the_same_candidate_always_gets_the_same_answer() -> None:
    first = await run(query("Doe"))
    second = await run(query("Doe"))

    assert {n: r.model_dump() for n, r in first.items()} == {
        n: r.model_dump() for n, r in second.items()
    }


async def test_different_candidates_get_different_fixture_details() -> None:
    jane = (await run(query("Doe")))["github"]
    other = (await run(query("Roe")))["github"]

    assert jane.hits[0].handle != other.hits[0].handle


async def test_sandbox_sources_stand_in_for_every_real_one() -> None:
    evidence = sandbox_evidence_sources()
    profile = sandbox_profile_sources()

    assert [s.name for s in evidence] == list(ALL_SOURCES)
    assert [s.name for s in profile] == list(PROFILE_SOURCES)
    assert all(isinstance(s, Source) for s in [*evidence, *profile])


def test_an_unknown_source_has_no_sandbox_fixture() -> None:
    with pytest.raises(ValueError, match="no sandbox fixture"):
        SandboxSource("linkedin")


async def test_a_clean_candidate_is_checked_everywhere_and_nothing_contradicts() -> None:
    results = await run(query("Doe"))

    assert {r.state for r in results.values()} == {SourceState.CHECKED}
    signals = [s for r in results.values() for s in r.signals]
    assert signals
    assert all(s.stance is not Stance.CONTRADICTS for s in signals)
    assert {s.source_type for s in signals} >= {
        SourceType.GITHUB,
        SourceType.WEB,
        SourceType.SANCTIONS,
        SourceType.COMPANY_REGISTRY,
        SourceType.ACADEMIC,
    }
    assert all((r.check.detail or "").startswith("sandbox") for r in results.values())


async def test_a_clean_candidates_github_profile_agrees_with_the_request() -> None:
    github = (await run(query("Doe")))["github"]

    hit = github.hits[0]
    assert hit.display_name == "Jane Doe"
    assert hit.company == "Acme Robotics"
    assert hit.location == "London, UK"
    assert hit.url is not None
    assert hit.url.startswith("https://github.example/")


async def test_a_profile_linked_from_the_cv_is_the_one_returned() -> None:
    q = query("Doe", links=("https://github.com/jane-codes",))

    github = (await run(q))["github"]

    assert [(h.handle, h.via) for h in github.hits] == [("jane-codes", "link")]
    assert any(s.reliability is Reliability.HIGH for s in github.signals)


async def test_sanctioned_candidates_are_a_high_reliability_list_match() -> None:
    sanctions = (await run(query("Sanctioned")))["sanctions"]

    [signal] = sanctions.signals
    assert signal.source_type is SourceType.SANCTIONS
    assert signal.stance is Stance.CONTRADICTS
    assert signal.reliability is Reliability.HIGH
    assert "sanctions list" in signal.statement


async def test_homonyms_are_a_namesake_in_another_city_at_another_employer() -> None:
    github = (await run(query("Homonym")))["github"]

    [hit] = github.hits
    assert hit.display_name == "Jane Homonym"
    assert hit.location is not None
    assert "London" not in hit.location
    assert hit.company not in {"Acme Robotics", "Northwind Traders"}
    assert github.signals == []


async def test_homonym_scenario_ignores_a_linked_profile() -> None:
    q = query("Homonym", links=("https://github.com/jane-codes",))

    github = (await run(q))["github"]

    assert [h.via for h in github.hits] == ["search"]


async def test_homonyms_are_still_clear_of_sanctions() -> None:
    sanctions = (await run(query("Homonym")))["sanctions"]

    assert [s.stance for s in sanctions.signals] == [Stance.SUPPORTS]


async def test_unavailable_candidates_find_every_source_unavailable() -> None:
    results = await run(query("Unavailable"))

    assert {r.state for r in results.values()} == {SourceState.UNAVAILABLE}
    assert all(not r.signals and not r.hits for r in results.values())


async def test_without_employer_or_school_registry_and_orcid_find_nothing() -> None:
    q = SourceQuery(full_name="Jane Doe", first_name="Jane", last_name="Doe")

    results = await run(q)

    assert results["companies_house"].hits == []
    assert results["orcid"].hits == []
    assert results["companies_house"].state is SourceState.CHECKED


def test_test_key_analyses_get_the_sandbox_and_live_ones_the_providers() -> None:
    live, sandbox = sandbox_profile_sources(), sandbox_evidence_sources()
    sources = SourceSet(live=live, sandbox=sandbox)
    assert sources.for_environment(Environment.TEST) is sandbox
    assert sources.for_environment(Environment.LIVE) is live
