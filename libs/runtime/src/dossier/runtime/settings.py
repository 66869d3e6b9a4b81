"""Settings shared by every service, read from `DOSSIER_*` environment variables."""

import base64
import hashlib
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

#: Keys that only make sense on a developer's laptop. Anything else must set real secrets.
_DEV_SECRET_SEED = "dossier-local-development-only"  # noqa: S105 - refused in production


def dev_secret(purpose: str) -> str:
    """A deterministic secret for local development; refused outside `development`."""
    digest = hashlib.sha256(f"{_DEV_SECRET_SEED}:{purpose}".encode()).digest()
    return base64.b64encode(digest).decode()


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


class ServiceSettings(MongoSettings):
    """What every Dossier process needs: where Kafka and MongoDB are, how to log, its ports."""

    deployment: Literal["development", "production"] = "development"
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
    def _secrets_are_set_outside_development(self) -> "ServiceSettings":
        if not self.cv_master_key.get_secret_value():
            if self.deployment != "development":
                msg = "DOSSIER_CV_MASTER_KEY must be set outside development"
                raise ValueError(msg)
            self.cv_master_key = SecretStr(dev_secret("cv-master-key"))
        return self

    def cv_master_key_bytes(self) -> bytes:
        key = base64.b64decode(self.cv_master_key.get_secret_value())
        if len(key) != 32:
            msg = "DOSSIER_CV_MASTER_KEY must be 32 bytes, base64-encoded"
            raise ValueError(msg)
        return key
