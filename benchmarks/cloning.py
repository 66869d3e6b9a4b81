"""Clone stored documents with their identifiers substituted (pure; no I/O).

Store growth is seeded without knowing the storage layout (it is being redesigned):
whatever documents a real analysis left behind, in whatever collections, are copied
with every identifier that belongs to it replaced, so each copy is a distinct
analysis with the same shape, sizes and keys as a real one.

An identifier "belongs to" the template when it is an id-like token (letters, digits,
`_` or `-`, with a digit and a letter, 8+ characters, not a date) that occurs in the template's documents
and in no other document of the store. That catches what we put in (analysis, partner,
client and candidate ids) and whatever the code derived from them (a reuse-key hash, a
key id, an audit subject) while leaving shared values (a signal id shared with other
analyses of the same person, a chained hash) alone.
"""

import hashlib
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from bson import ObjectId

Document = dict[str, Any]

# A digit and a letter (not a counter), and not the date of an ISO timestamp cut at its colons.
_ID_LIKE = re.compile(
    r"(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])(?!\d{4}-\d\d-\d\d)[A-Za-z0-9_-]{8,}"
)
_SEPARATORS = re.compile(r"[^A-Za-z0-9_-]+")
_REPLACED_CHARS = 16  # hex digits of a copy-specific digest at the end of each token


def strings_in(value: Any) -> Iterator[str]:
    """Every string in a document: values and keys, at any depth."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if isinstance(key, str):
                yield key
            yield from strings_in(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from strings_in(item)


def id_tokens(text: str) -> set[str]:
    """Id-like pieces of a string, cut at anything but letters, digits, `_` and `-`."""
    return {part for part in _SEPARATORS.split(text) if _ID_LIKE.fullmatch(part)}


def tokens_of(documents: Iterable[Document]) -> set[str]:
    return {token for doc in documents for text in strings_in(doc) for token in id_tokens(text)}


def mentions(doc: Document, needles: Iterable[str]) -> bool:
    """True when any string in the document contains any of the needles."""
    wanted = tuple(needles)
    return any(needle in text for text in strings_in(doc) for needle in wanted)


def owned_tokens(template: Iterable[Document], others: Iterable[Document]) -> set[str]:
    """Tokens of the template's documents that no other document has; where one such
    token contains another (`ats_live_<key id>` and `<key id>`), only the inner one, so
    every occurrence of the inner id is replaced the same way."""
    owned = tokens_of(template) - tokens_of(others)
    return {t for t in owned if not any(o != t and o in t for o in owned)}


def replacement(token: str, copy: int) -> str:
    """The token in copy number `copy`: same length, same kind prefix (`an_`, `ptn_`…),
    up to 16 hex digits of a copy-specific digest at the end."""
    digest = hashlib.blake2b(f"{token}\x00{copy}".encode(), digest_size=8).hexdigest()
    kind = token.rfind("_") + 1
    if kind > len(token) // 2:
        kind = 0
    keep = max(kind, len(token) - _REPLACED_CHARS)
    return token[:keep] + digest[: len(token) - keep]


@dataclass(frozen=True)
class _Text:
    """A string with tokens in it: literal and token pieces, alternating."""

    pieces: tuple[str, ...]  # even index: literal; odd index: token


@dataclass(frozen=True)
class _Mapping:
    items: tuple[tuple[Any, Any], ...]


@dataclass(frozen=True)
class _Sequence:
    items: tuple[Any, ...]


def _compile(value: Any, pattern: re.Pattern[str]) -> Any:
    """A recipe: unchanged parts stay as they are (shared by every copy)."""
    if isinstance(value, str):
        pieces = pattern.split(value)
        return _Text(tuple(pieces)) if len(pieces) > 1 else value
    if isinstance(value, Mapping):
        items = tuple((_compile(k, pattern), _compile(v, pattern)) for k, v in value.items())
        if all(
            k is key and v is item for (k, v), (key, item) in zip(items, value.items(), strict=True)
        ):
            return value
        return _Mapping(items)
    if isinstance(value, list | tuple):
        compiled = tuple(_compile(v, pattern) for v in value)
        if all(c is v for c, v in zip(compiled, value, strict=True)):
            return value
        return _Sequence(compiled)
    return value


def _render(recipe: Any, names: Mapping[str, str]) -> Any:
    if isinstance(recipe, _Text):
        return "".join(names[p] if i % 2 else p for i, p in enumerate(recipe.pieces))
    if isinstance(recipe, _Mapping):
        return {_render(k, names): _render(v, names) for k, v in recipe.items}
    if isinstance(recipe, _Sequence):
        return [_render(v, names) for v in recipe.items]
    return recipe


class DocumentCloner:
    """Copies of a set of (collection, document) pairs with `tokens` substituted.

    An `ObjectId` `_id` is left out of the copies (the driver assigns a new one);
    documents with any other `_id` that holds no token cannot be copied without
    colliding: they are left out and listed in `singletons`.
    """

    def __init__(self, documents: Iterable[tuple[str, Document]], tokens: Iterable[str]) -> None:
        self.tokens = sorted(set(tokens), key=lambda t: (-len(t), t))
        if not self.tokens:
            msg = "nothing to substitute"
            raise ValueError(msg)
        pattern = re.compile("(" + "|".join(re.escape(t) for t in self.tokens) + ")")
        self.recipes: list[tuple[str, Any]] = []
        self.singletons: list[tuple[str, Any]] = []
        for collection, doc in documents:
            key = doc.get("_id")
            if not isinstance(key, ObjectId) and len(pattern.split(str(key))) == 1:
                self.singletons.append((collection, key))
                continue
            body = {k: v for k, v in doc.items() if not (k == "_id" and isinstance(v, ObjectId))}
            self.recipes.append((collection, _compile(body, pattern)))

    def copy(self, number: int) -> list[tuple[str, Document]]:
        """Copy number `number` of every document (deterministic)."""
        names = {token: replacement(token, number) for token in self.tokens}
        # A fresh top-level dict each time: the driver writes a new `_id` into it.
        return [(collection, dict(_render(recipe, names))) for collection, recipe in self.recipes]
