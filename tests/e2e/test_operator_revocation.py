"""`dossier keys revoke`: the operator's revocation is audited like an API revocation, in the
chain of the key's environment, and the chain still verifies."""

import csv
import io
import os
import secrets
import subprocess

import httpx

from dossier.devstack.stack import LocalStack
from tests.e2e.conftest import REPO, create_partner


def dossier_cli(stack: LocalStack, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(REPO / ".venv" / "bin" / "dossier"), *args],
        env={**os.environ, **stack.config.service_environment("gateway")},
        capture_output=True,
        text=True,
        check=False,
    )


async def audit_rows(client: httpx.AsyncClient) -> list[dict[str, str]]:
    response = await client.get("/api/v1/audit/export")
    assert response.status_code == 200, response.text
    return list(csv.DictReader(io.StringIO(response.text, newline="")))


async def test_cli_revocation_writes_one_audit_entry_in_the_keys_chain(stack: LocalStack) -> None:
    partner = create_partner(stack, f"Operator revoke {secrets.token_hex(3)}")
    async with (
        httpx.AsyncClient(
            base_url=stack.config.gateway_url, headers={"X-API-Key": partner["api_key"]}
        ) as live,
        httpx.AsyncClient(
            base_url=stack.config.gateway_url, headers={"X-API-Key": partner["test_api_key"]}
        ) as sandbox,
    ):
        created = await sandbox.post(
            "/api/v1/keys",
            json={"name": "ci", "scopes": ["analyses:read"], "environment": "test"},
        )
        assert created.status_code == 201, created.text
        key = created.json()

        revoked = dossier_cli(stack, "keys", "revoke", key["prefix"])
        again = dossier_cli(stack, "keys", "revoke", key["prefix"])

        test_rows = await audit_rows(sandbox)
        live_rows = await audit_rows(live)
        verified = (await sandbox.get("/api/v1/audit/verify")).json()
        listed = (await sandbox.get("/api/v1/keys")).json()["data"]

    assert revoked.returncode == 0, revoked.stderr
    assert again.returncode == 1  # already revoked: nothing done, nothing recorded
    revocations = [r for r in test_rows if r["action"] == "key.revoked"]
    assert [(r["actor"], r["target"]) for r in revocations] == [("operator-cli", key["id"])]
    assert '"environment":"test"' in revocations[0]["details"]
    assert not [r for r in live_rows if r["target"] == key["id"]]
    assert verified["valid"] is True
    assert verified["head_hash"] == revocations[0]["hash"]
    assert [k["revoked_at"] for k in listed if k["id"] == key["id"]] != [None]


async def test_cli_revocation_of_an_unknown_key_fails_and_records_nothing(
    stack: LocalStack,
) -> None:
    result = dossier_cli(stack, "keys", "revoke", "ats_live_000000000000")

    assert result.returncode == 1
    assert "no active key" in result.stderr
