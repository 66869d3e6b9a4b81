"""Generate the SDK's pydantic models from the gateway's OpenAPI document.

    python sdks/python/scripts/generate_models.py [--openapi docs/openapi.json] [--out FILE]
    python sdks/python/scripts/generate_models.py --check   # exit 1 when the models drifted

Every schema under `components.schemas` becomes one model (objects) or one `StrEnum`
(string enums), in dependency order, into `src/dossier_client/_generated.py`. No third-party
generator: the document uses a small part of JSON Schema (objects, arrays, `$ref`,
`anyOf` with null, `const`, string enums), and a stdlib script keeps the output stable
across tool versions, so the drift test can compare it byte for byte.
"""

from __future__ import annotations

import argparse
import json
import keyword
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT_OPENAPI = HERE.parents[2] / "docs" / "openapi.json"
DEFAULT_OUT = HERE.parent / "src" / "dossier_client" / "_generated.py"

HEADER = '''"""Models of the Dossier API, generated from docs/openapi.json — do not edit.

Regenerate with `make sdk-models` (sdks/python/scripts/generate_models.py).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class DossierModel(BaseModel):
    """Base of every model: unknown fields from a newer server are kept, not rejected."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)
'''


def _lit(value: Any) -> str:
    """A Python literal, strings double-quoted like the rest of the code base."""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else repr(value)


_SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def type_of(schema: dict[str, Any]) -> str:  # noqa: PLR0911 (one return per schema kind)
    """The Python annotation for one JSON Schema."""
    if "$ref" in schema:
        return _ref_name(schema["$ref"])
    if "anyOf" in schema or "oneOf" in schema:
        parts: list[str] = []
        for option in schema.get("anyOf", schema.get("oneOf", [])):
            annotation = type_of(option)
            if annotation not in parts:
                parts.append(annotation)
        if "None" in parts:  # `X | None`, with None last
            parts = [p for p in parts if p != "None"] + ["None"]
        return " | ".join(parts)
    if "const" in schema:
        return f"Literal[{_lit(schema['const'])}]"
    if "enum" in schema:
        return "Literal[" + ", ".join(_lit(v) for v in schema["enum"]) + "]"
    kind = schema.get("type")
    if kind == "null":
        return "None"
    if kind == "array":
        return f"list[{type_of(schema.get('items', {}))}]"
    if kind == "object":
        extra = schema.get("additionalProperties")
        value = type_of(extra) if isinstance(extra, dict) else "Any"
        return f"dict[str, {value}]"
    if isinstance(kind, str) and kind in _SCALARS:
        return _SCALARS[kind]
    return "Any"


def _refs(schema: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(schema, dict):
        if "$ref" in schema:
            found.add(_ref_name(schema["$ref"]))
        for value in schema.values():
            found |= _refs(value)
    elif isinstance(schema, list):
        for value in schema:
            found |= _refs(value)
    return found


def _ordered(schemas: dict[str, Any]) -> list[str]:
    """Enums first, then models after everything they refer to (names sorted for stability)."""
    done: list[str] = []
    seen: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in seen or name in path or name not in schemas:
            return
        for dependency in sorted(_refs(schemas[name])):
            visit(dependency, (*path, name))
        seen.add(name)
        done.append(name)

    enums = sorted(n for n, s in schemas.items() if "enum" in s and s.get("type") == "string")
    for name in enums + sorted(schemas):
        visit(name, ())
    return done


def _docstring(text: str | None, indent: str = "    ") -> list[str]:
    if not text:
        return []
    text = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"').strip()
    lines = text.splitlines()
    if len(lines) == 1:
        return [f'{indent}"""{lines[0]}"""', ""]
    body = [lines[0]] + [f"{indent}{line}" if line.strip() else "" for line in lines[1:]]
    return [f'{indent}"""{body[0]}', *body[1:], f'{indent}"""', ""]


def _enum(name: str, schema: dict[str, Any]) -> list[str]:
    lines = [f"class {name}(StrEnum):", *_docstring(schema.get("description"))]
    for value in schema["enum"]:
        member = "".join(c if c.isalnum() else "_" for c in str(value)).upper()
        if not member or member[0].isdigit() or keyword.iskeyword(member):
            member = f"V_{member}"
        lines.append(f"    {member} = {_lit(value)}")
    return lines


def _field(name: str, schema: dict[str, Any], required: bool, enums: set[str]) -> str:
    annotation = type_of(schema)
    attribute = name
    arguments: list[str] = []
    if not name.isidentifier() or keyword.iskeyword(name):
        attribute = "".join(c if c.isalnum() else "_" for c in name) + "_"
        arguments.append(f"alias={_lit(name)}")
    if required:
        default = None
    elif "default" in schema:
        value = schema["default"]
        if isinstance(value, list | dict):
            default = f"default_factory=lambda: {value!r}"
        else:
            default = _lit(value)
            if annotation in enums and isinstance(value, str):
                default = f"{annotation}({default})"
            if value is None and "None" not in annotation.split(" | "):
                annotation += " | None"
    else:
        default = "None"
        if "None" not in annotation.split(" | "):
            annotation += " | None"
    if default is not None and default.startswith("default_factory"):
        arguments.insert(0, default)
        return f"    {attribute}: {annotation} = Field({', '.join(arguments)})"
    if arguments:
        if default is not None:
            arguments.insert(0, f"default={default}")
        return f"    {attribute}: {annotation} = Field({', '.join(arguments)})"
    return f"    {attribute}: {annotation}" + (f" = {default}" if default is not None else "")


def _model(name: str, schema: dict[str, Any], enums: set[str]) -> list[str]:
    lines = [f"class {name}(DossierModel):", *_docstring(schema.get("description"))]
    required = set(schema.get("required", []))
    properties: dict[str, Any] = schema.get("properties", {})
    lines += [_field(n, s, n in required, enums) for n, s in properties.items()]
    if not properties:
        lines.append("    pass")
    return lines


def render(openapi: dict[str, Any]) -> str:
    """The whole `_generated.py` for one OpenAPI document."""
    schemas: dict[str, Any] = openapi["components"]["schemas"]
    blocks: list[list[str]] = []
    enums = {n for n, s in schemas.items() if "enum" in s and s.get("type") == "string"}
    for name in _ordered(schemas):
        schema = schemas[name]
        if "enum" in schema and schema.get("type") == "string":
            blocks.append(_enum(name, schema))
        elif schema.get("type") == "object" or "properties" in schema:
            blocks.append(_model(name, schema, enums))
        else:
            blocks.append([f"{name} = {type_of(schema)}"])
    names = ", ".join(_lit(n) for n in ["DossierModel", *_ordered(schemas)])
    body = "\n\n\n".join("\n".join(line.rstrip() for line in block).rstrip() for block in blocks)
    return f"{HEADER}\n\n{body}\n\n\n__all__ = [{names}]\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--openapi", type=Path, default=DEFAULT_OPENAPI)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--check", action="store_true", help="fail if --out is not up to date")
    args = parser.parse_args()
    text = render(json.loads(args.openapi.read_text(encoding="utf-8")))
    if args.check:
        if args.out.read_text(encoding="utf-8") != text:
            print(f"{args.out} drifted from {args.openapi}: run `make sdk-models`", file=sys.stderr)
            return 1
        return 0
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
