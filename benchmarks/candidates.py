"""Request bodies: a new candidate (with the e2e suite's sample CV) per analysis."""

import secrets
from pathlib import Path
from typing import Any

# The e2e suite's CV, read as text: importing `tests.e2e` would pull in pytest fixtures.
_HELPERS = Path(__file__).resolve().parents[1] / "tests" / "e2e" / "helpers.py"
SAMPLE_CV = _HELPERS.read_text().split('SAMPLE_CV = """')[1].split('"""')[0]


def analysis_body(client_id: str | None = None, candidate_id: str | None = None) -> dict[str, Any]:
    """A valid `POST /api/v1/analyses` body; fresh client and candidate ids unless given."""
    return {
        "language": "en",
        "client": {"id": client_id or f"c_{secrets.token_hex(6)}"},
        "candidate": {
            "id": candidate_id or f"k_{secrets.token_hex(6)}",
            "first_name": "John",
            "last_name": "Doe",
            "company": "Example Company",
            "location": "London, UK",
            "cv": SAMPLE_CV,
        },
    }
