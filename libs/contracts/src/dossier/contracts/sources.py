"""What one evidence source answered for one analysis: its check, the profiles it found and
the evidence it can state. Produced by the connectors (`dossier.sources`), carried from
identity to enrichment on `analysis.identified` (`AnalysisIdentified.source_results`), so a
provider identity already asked — or found down — is not asked the same question again."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from dossier.contracts.api import Signal, SourceCheck
from dossier.contracts.enums import SourceState

#: Longest `detail` a check carries: enough for a reason, never a stack trace.
DETAIL_MAX_CHARS = 160


def short(detail: str | None) -> str | None:
    """A detail trimmed to one line of reasonable length."""
    if detail is None:
        return None
    line = " ".join(detail.split())
    if len(line) <= DETAIL_MAX_CHARS:
        return line
    return line[: DETAIL_MAX_CHARS - 1] + "…"


class ProfileHit(BaseModel):
    """A profile a source found that may be the candidate. Identity decides whether it is.

    Homonyms are kept on purpose, with their location and company, so that the
    identity stage can tell "same name, other city" from a match.
    """

    model_config = ConfigDict(frozen=True)

    source: str
    handle: str | None = None
    url: str | None = None
    display_name: str | None = None
    location: str | None = None
    company: str | None = None
    bio: str | None = None
    emails: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    via: Literal["link", "search"] = Field(
        default="search",
        description="`link` when the CV or request points at this profile, `search` otherwise.",
    )


class SourceResult(BaseModel):
    """What one source answered for one query (`unavailable` and `failed` included: a
    failure travels with the analysis as much as an answer does)."""

    check: SourceCheck
    hits: list[ProfileHit] = Field(default_factory=list)
    signals: list[Signal] = Field(default_factory=list)

    @property
    def name(self) -> str:
        return self.check.name

    @property
    def state(self) -> SourceState:
        return self.check.state

    @classmethod
    def checked(
        cls,
        name: str,
        *,
        hits: list[ProfileHit] | None = None,
        signals: list[Signal] | None = None,
        detail: str | None = None,
    ) -> "SourceResult":
        return cls(
            check=SourceCheck(name=name, state=SourceState.CHECKED, detail=short(detail)),
            hits=hits or [],
            signals=signals or [],
        )

    @classmethod
    def unavailable(cls, name: str, detail: str) -> "SourceResult":
        return cls(
            check=SourceCheck(name=name, state=SourceState.UNAVAILABLE, detail=short(detail))
        )

    @classmethod
    def failed(cls, name: str, detail: str) -> "SourceResult":
        return cls(check=SourceCheck(name=name, state=SourceState.FAILED, detail=short(detail)))

    @classmethod
    def skipped(cls, name: str, detail: str) -> "SourceResult":
        return cls(check=SourceCheck(name=name, state=SourceState.SKIPPED, detail=short(detail)))
