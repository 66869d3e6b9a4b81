"""`dossier`: the operator's command line (partners, keys, audit exports, indexes).

dossier partners create --name NAME [--plan P] [--monthly-credits N] --json
dossier keys revoke KEY_PREFIX
dossier audit verify FILE.csv   (offline: recomputes an exported audit chain)
dossier indexes list [--markdown]   (offline: the index registry; --markdown is docs/indexes.md)
dossier indexes apply [--all]   (MongoDB: all of them; FerretDB: unique ones, unless --all)
dossier openapi write|check   (offline: docs/openapi.json from the app, or fail if it differs)
dossier openapi release VERSION   (offline: keep docs/openapi-released/v<VERSION>.json)
"""

import argparse
import asyncio
import json
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from pymongo.asynchronous.database import AsyncDatabase

from dossier.contracts.enums import Environment
from dossier.gateway.audit.csv_format import verify_command
from dossier.gateway.audit.trail import AuditTrail
from dossier.gateway.auth.keys import LEGACY_KIND, V1_KIND
from dossier.gateway.auth.repository import PartnerRepository, key_id_from
from dossier.gateway.keys.service import KeyService
from dossier.gateway.settings import GatewaySettings
from dossier.runtime.collections import API_KEYS
from dossier.runtime.indexes import (
    INDEXES,
    apply_for_server,
    apply_indexes,
    markdown_document,
    unlisted_indexes,
)
from dossier.runtime.mongo import Document, connect_mongo, database
from dossier.runtime.settings import MongoSettings
from dossier.runtime.store_commands import store_job


@asynccontextmanager
async def store(settings: MongoSettings) -> AsyncIterator[AsyncDatabase[Document]]:
    """The store for one operator command, closed afterwards."""
    client = connect_mongo(settings, serves_requests=True)
    try:
        yield database(client, settings)
    finally:
        await client.close()


@store_job("operator-cli")
async def _create_partner(args: argparse.Namespace, settings: GatewaySettings) -> int:
    async with store(settings) as db:
        repo = PartnerRepository(db)
        partner = await repo.create_partner(
            args.name, plan=args.plan, monthly_credits=args.monthly_credits
        )
        api_key, _ = await repo.issue_key(partner, kind=V1_KIND, name="initial v1 key")
        test_api_key, _ = await repo.issue_key(
            partner, kind=V1_KIND, environment=Environment.TEST, name="initial sandbox key"
        )
        partner_key, _ = await repo.issue_key(partner, kind=LEGACY_KIND, name="initial legacy key")
    result = {
        "partner_id": partner.id,
        "platform_id": partner.platform_id,
        "api_key": api_key,
        "partner_key": partner_key,
        "test_api_key": test_api_key,
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(f"partner {partner.id} (platform {partner.platform_id}) created.")
        print("These keys are shown once; store them now.")
        print(f"  X-API-Key:     {api_key}\n  X-Partner-Key: {partner_key}")
        print(f"  Sandbox X-API-Key (test mode, never billed): {test_api_key}")
    return 0


@store_job("operator-cli")
async def _revoke_key(args: argparse.Namespace, settings: GatewaySettings) -> int:
    """Revoke through the same path as `DELETE /api/v1/keys/{id}`, so the revocation is in
    the partner's audit chain (actor `operator-cli`)."""
    key_id = key_id_from(args.key_prefix)
    revoked = None
    async with store(settings) as db:
        owner = await db[API_KEYS].find_one({"_id": key_id}, {"partner_id": 1}) if key_id else None
        if owner is not None:
            keys = KeyService(PartnerRepository(db), AuditTrail(db))
            revoked = await keys.revoke_as_operator(owner["partner_id"], args.key_prefix)
    print("revoked" if revoked else "no active key with that prefix", file=sys.stderr)
    return 0 if revoked else 1


def _list_indexes(args: argparse.Namespace) -> int:
    if args.markdown:
        sys.stdout.write(markdown_document())
        return 0
    for spec in INDEXES:
        keys = ", ".join(f"{field}: {direction}" for field, direction in spec.keys)
        options = "".join(
            (
                " unique" if spec.unique else "",
                f" ttl={spec.expire_after_seconds}s"
                if spec.expire_after_seconds is not None
                else "",
            )
        )
        print(f"{spec.collection} {{{keys}}}{options}  # {spec.reason}")
    return 0


@store_job("operator-cli")
async def _apply_indexes(args: argparse.Namespace, settings: MongoSettings) -> int:
    """Only the store's settings: a deploy job runs this before the services' secrets exist."""
    async with store(settings) as db:
        created = await (apply_indexes(db, secondary=True) if args.all else apply_for_server(db))
        unlisted = await unlisted_indexes(db)
    for name in created:
        print(f"index {name}")
    for name in unlisted:
        print(f"not in the registry, left in place: {name}", file=sys.stderr)
    return 0


def _openapi(args: argparse.Namespace) -> int:
    # Builds the whole app: imported only for this command, not for every operator command.
    from dossier.gateway.docs import spec_file  # noqa: PLC0415

    if args.action == "write":
        changed = spec_file.write(args.path)
        print(f"{args.path} {'written' if changed else 'unchanged'}", file=sys.stderr)
        return 0
    if args.action == "check":
        if spec_file.is_current(args.path):
            return 0
        print(f"{args.path} differs from the served document: run `make openapi`", file=sys.stderr)
        return 1
    print(spec_file.release(args.version), file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="dossier", description="Dossier operator commands.")
    groups = parser.add_subparsers(dest="group", required=True)
    partners = groups.add_parser("partners").add_subparsers(dest="action", required=True)
    create = partners.add_parser("create", help="create a partner and its first keys")
    create.add_argument("--name", required=True)
    create.add_argument("--plan", default="standard")
    create.add_argument("--monthly-credits", type=int, default=None)
    create.add_argument("--json", action="store_true", help="print the result as JSON")
    keys = groups.add_parser("keys").add_subparsers(dest="action", required=True)
    revoke = keys.add_parser("revoke", help="revoke a key by its prefix (ats_live_<id>)")
    revoke.add_argument("key_prefix")
    audit = groups.add_parser("audit").add_subparsers(dest="action", required=True)
    verify = audit.add_parser("verify", help="recompute the hash chain of an audit CSV export")
    verify.add_argument("file", type=Path)
    indexes = groups.add_parser("indexes").add_subparsers(dest="action", required=True)
    listing = indexes.add_parser("list", help="the MongoDB indexes Dossier needs, and why")
    listing.add_argument("--markdown", action="store_true", help="print docs/indexes.md")
    apply = indexes.add_parser("apply", help="create them (idempotent)")
    apply.add_argument(
        "--all",
        action="store_true",
        help="also the secondary ones on FerretDB, which only creates unique ones by default",
    )
    openapi = groups.add_parser("openapi").add_subparsers(dest="action", required=True)
    for action, text in (
        ("write", "write the served OpenAPI document to docs/openapi.json"),
        ("check", "exit 1 if docs/openapi.json differs from the served document"),
    ):
        sub = openapi.add_parser(action, help=text)
        sub.add_argument("--path", type=Path, default=Path("docs") / "openapi.json")
    keep = openapi.add_parser("release", help="keep the document as docs/openapi-released/vX")
    keep.add_argument("version", help="the app's version, e.g. 1.1.0")
    args = parser.parse_args(argv)
    if args.group == "openapi":  # offline
        raise SystemExit(_openapi(args))
    if args.group == "audit":  # offline: no settings, no database
        raise SystemExit(verify_command(args.file))
    if args.group == "indexes":
        if args.action == "list":  # offline too
            raise SystemExit(_list_indexes(args))
        store = MongoSettings(service_name="operator-cli")
        raise SystemExit(asyncio.run(_apply_indexes(args, store)))

    settings = GatewaySettings()
    handler = _create_partner if args.group == "partners" else _revoke_key
    raise SystemExit(asyncio.run(handler(args, settings)))


if __name__ == "__main__":
    main()
