"""The one interface every evidence source implements, and what goes in and out of it.

A source is asked about one candidate (`SourceQuery`) and answers with a
`SourceResult`: what it did (`check`), the profiles it found (`hits`, for the
identity stage to judge) and the evidence it can state (`signals`, for the
report). A source never raises: a missing key is `unavailable`, a provider
error is `failed`, and the pipeline goes on with what the others found.
"""

import hashlib
import logging
from collections.abc import Awaitable, Callable
from typing import Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

from dossier.contracts.api import Signal, SourceCheck
from dossier.contracts.enums import Language, Reliability, SourceState, SourceType, Stance
from dossier.contracts.sources import DETAIL_MAX_CHARS, ProfileHit, SourceResult, short
from dossier.sources.names import full_names_agree, names_agree
from dossier.sources.wording import Phrase

log = logging.getLogger(__name__)

__all__ = [
    "DETAIL_MAX_CHARS",
    "GuardedSource",
    "ProfileHit",
    "Source",
    "SourceError",
    "SourceFailedError",
    "SourceQuery",
    "SourceResult",
    "SourceUnavailableError",
    "guarded",
    "make_signal",
    "short",
    "signal_id",
]


class SourceQuery(BaseModel):
    """Everything a source may search by, taken from the request and the CV claims."""

    model_config = ConfigDict(frozen=True)

    full_name: str
    first_name: str | None = None
    last_name: str | None = None
    company: str | None = None
    role: str | None = None
    location: str | None = None
    linkedin_url: str | None = None
    links: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    employers: tuple[str, ...] = Field(
        default=(), description="Employer names from the CV, most recent first."
    )
    institutions: tuple[str, ...] = Field(
        default=(), description="Schools and universities from the CV (beyond the brief's list)."
    )
    language: Language = Language.EN
    profile_verdicts: tuple[tuple[str, str, str], ...] = Field(
        default=(),
        description="(source, handle, verdict) the identity stage gave profiles found by name:"
        " `match`, `possible` or `homonym`. Evidence sources honour them, so a profile identity"
        " judged a homonym never becomes evidence.",
    )

    for_identity: bool = Field(
        default=False,
        description="True for the identity stage's lookups, before any verdict: a profile"
        " source then states evidence about every profile whose name matches, and enrichment"
        " keeps it or drops it by identity's verdicts (`dossier.sources.prior`) without"
        " asking the provider again.",
    )

    def verdict(self, source: str, handle: str) -> str | None:
        """Identity's verdict on a profile, if it judged that one."""
        wanted = handle.casefold()
        for name, known, verdict in self.profile_verdicts:
            if name == source and known.casefold() == wanted:
                return verdict
        return None

    def organisations(self) -> list[str]:
        """The request's company and the CV's employers, without repeats, company first."""
        seen: list[str] = []
        for name in (self.company, *self.employers):
            if (
                name
                and name.strip()
                and name.strip().casefold() not in {s.casefold() for s in seen}
            ):
                seen.append(name.strip())
        return seen

    def named_in(self, other: str | None) -> bool:
        """Whether `other` names this candidate (`dossier.sources.names`: exact words after
        folding, order-free, middle names and particles optional)."""
        if not other:
            return False
        if self.last_name:
            return names_agree(self.first_name or "", self.last_name, other)
        return full_names_agree(self.full_name, other)


@runtime_checkable
class Source(Protocol):
    """An evidence source: GitHub, web search, sanctions lists, a company registry, ORCID."""

    name: str

    async def lookup(self, query: SourceQuery) -> SourceResult: ...


class SourceError(Exception):
    """Raised inside a connector to end its lookup with a given state; never escapes it."""

    state: SourceState = SourceState.FAILED

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class SourceUnavailableError(SourceError):
    """The source cannot be consulted now: no key, rate limited, unreachable."""

    state = SourceState.UNAVAILABLE


class SourceFailedError(SourceError):
    """The source was consulted and answered with something we cannot use."""

    state = SourceState.FAILED


async def guarded(name: str, lookup: Callable[[], Awaitable[SourceResult]]) -> SourceResult:
    """Run a connector's lookup so that it always returns a result and never raises.

    `SourceError` keeps its state and detail; anything else becomes `failed` with the
    exception type and message, and is logged with its traceback for operators.
    """
    try:
        return await lookup()
    except SourceError as error:
        return SourceResult(
            check=SourceCheck(name=name, state=error.state, detail=short(error.detail))
        )
    except Exception as error:
        log.warning("source lookup failed", exc_info=True, extra={"source": name})
        detail = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        return SourceResult.failed(name, detail)


def signal_id(source: str, url: str | None, fact: str) -> str:
    """A stable id: the same source stating the same fact about the same page keeps its id."""
    digest = hashlib.sha256(f"{source}\x1f{url or ''}\x1f{fact}".encode()).hexdigest()
    return f"sig_{digest[:16]}"


def make_signal(
    *,
    source: str,
    source_type: SourceType,
    statement: str | Phrase,
    reliability: Reliability,
    url: str | None = None,
    claim: str | None = None,
    stance: Stance | None = None,
    fact: str | None = None,
    language: Language = Language.EN,
) -> Signal:
    """A signal with its stable id.

    A `Phrase` statement is rendered in `language` (the report's). The id never depends
    on that language: it hashes `fact`, or else the English rendering of the phrase, with
    ISO dates (or
    the statement itself, for plain text), so the same finding has the same id in every
    report language, and the id it had when statements were English only.
    """
    if isinstance(statement, Phrase):
        text = statement.render(language)
        fact = fact or statement.id_text()
    else:
        text = statement
    return Signal(
        id=signal_id(source, url, fact or text),
        statement=text,
        source_type=source_type,
        source_url=url,
        reliability=reliability,
        claim=claim,
        stance=stance,
    )


class GuardedSource:
    """Base of the HTTP connectors: `lookup` never raises, whatever `_lookup` does."""

    name: str

    async def lookup(self, query: SourceQuery) -> SourceResult:
        return await guarded(self.name, lambda: self._lookup(query))

    async def _lookup(self, query: SourceQuery) -> SourceResult:
        raise NotImplementedError
