"""The TypeScript SDK (`sdks/typescript`, `@dossier/client`) against the session's stack:
`npm ci` (skipped while node_modules matches package-lock.json), `npm run build`, then
`npm test` — node's test runner — with a sandbox key of a partner of its own (so its webhook
endpoint and analyses share nothing with the other tests) and another partner's key for the
404 isolation check. The node tests cover the schema drift, retries, typed errors,
verifyWebhook, the packed package, and every SDK verb against the real gateway."""

import hashlib
import os
import re
import shutil
import subprocess
import time

import pytest

from dossier.devstack.stack import LocalStack
from tests.e2e.conftest import REPO, create_partner

SDK = REPO / "sdks" / "typescript"
#: Written after a successful `npm ci`: the hash of the package-lock.json it installed.
STAMP = SDK / "node_modules" / ".package-lock.sha256"


def npm(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    executable = shutil.which("npm")
    assert executable, "npm (Node.js >= 20) is needed for the TypeScript SDK tests"
    return subprocess.run(
        [executable, *args],
        cwd=SDK,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=540,
        check=False,
    )


def ensure_node_modules() -> None:
    """`npm ci` once per package-lock.json: a warm run costs nothing."""
    digest = hashlib.sha256((SDK / "package-lock.json").read_bytes()).hexdigest()
    if STAMP.is_file() and STAMP.read_text() == digest:
        return
    installed = npm("ci", "--no-audit", "--no-fund")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    STAMP.write_text(digest)


def counts(output: str) -> dict[str, int]:
    """The totals of node's spec reporter (`ℹ pass 12`, `ℹ fail 0`, …)."""
    return {
        name: int(value)
        for name, value in re.findall(
            r"^\S*\s*(tests|pass|fail|cancelled|skipped|todo) (\d+)$", output, re.M
        )
    }


@pytest.mark.timeout(900)
def test_the_typescript_sdk_passes_its_tests_against_the_stack(
    stack: LocalStack, gateway_url: str, other_partner: dict[str, str]
) -> None:
    own = create_partner(stack, "TypeScript SDK")
    started = time.monotonic()
    ensure_node_modules()
    installed = time.monotonic()
    built = npm("run", "build")
    assert built.returncode == 0, built.stdout + built.stderr
    ready = time.monotonic()

    result = npm(
        "test",
        env={
            "DOSSIER_BASE_URL": gateway_url,
            "DOSSIER_API_KEY": own["test_api_key"],
            "DOSSIER_OTHER_API_KEY": other_partner["test_api_key"],
        },
    )

    output = result.stdout + result.stderr
    print(output)  # shown by pytest when an assertion fails (and with -s)
    print(
        f"npm ci {installed - started:.1f} s, build {ready - installed:.1f} s, "
        f"npm test {time.monotonic() - ready:.1f} s"
    )
    totals = counts(result.stdout)
    assert result.returncode == 0, output
    assert totals.get("pass", 0) > 0, output
    assert totals.get("fail") == 0, output
    assert totals.get("cancelled") == 0, output
    assert totals.get("skipped") == 0, output
    assert totals.get("tests") == totals.get("pass"), output
