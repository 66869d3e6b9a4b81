"""`POST /api/v1/analyses/{id}/feedback`: a reviewer's verdict on one signal of a completed analysis.

Who writes what (one writer per document, DESIGN.md):

- the gateway records the verdict in `analysis_feedback`, `_id` = `<analysis>:<signal>`,
  by unique insert — so one signal has one verdict, and a repeat of it (same verdict
  and note) is recognised and changes nothing. For `not_this_person` it also adds the
  signal to the candidate's dismissed profiles (`dossier.runtime.dismissed_profiles`),
  before answering, so an analysis started right after never re-attaches it;
- a dismissal is counted on the accepted analysis document (`dismissals`, the gateway's
  own), so a rendering of the finished analysis kept by any gateway replica is not served
  once its `revision` is behind;
- then it publishes `analysis.feedback` (keyed by the analysis: one partition, in
  order) and answers `202`;
- the reporter, the only writer of a completed analysis's report, applies it: a
  dismissal marks the signal and rewrites the report without it (the analysis shows
  `processing`, stage `report`, then `completed` again, with `revision` + 1), and
  announces `analysis.updated` (webhooks, and the event stream); never
  `analysis.completed`, so billing charges nothing. `confirmed` is only marked.

The note is the partner's text: it is stored with the verdict and shown on the
signal, and never logged (nor put in the audit trail, which records signal and
verdict only).
"""

import contextlib
import logging
from typing import Annotated

from fastapi import APIRouter, Body, Response, status
from pymongo.errors import DuplicateKeyError

from dossier.contracts.api import FieldError
from dossier.contracts.enums import AnalysisStatus, Environment, FeedbackVerdict
from dossier.contracts.events import FeedbackGiven
from dossier.contracts.feedback import FeedbackAccepted, FeedbackCreate
from dossier.contracts.timestamps import utcnow
from dossier.contracts.topics import ANALYSIS_FEEDBACK
from dossier.gateway.analyses.endpoints import AnalysisId, owned_analysis
from dossier.gateway.context import GatewayContext
from dossier.gateway.dependencies import AnalysesWrite, Ctx
from dossier.gateway.problems import ProblemError
from dossier.runtime.bus import publish_event
from dossier.runtime.collections import ANALYSIS_FEEDBACK as FEEDBACK_COLLECTION
from dossier.runtime.dismissed_profiles import DismissedProfiles
from dossier.runtime.logging import bind_log_context
from dossier.runtime.mongo import Document

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api/v1/analyses", tags=["analyses"])

#: The claim of the signals identity writes for a profile it matched to the candidate.
PROFILE_CLAIM = "identity.profile"


def feedback_id(analysis_id: str, signal_id: str) -> str:
    return f"{analysis_id}:{signal_id}"


def signal_of(analysis: Document, signal_id: str) -> Document | None:
    """The analysis's signal with this id (pure)."""
    return next((s for s in analysis.get("signals", []) if s.get("id") == signal_id), None)


def shows(signal: Document, verdict: FeedbackVerdict) -> bool:
    """Whether the signal already carries this verdict (the reporter applied it)."""
    mark = signal.get("dismissed" if verdict.dismisses else "confirmed")
    return isinstance(mark, dict) and mark.get("verdict") == verdict.value


def unknown_signal(signal_id: str) -> ProblemError:
    return ProblemError(
        422,
        "validation-error",
        "Unknown signal",
        "This analysis has no signal with this id; use an `id` from its `signals`.",
        errors=[
            FieldError(field="signal_id", message="no signal with this id", type="unknown_signal")
        ],
    )


def not_completed(analysis: Document) -> ProblemError:
    state = analysis["status"]
    if state == AnalysisStatus.PROCESSING.value and analysis.get("rewriting"):
        why = (
            "Its report is being rewritten after earlier feedback; send this again once the "
            "analysis is `completed` (an `analysis.updated` event says when)."
        )
        return ProblemError(
            409,
            "analysis-not-completed",
            "Analysis not completed",
            why,
            headers={"Retry-After": "5"},
        )
    why = f"Feedback applies to the signals of a completed report; this analysis is `{state}`." + (
        " Send it once it has completed." if state in ("queued", "processing") else ""
    )
    return ProblemError(409, "analysis-not-completed", "Analysis not completed", why)


def verdict_taken(existing: Document) -> ProblemError:
    return ProblemError(
        409,
        "verdict-already-given",
        "Verdict already given",
        f"This signal already has the verdict `{existing['verdict']}` (given at "
        f"{existing['at'].isoformat()}); a signal keeps its first verdict and note.",
    )


_ACCEPTED_EXAMPLE = {
    "analysis_id": "an_7f3e2b1c9d8a4f60",
    "signal_id": "sig_5f1c0e9a2b7d4c38",
    "verdict": "not_this_person",
    "regenerating": True,
    "repeated": False,
}


@router.post(
    "/{analysis_id}/feedback",
    operation_id="createAnalysisFeedback",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=FeedbackAccepted,
    summary="Give a reviewer's verdict on one signal (a dismissal rewrites the report, free)",
    description=(
        "`not_this_person` or `incorrect` dismiss the signal: it stays listed with "
        '`"dismissed": {"verdict", "note", "at"}` and the report is rewritten without it — '
        "the analysis shows `processing` (stage `report`) and then `completed` again with "
        "`revision` + 1, an `analysis.updated` webhook and event-stream event follow, and "
        "nothing is charged. `not_this_person` on a profile also keeps that profile out of "
        "later analyses of the same client company and candidate. `confirmed` is recorded on "
        "the signal and changes nothing else. A signal keeps its first verdict: the same "
        "verdict again answers `202` with `repeated: true` and does nothing; another verdict "
        "is a `409`. Only completed analyses take feedback (`409` otherwise)."
    ),
    responses={
        202: {
            "description": "Recorded; a dismissal is being applied.",
            "content": {"application/json": {"example": _ACCEPTED_EXAMPLE}},
        },
        409: {
            "description": "The analysis is not completed (or its report is being rewritten), "
            "or the signal already has another verdict."
        },
        422: {"description": "Invalid body, or `signal_id` names no signal of the analysis."},
    },
)
async def create_analysis_feedback(
    analysis_id: AnalysisId,
    body: Annotated[
        FeedbackCreate,
        Body(
            openapi_examples={
                "not_this_person": {
                    "summary": "A profile of a namesake",
                    "value": {
                        "signal_id": "sig_5f1c0e9a2b7d4c38",
                        "verdict": "not_this_person",
                        "note": "Different person: this account belongs to a namesake.",
                    },
                },
                "confirmed": {
                    "summary": "Checked by the recruiter",
                    "value": {"signal_id": "sig_0b4e6f2a9c1d7e53", "verdict": "confirmed"},
                },
            }
        ),
    ],
    key: AnalysesWrite,
    ctx: Ctx,
    response: Response,
) -> FeedbackAccepted:
    analysis = await owned_analysis(analysis_id, key, ctx)
    bind_log_context(analysis_id=analysis_id)
    rewriting = bool(analysis.get("rewriting"))
    if analysis["status"] != AnalysisStatus.COMPLETED.value and not rewriting:
        raise not_completed(analysis)
    signal = signal_of(analysis, body.signal_id)
    if signal is None:
        raise unknown_signal(body.signal_id)
    feedback = ctx.db[FEEDBACK_COLLECTION]
    existing = await feedback.find_one({"_id": feedback_id(analysis_id, body.signal_id)})
    response.headers["Location"] = f"/api/v1/analyses/{analysis_id}"
    if existing is not None:
        return await _repeat(ctx, analysis, signal, existing, body)
    if rewriting:
        raise not_completed(analysis)  # one rewrite at a time: try again once completed
    now = utcnow()
    record = {
        "_id": feedback_id(analysis_id, body.signal_id),
        "analysis_id": analysis_id,
        "partner_id": key.partner.id,
        "environment": key.environment.value,
        "signal_id": body.signal_id,
        "verdict": body.verdict.value,
        "note": body.note,
        "at": now,
    }
    try:
        await feedback.insert_one(record)
    except DuplicateKeyError:  # the same signal judged twice at once: the first one stands
        raced = await feedback.find_one({"_id": record["_id"]})
        if raced is None:
            raise
        return await _repeat(ctx, analysis, signal, raced, body)
    if body.verdict.dismisses:
        # Cached renderings of this analysis check the count: stale from now on.
        await ctx.read_model.count_dismissal(analysis_id)
    await _apply(ctx, analysis, signal, record)
    await ctx.audit.record(
        key.partner.id,
        "analysis.feedback",
        actor=key.key_id,
        target=analysis_id,
        details={"signal_id": body.signal_id, "verdict": body.verdict.value},
        environment=key.environment,
    )
    log.info("feedback recorded", extra={"verdict": body.verdict.value})
    return FeedbackAccepted(
        analysis_id=analysis_id,
        signal_id=body.signal_id,
        verdict=body.verdict,
        regenerating=body.verdict.dismisses,
    )


async def _repeat(
    ctx: GatewayContext,
    analysis: Document,
    signal: Document,
    existing: Document,
    body: FeedbackCreate,
) -> FeedbackAccepted:
    """The signal already has a verdict: the same one is a no-op, another one a 409."""
    if existing["verdict"] != body.verdict.value or existing.get("note") != body.note:
        raise verdict_taken(existing)
    verdict = FeedbackVerdict(existing["verdict"])
    if not shows(signal, verdict) and not analysis.get("rewriting"):
        # Recorded, but the reporter never saw it (the publish failed after the insert):
        # publish again. The reporter applies a verdict once, whatever it receives.
        await _apply(ctx, analysis, signal, existing)
    return FeedbackAccepted(
        analysis_id=analysis["_id"],
        signal_id=existing["signal_id"],
        verdict=verdict,
        regenerating=False,
        repeated=True,
    )


async def _apply(
    ctx: GatewayContext, analysis: Document, signal: Document, record: Document
) -> None:
    verdict = FeedbackVerdict(record["verdict"])
    if verdict is FeedbackVerdict.NOT_THIS_PERSON and signal.get("claim") == PROFILE_CLAIM:
        with contextlib.suppress(DuplicateKeyError):  # two first upserts at once: same content
            await DismissedProfiles(ctx.db).add(
                partner_id=analysis["partner_id"],
                environment=Environment(analysis["environment"]),
                client_id=analysis["client_id"],
                candidate_id=analysis["candidate_id"],
                signal_id=record["signal_id"],
                analysis_id=analysis["_id"],
                at=record["at"],
            )
    await publish_event(
        ctx.broker,
        ANALYSIS_FEEDBACK,
        FeedbackGiven(
            analysis_id=analysis["_id"],
            partner_id=analysis["partner_id"],
            signal_id=record["signal_id"],
            verdict=verdict,
            note=record.get("note"),
            given_at=record["at"],
        ),
        key=analysis["_id"],
    )
