"""The identity stage's pure core: read a CV into claims, check it against the request,
and judge which public profiles belong to the candidate. No I/O anywhere in here.

- `cv_parser.parse_cv` — plain-text CV (en/fr/de/it/es) → `CvClaims`
  (helpers: `cv_dates`, `cv_sections`, `cv_entries`).
- `consistency.consistency_signals` — request vs CV (`identity_checks`) and CV vs itself
  (`timeline_checks`) → `Signal`s with stable ids (`findings`).
- `identity_resolution.resolve_identity` — profiles found by name
  (`dossier.sources.base.ProfileHit`) → verdicts, quick signal, identity signals.
- `messages` — every sentence a recruiter reads, in the five languages.
- `names`, `organisations`, `places`, `timeline` — the comparisons the checks share.
"""
