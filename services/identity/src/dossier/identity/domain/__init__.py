"""The identity stage's pure core: read a CV into claims, check it against the request,
and judge which public profiles belong to the candidate. No I/O anywhere in here.

- `cv_parser.parse_cv` — plain-text CV (en/fr/de/it/es) → `CvClaims`.
- `consistency.consistency_signals` — request vs CV and CV vs itself → `Signal`s.
- `identity_resolution.resolve_identity` — profiles found by name → verdicts + quick signal.
- `messages` — every sentence a recruiter reads, in the five languages.
"""
