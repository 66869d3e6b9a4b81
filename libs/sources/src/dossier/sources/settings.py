"""Source settings for the services that consult sources (`DOSSIER_*` environment variables).

`SourceSettings` is a plain pydantic model meant to be mixed into a service's
pydantic-settings class (`class EnrichmentSettings(ServiceSettings, SourceSettings)`),
which gives every field below its `DOSSIER_` variable, e.g. `DOSSIER_GITHUB_TOKEN`,
`DOSSIER_BRAVE_API_KEY`, `DOSSIER_SOURCES_ENABLED=github,orcid`.
"""

import httpx
from pydantic import BaseModel, Field, SecretStr

from dossier.sources.base import Source
from dossier.sources.breaker import BreakerObserver
from dossier.sources.cache import SourceCache
from dossier.sources.companies_house import DEFAULT_BASE_URL as COMPANIES_HOUSE_URL
from dossier.sources.github import DEFAULT_BASE_URL as GITHUB_URL
from dossier.sources.orcid import DEFAULT_BASE_URL as ORCID_URL
from dossier.sources.registry import (
    ALL_SOURCES,
    PROFILE_SOURCES,
    SourcesConfig,
    build_sources,
)
from dossier.sources.sanctions import HOSTED_BASE_URL as OPENSANCTIONS_URL
from dossier.sources.web_search import BRAVE_BASE_URL


def _secret(value: SecretStr | None) -> str | None:
    return value.get_secret_value() or None if value is not None else None


class SourceSettings(BaseModel):
    github_api_url: str = GITHUB_URL
    github_token: SecretStr | None = None
    brave_api_url: str = BRAVE_BASE_URL
    brave_api_key: SecretStr | None = None
    searxng_url: str | None = None
    opensanctions_url: str | None = Field(
        default=OPENSANCTIONS_URL,
        description="The hosted API (needs a key) or a self-hosted yente (no key).",
    )
    opensanctions_api_key: SecretStr | None = None
    sanctions_threshold: float = Field(default=0.7, ge=0.0, le=1.0)
    companies_house_api_url: str = COMPANIES_HOUSE_URL
    companies_house_api_key: SecretStr | None = None
    orcid_api_url: str = ORCID_URL
    orcid_token: SecretStr | None = None
    sources_enabled: str = Field(
        default=",".join(ALL_SOURCES),
        description="Comma-separated source names; the others answer `skipped`.",
    )
    source_timeout_seconds: float = Field(default=30.0, gt=0)
    source_request_timeout_seconds: float = Field(default=10.0, gt=0)
    source_max_attempts: int = Field(default=3, ge=1)
    source_cache_ttl_seconds: float = Field(default=86_400.0, ge=0)
    source_breaker_failures: int = Field(
        default=5,
        ge=1,
        description="Consecutive failures (timeouts, unreachable, 5xx) after which a source's "
        "circuit breaker opens: its lookups are then `unavailable` without a request.",
    )
    source_breaker_cooldown_seconds: float = Field(
        default=30.0,
        gt=0,
        description="How long an open breaker refuses requests before one probe may go.",
    )

    def sources_config(self) -> SourcesConfig:
        enabled = {name.strip() for name in self.sources_enabled.split(",") if name.strip()}
        unknown = enabled - set(ALL_SOURCES)
        if unknown:
            msg = f"unknown source(s) in DOSSIER_SOURCES_ENABLED: {', '.join(sorted(unknown))}"
            raise ValueError(msg)
        return SourcesConfig(
            github_base_url=self.github_api_url,
            github_token=_secret(self.github_token),
            brave_base_url=self.brave_api_url,
            brave_api_key=_secret(self.brave_api_key),
            searxng_base_url=self.searxng_url or None,
            opensanctions_base_url=self.opensanctions_url or None,
            opensanctions_api_key=_secret(self.opensanctions_api_key),
            sanctions_threshold=self.sanctions_threshold,
            companies_house_base_url=self.companies_house_api_url,
            companies_house_api_key=_secret(self.companies_house_api_key),
            orcid_base_url=self.orcid_api_url,
            orcid_token=_secret(self.orcid_token),
            enabled=frozenset(enabled),
            timeout_seconds=self.source_timeout_seconds,
            request_timeout_seconds=self.source_request_timeout_seconds,
            max_attempts=self.source_max_attempts,
            cache_ttl_seconds=self.source_cache_ttl_seconds,
            breaker_failures=self.source_breaker_failures,
            breaker_cooldown_seconds=self.source_breaker_cooldown_seconds,
        )


def build_profile_sources(
    settings: SourceSettings,
    client: httpx.AsyncClient,
    cache: SourceCache | None = None,
    *,
    breaker_observer: BreakerObserver | None = None,
) -> list[Source]:
    """Sources that find the person's own profiles, for the identity stage."""
    return build_sources(
        settings.sources_config(),
        client,
        cache=cache,
        names=PROFILE_SOURCES,
        breaker_observer=breaker_observer,
    )


def build_evidence_sources(
    settings: SourceSettings,
    client: httpx.AsyncClient,
    cache: SourceCache | None = None,
    *,
    breaker_observer: BreakerObserver | None = None,
) -> list[Source]:
    """Every source, for the enrichment stage (profile sources' answers come with the
    analysis from identity, see `dossier.sources.prior`)."""
    return build_sources(
        settings.sources_config(),
        client,
        cache=cache,
        names=ALL_SOURCES,
        breaker_observer=breaker_observer,
    )
