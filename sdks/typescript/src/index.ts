/**
 * `@dossier/client` — the official client of the Dossier Candidate Intelligence API.
 *
 * ```ts
 * import { Dossier } from "@dossier/client";
 * const dossier = new Dossier({ apiKey: process.env.DOSSIER_API_KEY, baseUrl: "http://localhost:8000" });
 * const created = await dossier.analyses.create({ language: "en", client: { id: "client_1" },
 *   candidate: { id: "cand_1", first_name: "John", last_name: "Doe" } });
 * const analysis = await dossier.analyses.wait(created.id, { timeout: 120 });
 * ```
 */
export {
  Analyses,
  Audit,
  Candidates,
  Dossier,
  Exports,
  Keys,
  MeResource,
  Reports,
  Usage,
  VERSION,
  Webhooks,
  WidgetSessions,
} from "./client.js";
export type {
  DossierOptions,
  ListParams,
  PostOptions,
  RequestOptions,
  StreamOptions,
  WaitOptions,
} from "./client.js";
export {
  APIConnectionError,
  APIError,
  APITimeoutError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  CreditLimitError,
  DossierError,
  InternalServerError,
  NotFoundError,
  PayloadTooLargeError,
  PermissionDeniedError,
  RateLimitError,
  ValidationError,
  WebhookVerificationError,
} from "./errors.js";
export type { FieldError, Problem } from "./errors.js";
export { DEFAULT_TOLERANCE_SECONDS, verifyWebhook } from "./webhooks.js";
export type { VerifyOptions, WebhookEvent, WebhookHeaders } from "./webhooks.js";
export * from "./types.js";
export type { components, operations, paths } from "./schema.js";
export type { WidgetSession, WidgetSessionCreate } from "./widget-sessions.js";
