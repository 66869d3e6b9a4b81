"""MongoDB collection names, and which service writes each."""

ANALYSES = "analyses"  # read model: gateway creates/cancels, each stage writes its own fields
CV_KEYS = "cv_keys"  # gateway creates, terminal transitions shred
REUSE = "reuse_index"  # gateway: partner + client + candidate → current analysis
PARTNERS = "partners"  # admin CLI / gateway
API_KEYS = "api_keys"  # admin CLI / gateway (hashes only)
LEDGER = "billing_ledger"  # billing: one entry per charged analysis
USAGE = "billing_usage"  # billing: counters per partner, client company and month
SOURCE_CACHE = "source_cache"  # enrichment / identity: provider responses with an expiry
REPORT_PDFS = "report_pdfs"  # reporter: the rendered PDF of each report
ANALYSIS_OUTCOMES = (
    "analysis_outcomes"  # the first terminal outcome of each analysis (decides races)
)
ANALYSIS_STAGES = "analysis_stages"  # one document per (analysis, stage), written by that stage
