"""Topic names: the only place they are spelled."""

ANALYSIS_REQUESTED = "analysis.requested"
ANALYSIS_IDENTIFIED = "analysis.identified"
ANALYSIS_ENRICHED = "analysis.enriched"
ANALYSIS_COMPLETED = "analysis.completed"
ANALYSIS_FAILED = "analysis.failed"
ANALYSIS_CANCELED = "analysis.canceled"
BILLING_CHARGED = "billing.charged"
#: A reviewer's verdict on a signal (gateway → reporter, which rewrites the report).
ANALYSIS_FEEDBACK = "analysis.feedback"
#: A completed analysis was rewritten after feedback (reporter → webhooks); never billed.
ANALYSIS_UPDATED = "analysis.updated"

DEAD_LETTER_SUFFIX = ".dlq"

PIPELINE_TOPICS = (
    ANALYSIS_REQUESTED,
    ANALYSIS_IDENTIFIED,
    ANALYSIS_ENRICHED,
    ANALYSIS_COMPLETED,
    ANALYSIS_FAILED,
    ANALYSIS_CANCELED,
    BILLING_CHARGED,
    ANALYSIS_FEEDBACK,
    ANALYSIS_UPDATED,
)


def dead_letter_topic(topic: str) -> str:
    """`analysis.identified` → `analysis.identified.dlq`."""
    return f"{topic}{DEAD_LETTER_SUFFIX}"


#: Every topic a Dossier service consumes has a dead-letter twin: a message that keeps
#: failing, or does not even decode (a poison message), is parked there, never redelivered
#: forever. `billing.charged` is for partners' systems: no Dossier service consumes it.
CONSUMED_TOPICS = tuple(t for t in PIPELINE_TOPICS if t != BILLING_CHARGED)

ALL_TOPICS = PIPELINE_TOPICS + tuple(dead_letter_topic(t) for t in CONSUMED_TOPICS)
