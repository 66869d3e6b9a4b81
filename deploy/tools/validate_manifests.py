"""Validate rendered Kubernetes manifests: built-in kinds against the Kubernetes OpenAPI
schemas shipped by kubernetes-validate (strict: unknown fields fail), custom resources
against the schemas in deploy/schemas/ (written for this chart).

A kind that has neither schema fails: a typo in apiVersion must not pass as "unknown".
Runs inside `uvx --from kubernetes-validate==<pin> python`, so it may import
kubernetes_validate, jsonschema and yaml.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import yaml
from kubernetes_validate.utils import SchemaNotFoundError

#: (apiVersion, kind) → schema file under --crd-schemas.
CUSTOM_RESOURCE_SCHEMAS = {
    ("monitoring.coreos.com/v1", "ServiceMonitor"): "servicemonitor-monitoring-v1.json",
    ("keda.sh/v1alpha1", "ScaledObject"): "scaledobject-keda-v1alpha1.json",
}


def load_documents(path: Path) -> list[dict[str, Any]]:
    with path.open() as stream:
        return [doc for doc in yaml.safe_load_all(stream) if doc]


def custom_resource_errors(doc: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    validator = jsonschema.Draft7Validator(schema)
    errors = [
        f"{'.'.join(str(p) for p in error.absolute_path) or '<root>'}: {error.message}"
        for error in validator.iter_errors(doc)
    ]
    spec = doc.get("spec", {})
    if doc["kind"] == "ScaledObject" and spec.get("minReplicaCount", 0) > spec.get(
        "maxReplicaCount", 100
    ):
        errors.append("spec: minReplicaCount is greater than maxReplicaCount")
    return errors


def shell_script_errors(doc: dict[str, Any]) -> list[str]:
    """`bash -n` on scripts passed inline as `[bash, -c…, script]` (the topics Job)."""
    template = doc.get("spec", {}).get("template", {})
    containers = template.get("spec", {}).get("containers", [])
    bash = shutil.which("bash")
    errors: list[str] = []
    for container in containers:
        command = container.get("command") or []
        shells = ("bash", "/bin/bash")
        if bash and len(command) == 3 and command[0] in shells and "c" in command[1]:
            result = subprocess.run(  # noqa: S603 - bash from PATH, script from our own chart
                [bash, "-n"], input=command[2], capture_output=True, text=True, check=False
            )
            if result.returncode != 0:
                errors.append(f"{container['name']}: bash -n: {result.stderr.strip()}")
    return errors


def builtin_errors(doc: dict[str, Any], kubernetes_version: str) -> list[str]:
    try:
        kubernetes_validate.validate(doc, kubernetes_version, strict=True)
    except SchemaNotFoundError as error:
        return [error.message]
    except kubernetes_validate.ValidationError as error:
        path = ".".join(str(p) for p in error.path) or "<root>"
        return [f"{path}: {error.message}"]
    return []


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kubernetes-version", required=True)
    parser.add_argument("--crd-schemas", type=Path, required=True)
    parser.add_argument("manifests", type=Path, nargs="+")
    args = parser.parse_args()

    schemas = {
        key: json.loads((args.crd_schemas / name).read_text())
        for key, name in CUSTOM_RESOURCE_SCHEMAS.items()
    }
    passed = failed = 0
    for path in args.manifests:
        seen: set[tuple[str, str, str]] = set()
        for doc in load_documents(path):
            kind, name = doc.get("kind", "?"), doc.get("metadata", {}).get("name", "?")
            identity = (kind, doc.get("metadata", {}).get("namespace", ""), name)
            key = (doc.get("apiVersion", ""), kind)
            if key in schemas:
                errors = custom_resource_errors(doc, schemas[key])
            else:
                errors = builtin_errors(doc, args.kubernetes_version)
                errors += shell_script_errors(doc)
            if identity in seen:
                errors.append("rendered twice (same kind, namespace and name)")
            seen.add(identity)
            if errors:
                failed += 1
                for error in errors:
                    print(f"FAIL {path.name}: {kind}/{name}: {error}")
            else:
                passed += 1
    print(f"manifests: {passed} passed, {failed} failed")
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
