"""The audit trail's hash chain: intact chains verify; any tampering names the first bad seq."""

import csv
import io
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from dossier.gateway.audit.csv_format import COLUMNS, read_entries, stream_csv, verify_rows
from dossier.gateway.audit.trail import (
    GENESIS,
    REDACTED_TARGET,
    ChainVerifier,
    entry_hash,
    target_digest,
    verify_chain,
)

REPO = Path(__file__).resolve().parents[3]


def build_chain(n: int, *, digest_targets: bool = True) -> list[dict[str, Any]]:
    """A chain built exactly as `AuditTrail.record` builds it."""
    chain: list[dict[str, Any]] = []
    prev = GENESIS
    for seq in range(1, n + 1):
        target = f"an_{seq:024x}"
        entry: dict[str, Any] = {
            "seq": seq,
            "at": f"2026-06-29T12:00:{seq:02d}.000Z",
            "partner_id": "ptn_1",
            "actor": "key_1",
            "action": "analysis.created",
            "target": target,
            "details": {"subject": f"sub_{seq}", "n": seq, "name": "Zoë", "nested": {"b": 1}},
            "prev_hash": prev,
        }
        if digest_targets:
            entry["target_digest"] = target_digest(target)
        entry["hash"] = entry_hash(prev, entry)
        chain.append(entry)
        prev = entry["hash"]
    return chain


async def to_csv(entries: list[dict[str, Any]]) -> str:
    async def rows() -> Any:
        for entry in entries:
            yield entry

    return "".join([chunk async for chunk in stream_csv(rows())])


def test_intact_chain_verifies() -> None:
    assert verify_chain(build_chain(6)) is None


def test_chain_without_target_digests_verifies() -> None:
    assert verify_chain(build_chain(4, digest_targets=False)) is None


@pytest.mark.parametrize("field", ["at", "partner_id", "actor", "action", "target", "details"])
@pytest.mark.parametrize("position", [0, 2, 5])
def test_altering_any_field_of_any_row_names_that_row(field: str, position: int) -> None:
    chain = build_chain(6)
    value = chain[position][field]
    chain[position][field] = {**value, "n": 99} if isinstance(value, dict) else value + "x"
    assert verify_chain(chain) == position + 1


@pytest.mark.parametrize("field", ["seq", "prev_hash", "hash", "target_digest"])
def test_altering_chain_fields_names_that_row(field: str) -> None:
    chain = build_chain(5)
    value = chain[2][field]
    chain[2][field] = value + 7 if isinstance(value, int) else "0" * 64
    assert verify_chain(chain) == 3


def test_deleting_a_row_names_its_seq() -> None:
    chain = build_chain(6)
    del chain[3]
    assert verify_chain(chain) == 4


def test_deleting_the_first_row_names_seq_one() -> None:
    assert verify_chain(build_chain(3)[1:]) == 1


def test_swapping_two_rows_names_the_first_position() -> None:
    chain = build_chain(6)
    chain[1], chain[4] = chain[4], chain[1]
    assert verify_chain(chain) == 2


def test_swapping_contents_but_keeping_seq_names_the_first_row() -> None:
    chain = build_chain(5)
    chain[1], chain[2] = {**chain[2], "seq": 2}, {**chain[1], "seq": 3}
    assert verify_chain(chain) == 2


def test_redacted_target_still_verifies() -> None:
    chain = build_chain(5)
    chain[1]["target"] = REDACTED_TARGET
    chain[3]["target"] = REDACTED_TARGET
    assert verify_chain(chain) is None


def test_redaction_is_not_accepted_on_entries_hashed_over_the_raw_target() -> None:
    chain = build_chain(3, digest_targets=False)
    chain[1]["target"] = REDACTED_TARGET
    assert verify_chain(chain) == 2


def test_verifier_reports_entries_and_head_hash() -> None:
    chain = build_chain(4)
    verifier = ChainVerifier()
    for entry in chain:
        verifier.feed(entry)
    result = verifier.result()
    assert (result.valid, result.entries, result.head_hash) == (True, 4, chain[-1]["hash"])


async def test_csv_round_trip_verifies() -> None:
    chain = build_chain(7)
    text = await to_csv(chain)
    entries = list(read_entries(io.StringIO(text, newline="")))
    assert [e["hash"] for e in entries] == [e["hash"] for e in chain]
    assert verify_rows(entries).valid


async def test_csv_has_the_documented_columns() -> None:
    header = next(csv.reader(io.StringIO(await to_csv(build_chain(1)))))
    assert tuple(header) == COLUMNS


async def test_csv_row_altered_in_the_file_is_named() -> None:
    text = (await to_csv(build_chain(5))).replace("sub_3", "sub_X")
    result = verify_rows(read_entries(io.StringIO(text, newline="")))
    assert (result.valid, result.first_invalid_seq) == (False, 3)


async def test_csv_segment_from_a_later_seq_verifies_as_a_segment() -> None:
    text = await to_csv(build_chain(6)[2:])
    result = verify_rows(read_entries(io.StringIO(text, newline="")))
    assert (result.valid, result.first_seq, result.entries) == (True, 3, 4)


async def test_offline_cli_verifies_an_export(tmp_path: Path) -> None:
    good = tmp_path / "audit.csv"
    good.write_text(await to_csv(build_chain(4)), encoding="utf-8", newline="")
    bad = tmp_path / "tampered.csv"
    bad.write_text(good.read_text().replace("key_1", "key_2", 1), newline="")
    dossier = str(REPO / ".venv" / "bin" / "dossier")
    ok = subprocess.run(
        [dossier, "audit", "verify", str(good)], check=False, capture_output=True, text=True
    )
    broken = subprocess.run(
        [dossier, "audit", "verify", str(bad)], check=False, capture_output=True, text=True
    )
    assert (ok.returncode, broken.returncode) == (0, 1), (ok.stderr, broken.stderr, sys.executable)
    assert '"first_invalid_seq": 1' in broken.stdout
