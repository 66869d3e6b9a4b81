"""One `IdentityPhrasebook` per report language (`en.py`, `fr.py`, …)."""
