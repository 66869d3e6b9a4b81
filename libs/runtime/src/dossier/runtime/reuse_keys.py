"""The reuse key: partner + environment + client company + candidate, as one string.

The gateway's reuse index keys analyses by it; the dismissed profiles of a candidate
(reviewer feedback) are keyed by it too, so identity finds them with one keyed read.
"""

import hashlib
import json

from dossier.contracts.enums import Environment


def reuse_key(partner_id: str, environment: Environment, client_id: str, candidate_id: str) -> str:
    """Stable and unambiguous whatever characters the partner's ids contain."""
    raw = json.dumps([partner_id, environment.value, client_id, candidate_id])
    return hashlib.sha256(raw.encode()).hexdigest()
