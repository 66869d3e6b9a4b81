"""`/api/v1/audit`: the partner's hash-chained audit trail, as CSV, and its verification.

The audit trail is an administrator's artefact, so both operations need
`keys:manage` (like key management itself), not `usage:read`. Each environment
has its own chain: a test key exports and verifies the sandbox chain only, a
live key the live one.
"""

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from dossier.contracts.privacy import AuditVerification
from dossier.contracts.timestamps import format_timestamp, utcnow
from dossier.gateway.audit.csv_format import COLUMNS, stream_csv
from dossier.gateway.dependencies import Ctx, KeysManage

router = APIRouter(prefix="/api/v1/audit", tags=["audit"])

_EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
_LATEST = datetime(9999, 12, 31, tzinfo=UTC)


def _bound(value: datetime | None) -> datetime | None:
    """A filter instant in UTC, clamped to what the stored timestamps can compare with."""
    if value is None:
        return None
    try:
        utc = value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    except OverflowError:
        return _EARLIEST if value.year < 2000 else _LATEST
    return min(max(utc, _EARLIEST), _LATEST)


_CSV_DESCRIPTION = (
    "The audit trail of your key's environment as CSV, one row per entry in chain order, "
    "with the columns "
    f"`{'`, `'.join(COLUMNS)}`. `details` is canonical JSON, so the file alone is enough to "
    "recompute every hash (`dossier audit verify FILE.csv`). Needs the `keys:manage` scope: "
    "the audit trail is an administrator's artefact."
)


@router.get(
    "/export",
    response_class=StreamingResponse,
    summary="Export the audit trail as CSV",
    description=_CSV_DESCRIPTION,
    responses={
        200: {
            "description": "The chain (or the rows between `from` and `to`), streamed.",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    },
    operation_id="exportAuditTrail",
)
async def export_audit_trail(
    key: KeysManage,
    ctx: Ctx,
    since: Annotated[
        datetime | None,
        Query(alias="from", description="ISO 8601; rows recorded at or after this instant."),
    ] = None,
    until: Annotated[
        datetime | None,
        Query(alias="to", description="ISO 8601; rows recorded before this instant."),
    ] = None,
) -> StreamingResponse:
    stamp = format_timestamp(utcnow()).replace(":", "").replace(".", "")
    filename = f"audit-{key.partner.id}-{stamp}.csv"
    rows = ctx.audit.iter_entries(
        key.partner.id, key.environment, since=_bound(since), until=_bound(until)
    )
    return StreamingResponse(
        stream_csv(rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get(
    "/verify",
    response_model=AuditVerification,
    summary="Verify the audit trail's hash chain",
    description="Recomputes every hash of the chain of your key's environment from the first "
    "entry. Keep "
    "`head_hash`: a later answer whose chain does not extend it means rows were removed.",
    operation_id="verifyAuditTrail",
)
async def verify_audit_trail(key: KeysManage, ctx: Ctx) -> AuditVerification:
    check = await ctx.audit.verify(key.partner.id, key.environment)
    return AuditVerification(
        valid=check.valid,
        entries=check.entries,
        first_invalid_seq=check.first_invalid_seq,
        head_hash=check.head_hash,
    )
