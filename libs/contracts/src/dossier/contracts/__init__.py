"""Dossier contracts: every API body, bus event, topic name and enum, defined once."""
