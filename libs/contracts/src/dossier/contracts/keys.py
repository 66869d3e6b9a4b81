"""Bodies of `/api/v1/keys`: mint, list and revoke a partner's API keys.

Top-level resources speak snake_case on the wire, like the analysis resource. The raw
key appears in exactly one body, `ApiKeyCreated`, answered once when it is minted.
"""

from enum import StrEnum
from typing import Annotated

from pydantic import Field, StringConstraints

from dossier.contracts.api import WireModel
from dossier.contracts.enums import Environment
from dossier.contracts.timestamps import Timestamp


class Scope(StrEnum):
    """What a key may do. Every v1 operation names the one scope it needs."""

    ANALYSES_READ = "analyses:read"
    ANALYSES_WRITE = "analyses:write"
    WEBHOOKS_MANAGE = "webhooks:manage"
    USAGE_READ = "usage:read"
    KEYS_MANAGE = "keys:manage"


KeyName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class KeyCreate(WireModel):
    """`POST /api/v1/keys`. A key never exceeds the key that mints it."""

    name: KeyName = Field(description="What the key is for, e.g. `Production sync`.")
    scopes: list[Scope] = Field(
        min_length=1,
        description="A subset of the calling key's scopes.",
    )
    environment: Environment = Field(
        default=Environment.LIVE,
        description="`live` for real, billed analyses; `test` for the sandbox. "
        "A test key can only mint test keys.",
    )


class ApiKey(WireModel):
    """A key as listed: its public prefix and metadata, never the secret or its hash."""

    id: str = Field(description="Use it to revoke the key: `DELETE /api/v1/keys/{id}`.")
    prefix: str = Field(description="The public start of the key, e.g. `ats_live_3f9c2a71b0d4`.")
    name: str
    scopes: list[Scope]
    environment: Environment
    created_at: Timestamp
    last_used_at: Timestamp | None = Field(
        default=None, description="Last authenticated use, to the minute."
    )
    revoked_at: Timestamp | None = None


class ApiKeyCreated(ApiKey):
    """`201 Created` body of `POST /api/v1/keys`: the only time the raw key is shown."""

    key: str = Field(description="The raw key. Store it now: it is never shown again.")


class ApiKeyList(WireModel):
    """`GET /api/v1/keys`: the partner's keys, newest first, revoked ones included."""

    data: list[ApiKey]
