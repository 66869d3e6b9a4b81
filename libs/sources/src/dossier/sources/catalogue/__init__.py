"""One `SourcePhrasebook` per report language (`en.py`, `fr.py`, …)."""
