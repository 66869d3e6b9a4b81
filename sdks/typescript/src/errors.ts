/** Typed errors: every non-2xx answer of the API is an RFC 9457 problem+json document. */

/** One field at fault on a `422` (`errors[]` of the problem document). */
export interface FieldError {
  field: string;
  message: string;
  type: string;
}

/** The members of a problem+json document (https://dossier.dev/problems/<slug>). */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string | null;
  instance?: string | null;
  request_id?: string | null;
  errors?: FieldError[] | null;
  [member: string]: unknown;
}

export interface DossierErrorInit {
  status?: number | undefined;
  problem?: Problem | undefined;
  requestId?: string | undefined;
  headers?: Headers | undefined;
  cause?: unknown;
}

/** The base class of every error this client throws. */
export class DossierError extends Error {
  /** HTTP status, or `undefined` when no answer arrived (network error, timeout). */
  readonly status: number | undefined;
  /** `https://dossier.dev/problems/<slug>` — stable; switch on this (or on `slug`). */
  readonly type: string | undefined;
  readonly title: string | undefined;
  readonly detail: string | undefined;
  readonly instance: string | undefined;
  /** `X-Request-ID` of the failed request: quote it to support. */
  readonly requestId: string | undefined;
  /** On `422`: one entry per field at fault. */
  readonly errors: FieldError[];
  /** The whole problem document as received. */
  readonly problem: Problem | undefined;
  /** The response headers (e.g. `Retry-After`), when there was a response. */
  readonly headers: Headers | undefined;

  constructor(message: string, init: DossierErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    const problem = init.problem;
    this.status = init.status ?? problem?.status;
    this.type = problem?.type;
    this.title = problem?.title;
    this.detail = problem?.detail ?? undefined;
    this.instance = problem?.instance ?? undefined;
    this.requestId = init.requestId ?? problem?.request_id ?? undefined;
    this.errors = problem?.errors ?? [];
    this.problem = problem;
    this.headers = init.headers;
  }

  /** The last path segment of `type`, e.g. `validation-error`. */
  get slug(): string | undefined {
    return this.type?.split("/").pop();
  }
}

/** The API answered with a 4xx or 5xx. */
export class APIError extends DossierError {}
/** 400: malformed JSON, an unsupported filter, a bad cursor or Idempotency-Key… */
export class BadRequestError extends APIError {}
/** 401: missing, unknown or revoked key. */
export class AuthenticationError extends APIError {}
/** 402: the plan's monthly credit limit is reached. */
export class CreditLimitError extends APIError {}
/** 403: the key lacks a scope (or a signed link is invalid). */
export class PermissionDeniedError extends APIError {}
/** 404: no such resource for this key (another partner's id is 404 too). */
export class NotFoundError extends APIError {}
/** 409: idempotency conflicts, report not ready, webhook limit… (see `slug`). */
export class ConflictError extends APIError {}
/** 413: body too large. */
export class PayloadTooLargeError extends APIError {}
/** 422: invalid fields, each named in `errors`. */
export class ValidationError extends APIError {}
/** 429: rate limited or too many streams; `retryAfter` says when to come back. */
export class RateLimitError extends APIError {
  get retryAfter(): number | undefined {
    return parseRetryAfter(this.headers?.get("retry-after") ?? null);
  }
}
/** 5xx: our side failed; retried automatically before it reaches you. */
export class InternalServerError extends APIError {}
/** No answer: DNS, connection refused or reset, TLS… (retried automatically). */
export class APIConnectionError extends DossierError {}
/** A request (or `analyses.wait`) took longer than its timeout. */
export class APITimeoutError extends DossierError {}
/** `verifyWebhook`: a missing, malformed, wrong or stale signature. */
export class WebhookVerificationError extends DossierError {}

const BY_STATUS: Record<number, new (message: string, init: DossierErrorInit) => APIError> = {
  400: BadRequestError,
  401: AuthenticationError,
  402: CreditLimitError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  413: PayloadTooLargeError,
  422: ValidationError,
  429: RateLimitError,
};

/** The error for a non-2xx answer (its problem document already parsed, if any). */
export function errorFor(status: number, problem: Problem | undefined, headers: Headers): APIError {
  const Cls = BY_STATUS[status] ?? (status >= 500 ? InternalServerError : APIError);
  const requestId = headers.get("x-request-id") ?? problem?.request_id ?? undefined;
  const summary = problem?.detail ?? problem?.title ?? `HTTP ${status}`;
  const message = `${status} ${summary}${requestId ? ` (request ${requestId})` : ""}`;
  return new Cls(message, { status, problem, requestId, headers });
}

/** `Retry-After` as seconds (it may be a number of seconds or an HTTP date). */
export function parseRetryAfter(value: string | null): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, (date - Date.now()) / 1000);
}
