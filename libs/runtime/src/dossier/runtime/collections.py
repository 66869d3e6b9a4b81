"""MongoDB collection names, and which service writes each."""

ANALYSES = "analyses"  # read model: gateway creates/cancels, each stage writes its own fields
CV_KEYS = "cv_keys"  # gateway creates, terminal transitions shred
REUSE = "reuse_index"  # gateway: partner + client + candidate → current analysis
PARTNERS = "partners"  # admin CLI / gateway
API_KEYS = "api_keys"  # admin CLI / gateway (hashes only)
API_KEY_USAGE = "api_key_usage"  # gateway: when each key was last used (not on the key doc)
LEDGER = "billing_ledger"  # billing: one entry per charged analysis
USAGE = "billing_usage"  # billing: counters per partner, client company and month
SOURCE_CACHE = "source_cache"  # enrichment / identity: provider responses with an expiry
REPORT_PDFS = "report_pdfs"  # reporter: the rendered PDF of each report
ANALYSIS_OUTCOMES = (
    "analysis_outcomes"  # the first terminal outcome of each analysis (decides races)
)
ANALYSIS_STAGES = "analysis_stages"  # one document per (analysis, stage), written by that stage
INFLIGHT = "inflight_analyses"  # gateway inserts at accept; deleted once the analysis is finalised
FINALISATIONS = "analysis_finalisations"  # outcome deciders: to-do until key shredded, event out
ERASURE_TOMBSTONES = "erasure_tombstones"  # gateway erasure: `tomb_<digest of analysis id>`
STAGE_TIMINGS = "stage_timings"  # each stage: a sampled ring of recent phase durations (ETA)
REUSE_HEADS = "reuse_heads"  # gateway: reuse key → its latest generation (a hint; see reuse.py)
PARTNER_ANALYSES = "partner_analyses"  # gateway: each partner's analyses, `<partner>:<seq>`
API_KEY_INDEX = "api_key_index"  # gateway: each partner's key ids, `<partner>:<seq>`, insert-only
AUDIT_TRAIL = "audit_trail"  # gateway: append-only, hash-chained, one chain per partner
IDEMPOTENCY = "idempotency_keys"  # gateway: stored responses of POSTs sent with Idempotency-Key
RATE_LIMITS = "rate_limit_slots"  # gateway: one document per admitted request and window
WEBHOOKS = (
    "webhooks"  # gateway: partner-registered endpoints (written by gateway; webhooks disables)
)
WEBHOOK_DELIVERIES = "webhook_deliveries"  # webhooks service: one document per event and endpoint
WEBHOOK_ATTEMPTS = "webhook_attempts"  # webhooks service: every delivery attempt, insert-only
WEBHOOK_LEASES = "webhook_attempt_leases"  # webhooks service: claim of one attempt (unique insert)
USAGE_WRITERS = "usage_writers"  # gateway + billing: who keeps usage sheets, per partner/env/month
USAGE_CHARGES = "usage_charges"  # billing: reports generated per partner/env/UTC day/partition
USAGE_REUSES = "usage_reuses"  # gateway: free reuses per partner/env/UTC day/gateway process
CREDIT_JOURNAL = "credit_journal"  # gateway + billing: per-partner chain of credit events (totals)
CREDIT_HOLDS = "credit_holds"  # gateway: a live analysis holding a credit; billing releases it
# Webhooks, keyed (the `webhooks` document is now written by the gateway only; whether an
# endpoint exists and is enabled is the registry's latest version — see webhook_registry.py):
WEBHOOK_REGISTRY = "webhook_registry"  # gateway + webhooks: `<partner>:<env>:<n>`, version n
WEBHOOK_REGISTRY_HEADS = "webhook_registry_heads"  # `<partner>:<env>` → latest version (a hint)
WEBHOOK_PENDING = "webhook_pending"  # webhooks service: deliveries still waiting; removed when done
WEBHOOK_ATTEMPT_LOG = "webhook_attempt_log"  # webhooks service: `<webhook>:<seq>`, with the streak
# Reviewer feedback (issue 12): verdicts on signals of completed analyses.
ANALYSIS_FEEDBACK = (
    "analysis_feedback"  # gateway: `<analysis>:<signal>`, one verdict, unique insert
)
DISMISSED_PROFILES = "dismissed_profiles"  # gateway: per reuse key, profiles "not this person"
