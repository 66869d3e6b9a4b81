"""Settings shared by every service, read from `DOSSIER_*` environment variables.

Secrets fail closed: `deployment` defaults to `production`, where every secret a service
declares in `required_secrets` must be set, long enough and not a development seed, or the
service refuses to start, naming each variable. Only `development` (the local stack and the
test suite pass it explicitly) derives local-only keys from a seed in this file.
"""

import base64
import binascii
import hashlib
from dataclasses import dataclass
from typing import ClassVar, Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

#: Keys that only make sense on a developer's laptop. Anything else must set real secrets.
_DEV_SECRET_SEED = "dossier-local-development-only"  # noqa: S105 - refused in production

#: Where a service is running. Only `development` accepts the seeded keys.
Deployment = Literal["development", "production"]


def dev_secret(purpose: str) -> str:
    """A deterministic secret for local development; refused outside `development`."""
    digest = hashlib.sha256(f"{_DEV_SECRET_SEED}:{purpose}".encode()).digest()
    return base64.b64encode(digest).decode()


def _decoded_length(value: str) -> int | None:
    try:
        return len(base64.b64decode(value, validate=True))
    except (binascii.Error, ValueError):
        return None


@dataclass(frozen=True)
class RequiredSecret:
    """A secret setting: its field, the purpose its development key is derived for, and
    what a real one must look like."""

    field: str
    purpose: str
    min_length: int = 32
    base64_bytes: int | None = None
    hint: str = "openssl rand -base64 32"

    @property
    def env(self) -> str:
        return f"DOSSIER_{self.field.upper()}"

    def format_problem(self, value: str) -> str | None:
        """What is wrong with a value that is set, in any deployment (None: nothing)."""
        if self.base64_bytes is not None and _decoded_length(value) != self.base64_bytes:
            return f"{self.env} must be {self.base64_bytes} bytes, base64-encoded ({self.hint})"
        return None

    def problem(self, value: str) -> str | None:
        """Why `value` cannot be used outside development (None: it can)."""
        if not value:
            return f"{self.env} is not set ({self.hint})"
        if value == dev_secret(self.purpose) or _DEV_SECRET_SEED in value:
            return f"{self.env} is the public development key; generate a real one ({self.hint})"
        if len(value) < self.min_length:
            return f"{self.env} is shorter than {self.min_length} characters ({self.hint})"
        return self.format_problem(value)


class InsecureSettingsError(ValueError):
    """A non-development deployment is missing real secrets."""


CV_MASTER_KEY = RequiredSecret("cv_master_key", "cv-master-key", min_length=44, base64_bytes=32)
URL_SIGNING_KEY = RequiredSecret("url_signing_key", "url-signing-key")


class MongoSettings(BaseSettings):
    """Where MongoDB is, and nothing else: enough for jobs that only touch the store
    (`dossier indexes apply` runs before the services' secrets need to exist)."""

    model_config = SettingsConfigDict(env_prefix="DOSSIER_", extra="ignore")

    service_name: str = "dossier"
    mongo_url: str = "mongodb://127.0.0.1:27017"
    mongo_database: str = "dossier"
    mongo_command_log: str | None = Field(
        default=None,
        description="Append one JSON line per data command (filter shapes, never values) to "
        "this path; `{service}` and `{pid}` are filled in, a directory gets "
        "`<service>-<pid>.jsonl`. See dossier.runtime.store_commands.",
    )


#: `concurrency` of the consumers of terminal events (billing, webhooks): one short message
#: per analysis on each of three topics, so two consumers per topic keep up with far more than
#: the pipeline makes, while six each (the stage default) cost 36 idle consumers' heartbeats
#: and fetches on the broker. The Helm chart sets the same.
TERMINAL_CONSUMER_CONCURRENCY = 2


class ServiceSettings(MongoSettings):
    """What every Dossier process needs: where Kafka and MongoDB are, how to log, its ports."""

    #: Secrets this service refuses to start without outside development.
    required_secrets: ClassVar[tuple[RequiredSecret, ...]] = (CV_MASTER_KEY,)

    deployment: Deployment = Field(
        default="production",
        description="`development` (a laptop: seeded keys, topics created on start) or "
        "`production` (the default: real secrets required).",
    )
    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    log_level: str = "INFO"
    metrics_host: str = "0.0.0.0"  # noqa: S104 - probes and scrapes come from outside the pod
    metrics_port: int = 9100
    concurrency: int = Field(
        default=6,
        ge=1,
        description="Partitions worked on in parallel (one consumer each). The default matches "
        "the local stack's six partitions per topic with one replica per stage; with replicas, "
        "keep replicas × concurrency ≤ partitions (the Helm chart sets it per stage).",
    )
    cv_master_key: SecretStr = SecretStr("")
    stage_max_attempts: int = Field(default=3, ge=1)
    stage_retry_backoff_seconds: float = 0.5

    @model_validator(mode="after")
    def _secrets_are_real_outside_development(self) -> "ServiceSettings":
        problems: list[str] = []
        for secret in self.required_secrets:
            value = getattr(self, secret.field).get_secret_value()
            if self.deployment == "development":
                if not value:
                    setattr(self, secret.field, SecretStr(dev_secret(secret.purpose)))
                elif (problem := secret.format_problem(value)) is not None:
                    problems.append(problem)
            elif (problem := secret.problem(value)) is not None:
                problems.append(problem)
        if problems:
            msg = (
                f"{self.service_name} refuses to start with DOSSIER_DEPLOYMENT="
                f"{self.deployment}: " + "; ".join(problems) + ". (On a laptop, "
                "DOSSIER_DEPLOYMENT=development uses local-only keys.)"
            )
            raise InsecureSettingsError(msg)
        return self

    def cv_master_key_bytes(self) -> bytes:
        key = base64.b64decode(self.cv_master_key.get_secret_value())
        if len(key) != 32:
            msg = "DOSSIER_CV_MASTER_KEY must be 32 bytes, base64-encoded"
            raise ValueError(msg)
        return key
