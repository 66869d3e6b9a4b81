/**
 * Hand-written types of `POST /api/v1/widget-sessions` (operationId `createWidgetSession`).
 *
 * The route is being added to the gateway in parallel and is not in `docs/openapi.json`
 * yet, so `openapi-typescript` cannot generate these. Once the document carries the
 * operation, regenerate `schema.ts` (`npm run generate`) and replace these with
 * `components["schemas"][...]` aliases.
 */

/** Request body: the partner's own ids of the client company and the candidate. */
export interface WidgetSessionCreate {
  client_id: string;
  candidate_id: string;
}

/** `201 Created`: a short-lived token (15 minutes) for that one client + candidate. */
export interface WidgetSession {
  /** `wt_…`, accepted as `Authorization: Bearer wt_…` by the report button. */
  token: string;
  /** RFC 3339 timestamp. */
  expires_at: string;
}
