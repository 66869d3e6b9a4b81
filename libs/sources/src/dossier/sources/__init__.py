"""Evidence sources beyond the CV, behind one small interface.

- `base`: `Source` (name + `lookup(SourceQuery) -> SourceResult`), `ProfileHit`, signal ids.
- `http`: retries, backoff, rate limits and time budgets shared by every connector.
- `cache`: `SourceCache`, `MongoSourceCache` (expiry by stored timestamp), `CachedSource`.
- Connectors: `github`, `web_search` (Brave, SearXNG), `sanctions` (OpenSanctions/yente),
  `companies_house`, `orcid`.
- `registry`: `SourcesConfig`, `build_sources`, `lookup_all`; `settings`: the `DOSSIER_*`
  settings mixin and the builders the identity and enrichment services call;
  `query`: `query_for(context, claims)`.

A source never raises: without a key it is `unavailable`, on provider errors `failed`,
and switched off `skipped`, so a report can say what was and was not checked.
"""
