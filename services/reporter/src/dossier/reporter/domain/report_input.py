"""Everything a writer needs to write one report, bundled so writers share one signature."""

from pydantic import BaseModel, ConfigDict, Field

from dossier.contracts.api import Signal, SourceCheck
from dossier.contracts.claims import CvClaims
from dossier.contracts.enums import Language, SourceState
from dossier.contracts.events import AnalysisContext, IdentityResolution


class ReportInput(BaseModel):
    """Who the report is about, what the CV claims, and what the sources found.

    `signals` are the enrichment findings; the identity stage's own findings live in
    `identity.signals`. Writers read both through `all_signals`.
    """

    model_config = ConfigDict(frozen=True)

    context: AnalysisContext
    claims: CvClaims | None = None
    identity: IdentityResolution
    signals: list[Signal] = Field(default_factory=list)
    sources: list[SourceCheck] = Field(default_factory=list)

    @property
    def language(self) -> Language:
        return self.context.language

    @property
    def candidate_name(self) -> str:
        """The name the partner sent: the report is about the person they asked about."""
        return self.context.candidate.full_name

    @property
    def all_signals(self) -> list[Signal]:
        """Identity findings then enrichment findings, each id once (first occurrence wins).

        A redelivered event may repeat a finding; its stable id lets us keep it once.
        """
        seen: set[str] = set()
        merged: list[Signal] = []
        for signal in [*self.identity.signals, *self.signals]:
            if signal.id is not None:
                if signal.id in seen:
                    continue
                seen.add(signal.id)
            merged.append(signal)
        return merged

    @property
    def citable_signals(self) -> list[Signal]:
        """Findings with an id. Only these can back a report item, so only these drive rules."""
        return [signal for signal in self.all_signals if signal.id is not None]

    @property
    def signal_ids(self) -> frozenset[str]:
        return frozenset(signal.id for signal in self.citable_signals if signal.id is not None)

    @property
    def sources_not_consulted(self) -> list[SourceCheck]:
        """Sources that were meant to run but could not (skipped ones were never meant to)."""
        return [
            source
            for source in self.sources
            if source.state in (SourceState.UNAVAILABLE, SourceState.FAILED)
        ]
