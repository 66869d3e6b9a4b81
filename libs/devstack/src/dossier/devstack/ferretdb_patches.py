"""Source patches applied to FerretDB before the local build (development and CI only).

Each patch replaces one exact line and says why; provisioning fails loudly if
the line is not there (a different FerretDB version needs its patches
reviewed). The patch level is part of the binary's cache folder, so a changed
list rebuilds FerretDB on the next `make install`.

Production runs real MongoDB and is not affected.
"""

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SourcePatch:
    path: str
    old: str
    new: str
    why: str


PATCHES = (
    SourcePatch(
        path="internal/backends/sqlite/metadata/metadata.go",
        old="\tIDColumn = DefaultColumn + \"->'$._id'\"",
        new="\tIDColumn = DefaultColumn + \"->'_id'\"",
        why='FerretDB\'s SQLite backend creates the `_id_` index on `_ferretdb_sjson->"_id"` '
        "but filters by `_ferretdb_sjson->'$._id'`. SQLite matches index expressions "
        "literally, so every `{_id: …}` lookup, update and delete was a full table scan "
        "parsing each row's JSON (EXPLAIN QUERY PLAN: `SCAN`). `->'_id'` means the same "
        "and matches the index (`SEARCH … USING INDEX`).",
    ),
)

#: Bump with any change to PATCHES (it names the cached binary's folder).
PATCH_LEVEL = 1


def apply_patches(src: Path) -> None:
    for patch in PATCHES:
        target = src / patch.path
        text = target.read_text()
        if text.count(patch.old) != 1:
            msg = f"FerretDB patch does not apply: {patch.path} lacks {patch.old!r}"
            raise RuntimeError(msg)
        target.write_text(text.replace(patch.old, patch.new))
