"""The index registry: one list, consistent with itself, and `docs/indexes.md` rendered from it."""

from pathlib import Path

from dossier.runtime import collections
from dossier.runtime.indexes import INDEXES, IndexSpec, markdown_document, markdown_table

REPO = Path(__file__).resolve().parents[3]

COLLECTION_NAMES = {
    value for name, value in vars(collections).items() if name.isupper() and isinstance(value, str)
}


def test_every_index_is_on_a_named_collection() -> None:
    assert {spec.collection for spec in INDEXES} <= COLLECTION_NAMES


def test_no_index_is_listed_twice() -> None:
    names = [(spec.collection, spec.name) for spec in INDEXES]
    assert len(names) == len(set(names))


def test_every_index_says_why_it_exists() -> None:
    assert all(len(spec.reason) > 20 for spec in INDEXES)


def test_only_unique_indexes_are_created_on_ferretdb() -> None:
    unique = IndexSpec("c", (("a", 1),), "a race decided by the index", unique=True)
    ttl = IndexSpec("c", (("b", 1),), "expiry", expire_after_seconds=0)
    assert unique.needed_by_ferretdb
    assert not ttl.needed_by_ferretdb


def test_the_name_is_mongodbs_default_name() -> None:
    spec = IndexSpec("c", (("published", 1), ("created_at", -1)), "why")
    assert spec.name == "published_1_created_at_-1"


def test_the_table_has_one_row_per_index_with_its_options() -> None:
    table = markdown_table(
        (
            IndexSpec("partners", (("platform_id", 1),), "one per platform", unique=True),
            IndexSpec("slots", (("expires_at", 1),), "expiry", expire_after_seconds=0),
        )
    )
    assert table.splitlines()[2:] == [
        "| `partners` | `platform_id: 1` | unique | one per platform |",
        "| `slots` | `expires_at: 1` | TTL 0 s | expiry |",
    ]


def test_docs_indexes_md_is_rendered_from_the_registry() -> None:
    """Regenerate with `dossier indexes list --markdown > docs/indexes.md`."""
    assert (REPO / "docs" / "indexes.md").read_text(encoding="utf-8") == markdown_document()
