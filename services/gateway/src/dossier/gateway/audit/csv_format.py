"""The audit trail as CSV, and back: what the export writes is exactly what the verifier reads.

Every field the hash covers is a column, so an auditor can recompute the chain
from the file alone (`dossier audit verify FILE.csv`) without trusting the
server. `details` is written in the canonical JSON form the hash uses (sorted
keys, no spaces), so parsing it back yields the same value and the same hash.
"""

import csv
import io
import json
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from dossier.gateway.audit.trail import ChainCheck, ChainVerifier

COLUMNS = (
    "seq",
    "at",
    "partner_id",
    "actor",
    "action",
    "target",
    "target_digest",
    "details",
    "prev_hash",
    "hash",
)
_ROWS_PER_CHUNK = 200


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def to_row(entry: Mapping[str, Any]) -> list[str]:
    return [
        str(entry["seq"]),
        str(entry["at"]),
        str(entry["partner_id"]),
        str(entry["actor"]),
        str(entry["action"]),
        str(entry["target"]),
        str(entry.get("target_digest") or ""),
        canonical_json(entry.get("details") or {}),
        str(entry["prev_hash"]),
        str(entry["hash"]),
    ]


def from_row(row: Mapping[str, str]) -> dict[str, Any]:
    """One CSV row as the entry it was written from (the inverse of `to_row`)."""
    return {
        "seq": int(row["seq"]),
        "at": row["at"],
        "partner_id": row["partner_id"],
        "actor": row["actor"],
        "action": row["action"],
        "target": row["target"],
        "target_digest": row["target_digest"] or None,
        "details": json.loads(row["details"]),
        "prev_hash": row["prev_hash"],
        "hash": row["hash"],
    }


def _render(rows: Iterable[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


async def stream_csv(entries: AsyncIterable[Mapping[str, Any]]) -> AsyncIterator[str]:
    """The header, then the rows in chunks, as the cursor delivers them."""
    yield _render([list(COLUMNS)])
    chunk: list[list[str]] = []
    async for entry in entries:
        chunk.append(to_row(entry))
        if len(chunk) >= _ROWS_PER_CHUNK:
            yield _render(chunk)
            chunk = []
    if chunk:
        yield _render(chunk)


def read_entries(lines: Iterable[str]) -> Iterator[dict[str, Any]]:
    reader = csv.DictReader(lines)
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        msg = f"not an audit export: missing column(s) {', '.join(missing)}"
        raise ValueError(msg)
    for row in reader:
        yield from_row(row)


def verify_rows(entries: Iterable[Mapping[str, Any]]) -> ChainCheck:
    """Recompute the chain. A file starting after seq 1 (a `from=` export) is checked as
    a segment: linked from its first row's `prev_hash`."""
    verifier: ChainVerifier | None = None
    for entry in entries:
        if verifier is None:
            verifier = ChainVerifier(segment=entry["seq"] != 1)
        verifier.feed(entry)
    return (verifier or ChainVerifier()).result()


def verify_csv_file(path: Path) -> ChainCheck:
    with path.open(newline="", encoding="utf-8") as handle:
        return verify_rows(read_entries(handle))


def verify_command(path: Path) -> int:
    """`dossier audit verify FILE.csv`: print the verdict as JSON; exit 0 only if intact."""
    try:
        check = verify_csv_file(path)
    except (OSError, ValueError, KeyError, csv.Error) as exc:
        print(json.dumps({"valid": False, "error": str(exc)}))
        return 2
    print(
        json.dumps(
            {
                "valid": check.valid,
                "entries": check.entries,
                "first_invalid_seq": check.first_invalid_seq,
                "head_hash": check.head_hash,
                "segment": check.first_seq != 1,
                "first_seq": check.first_seq,
            }
        )
    )
    return 0 if check.valid else 1
