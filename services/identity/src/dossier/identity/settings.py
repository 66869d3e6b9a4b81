"""Identity settings (`DOSSIER_*`)."""

from pydantic import Field

from dossier.runtime.settings import ServiceSettings
from dossier.sources.settings import SourceSettings


class IdentitySettings(ServiceSettings, SourceSettings):
    service_name: str = "identity"
    metrics_port: int = 9101
    cv_parse_budget_seconds: float = Field(
        default=5.0,
        gt=0,
        description="Wall-clock time one CV parse may take in its worker process. Over it, "
        "the worker is killed and the analysis goes on without the CV's facts (with a "
        "finding saying so). Normal CVs parse in milliseconds; the budget only has to "
        "survive a loaded machine.",
    )
    cv_parse_workers: int = Field(
        default=2,
        ge=1,
        description="Worker processes parsing CVs (each ~40 MB resident). Parses beyond this many "
        "wait for a free worker; the wait does not count against the budget.",
    )
