"""Every JSON example of seeds 001 and 000 parses into the contract models and dumps back unchanged."""

import json
from pathlib import Path

import pytest
from pydantic import BaseModel

from dossier.contracts.api import Analysis, AnalysisAccepted, AnalysisCreate
from dossier.contracts.legacy import LegacyRequest, LegacyResponse

EXAMPLES = Path(__file__).parent / "seed_examples"

CASES: list[tuple[str, type[BaseModel]]] = [
    ("v1_create_request.json", AnalysisCreate),
    ("v1_accepted.json", AnalysisAccepted),
    ("v1_processing.json", Analysis),
    ("v1_canceled.json", Analysis),
    ("v1_completed.json", Analysis),
    ("legacy_request.json", LegacyRequest),
    ("legacy_response.json", LegacyResponse),
]


@pytest.mark.parametrize(("filename", "model"), CASES)
def test_seed_example_round_trips_unchanged(filename: str, model: type[BaseModel]) -> None:
    original = json.loads((EXAMPLES / filename).read_text())

    dumped = model.model_validate(original).model_dump(mode="json", exclude_unset=True)

    assert dumped == original


def test_nested_objects_speak_camel_case_and_top_level_snake_case() -> None:
    analysis = Analysis.model_validate(json.loads((EXAMPLES / "v1_completed.json").read_text()))

    dumped = analysis.model_dump(mode="json")

    assert "candidate_id" in dumped
    assert "identityConfidence" in dumped["quick_signal"]
    assert "whatToValidate" in dumped["report"]
    assert "sourceType" in dumped["signals"][0]
