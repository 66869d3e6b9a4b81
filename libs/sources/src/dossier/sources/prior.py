"""Look up once: answers identity already has travel with the analysis to enrichment.

Identity asks the profile sources (GitHub, ORCID) and puts their results — failures
included — on `analysis.identified` (`AnalysisIdentified.source_results`). Enrichment
wraps each of its sources identity already asked in a `PriorAnswer`, which answers from
that result without a provider request:

- `unavailable` / `failed` stay as they are: a provider that was down or hanging a moment
  ago for this analysis is not asked again in the same analysis (one timeout, not two);
- a `checked` answer is restated for evidence: GitHub's evidence about profiles found by
  name is kept or dropped by identity's verdicts (`github.reuse_for_evidence`); ORCID's
  answer does not depend on them and is reused as it is.
"""

from collections.abc import Callable, Sequence

from dossier.contracts.enums import SourceState
from dossier.sources.base import Source, SourceQuery, SourceResult
from dossier.sources.github import NAME as GITHUB
from dossier.sources.github import reuse_for_evidence

Reuse = Callable[[SourceResult, SourceQuery], SourceResult]

#: How a checked answer from identity becomes evidence, per source (default: as it is).
REUSE: dict[str, Reuse] = {GITHUB: reuse_for_evidence}


def _as_is(prior: SourceResult, _: SourceQuery) -> SourceResult:
    return prior


class PriorAnswer:
    """A source whose answer for this analysis identity already obtained."""

    def __init__(self, source: Source, prior: SourceResult) -> None:
        self.name = source.name
        self.prior = prior
        self.timeout_seconds = 1.0  # answers at once

    async def lookup(self, query: SourceQuery) -> SourceResult:
        if self.prior.state is not SourceState.CHECKED:
            return self.prior
        return REUSE.get(self.name, _as_is)(self.prior, query)


def with_prior_results(
    sources: Sequence[Source], prior_results: Sequence[SourceResult]
) -> list[Source]:
    """`sources`, each one identity already asked replaced by its `PriorAnswer`."""
    known = {result.name: result for result in prior_results}
    return [PriorAnswer(s, known[s.name]) if s.name in known else s for s in sources]
