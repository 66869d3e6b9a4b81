"""The identity stage: read the CV into claims, check it against the request, find the
candidate's public profiles, and decide how sure we are of who they are.

I/O (vault, sources, read model, bus, the CV parser's worker processes) is passed in;
the decisions live in `domain/`.
"""

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Sequence

from faststream.kafka import KafkaBroker

from dossier.contracts.claims import CvClaims
from dossier.contracts.enums import Environment, Stage
from dossier.contracts.events import AnalysisIdentified, AnalysisRequested
from dossier.contracts.topics import ANALYSIS_IDENTIFIED
from dossier.identity.domain.consistency import (
    consistency_signals,
    textless_cv_signal,
    unread_cv_signal,
)
from dossier.identity.domain.identity_resolution import resolve_identity, without_dismissed
from dossier.runtime.bus import publish_event
from dossier.runtime.cv_vault import CvVault
from dossier.runtime.dismissed_profiles import DismissedProfiles
from dossier.runtime.read_model import AnalysisReadModel
from dossier.sources.base import Source
from dossier.sources.query import query_for
from dossier.sources.registry import lookup_all

log = logging.getLogger(__name__)

#: Parses a CV off the event loop: its claims, or None when it could not in time.
ParseCv = Callable[[str, dt.date], Awaitable[CvClaims | None]]


async def identify(
    event: AnalysisRequested,
    *,
    vault: CvVault,
    read_model: AnalysisReadModel,
    broker: KafkaBroker,
    profile_sources: Sequence[Source],
    parse_cv: ParseCv,
    today: dt.date | None = None,
) -> None:
    ctx = event.context
    today = today or dt.datetime.now(dt.UTC).date()
    await read_model.enter_stage(ctx.analysis_id, Stage.IDENTITY)
    claims: CvClaims | None = None
    unread = False
    key = await vault.key_for(ctx.analysis_id) if event.sealed_cv is not None else None
    if key is not None and event.sealed_cv is not None:
        claims = await parse_cv(key.open(event.sealed_cv), today)
        unread = claims is None
    # A profile a reviewer said is someone else (`not_this_person` on an earlier analysis of
    # this client company and candidate) is never attached again: one keyed read, alongside.
    results, dismissed = await asyncio.gather(
        lookup_all(profile_sources, query_for(ctx, claims)),
        DismissedProfiles(read_model.collection.database).of(
            ctx.partner_id, ctx.environment, ctx.client.id, ctx.candidate.id
        ),
    )
    hits = without_dismissed([hit for result in results for hit in result.hits], dismissed)
    identity = resolve_identity(ctx.candidate, claims, hits, language=ctx.language)
    checks = consistency_signals(ctx.candidate, claims, language=ctx.language, today=today)
    known = {s.id for s in identity.signals}
    identity.signals.extend(s for s in checks if s.id not in known)
    if unread:
        identity.signals.append(unread_cv_signal(ctx.language))
    if ctx.cv_without_text:
        identity.signals.append(textless_cv_signal(ctx.language))
    await read_model.set_quick_signal(ctx.analysis_id, identity.quick_signal)
    sealed_claims = (
        key.seal(claims.model_dump_json()) if key is not None and claims is not None else None
    )
    await publish_event(
        broker,
        ANALYSIS_IDENTIFIED,
        AnalysisIdentified(
            context=ctx,
            sealed_claims=sealed_claims,
            identity=identity,
            # Live answers travel on so enrichment does not ask GitHub/ORCID again (the
            # sandbox's fixtures cost nothing to ask and keep their own logic).
            source_results=results if ctx.environment is Environment.LIVE else [],
        ),
        key=ctx.analysis_id,
    )
    log.info(
        "identified",
        extra={
            "level": identity.quick_signal.level.value,
            "hits": len(hits),
            "cv_unread": unread,
            "cv_without_text": ctx.cv_without_text,
            "dismissed_profiles": len(dismissed),
        },
    )
