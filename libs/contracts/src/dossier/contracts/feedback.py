"""Reviewer feedback on one signal of a completed analysis (`POST /api/v1/analyses/{id}/feedback`).

A dismissal (`not_this_person`, `incorrect`) rewrites the report without the
signal, free of charge; `confirmed` is recorded on the signal and changes nothing
else. The note is the reviewer's own text: stored with the verdict and shown on
the signal, never logged.
"""

from typing import Annotated

from pydantic import Field, StringConstraints

from dossier.contracts.api import FEEDBACK_NOTE_MAX_CHARS, WireModel
from dossier.contracts.enums import FeedbackVerdict

SignalId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=128)]
FeedbackNote = Annotated[str, StringConstraints(max_length=FEEDBACK_NOTE_MAX_CHARS)]


class FeedbackCreate(WireModel):
    """`POST /api/v1/analyses/{id}/feedback`."""

    signal_id: SignalId = Field(
        description="The `id` of one of the analysis's `signals`.",
        examples=["sig_5f1c0e9a2b7d4c38"],
    )
    verdict: FeedbackVerdict = Field(
        description="`not_this_person` (about someone else), `incorrect` (wrong) — both "
        "dismiss the signal and rewrite the report — or `confirmed` (recorded only).",
        examples=["not_this_person"],
    )
    note: FeedbackNote | None = Field(
        default=None,
        description=f"Why, in the reviewer's words (at most {FEEDBACK_NOTE_MAX_CHARS:,} "
        "characters). Shown on the signal; never logged.",
        examples=["Different person: this GitHub account belongs to a namesake in Lyon."],
    )


class FeedbackAccepted(WireModel):
    """`202 Accepted` body of a feedback: what was recorded and what happens next."""

    analysis_id: str
    signal_id: str
    verdict: FeedbackVerdict
    regenerating: bool = Field(
        description="True when the report is being rewritten without the signal (the "
        "analysis shows `processing`, stage `report`, then `completed` again, and an "
        "`analysis.updated` event follows). False for `confirmed`, and for a repeat of a "
        "verdict already recorded."
    )
    repeated: bool = Field(
        default=False, description="This exact verdict was already recorded: nothing new happens."
    )
