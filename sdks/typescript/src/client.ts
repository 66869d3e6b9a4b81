/** The Dossier API client: `new Dossier({ apiKey, baseUrl })`, one object per resource. */
import {
  APIConnectionError,
  APITimeoutError,
  DossierError,
  errorFor,
  parseRetryAfter,
  type Problem,
} from "./errors.js";
import { parseSse } from "./sse.js";
import {
  TERMINAL_STATUSES,
  type Analysis,
  type AnalysisCreateParams,
  type AnalysisList,
  type AnalysisStatus,
  type ApiKey,
  type ApiKeyCreated,
  type ApiKeyList,
  type AuditVerification,
  type CandidateErasure,
  type CreatedAnalysis,
  type DeliveryAttemptList,
  type FeedbackAccepted,
  type FeedbackCreate,
  type KeyCreate,
  type Me,
  type PartnerExport,
  type StreamEvent,
  type UsageReport,
  type Webhook,
  type WebhookCreate,
  type WebhookCreated,
  type WebhookDeliveryQueued,
  type WebhookList,
  type WebhookSecretRotated,
  type WebhookUpdate,
} from "./types.js";
import type { WidgetSession } from "./widget-sessions.js";

export const VERSION = "0.1.0";

export interface DossierOptions {
  /** `ats_live_…` / `ats_test_…` (sent as `Authorization: Bearer`). Default: `$DOSSIER_API_KEY` in Node. */
  apiKey?: string;
  /** Default: `$DOSSIER_BASE_URL` in Node, else `http://localhost:8000`. */
  baseUrl?: string;
  /** Retries of a request on 429, 5xx, network errors and timeouts (default 2). */
  maxRetries?: number;
  /** Seconds one HTTP attempt may take before it is abandoned (default 60). */
  timeout?: number;
  /** A `fetch` to use instead of the global one (tests, proxies, instrumentation). */
  fetch?: typeof fetch;
  /** Extra headers sent with every request. */
  defaultHeaders?: Record<string, string>;
}

export interface RequestOptions {
  /** Abort the call (including its retries). */
  signal?: AbortSignal;
  /** Seconds for each attempt of this call (overrides the client's `timeout`). */
  timeout?: number;
  /** Retries for this call (overrides the client's `maxRetries`). */
  maxRetries?: number;
}

export interface PostOptions extends RequestOptions {
  /** Sent as `Idempotency-Key`; the client makes a UUID when omitted and reuses it on retries. */
  idempotencyKey?: string;
}

type Query = Record<string, string | number | boolean | null | undefined>;

interface Call extends RequestOptions {
  query?: Query | undefined;
  body?: unknown;
  headers?: Record<string, string> | undefined;
  idempotencyKey?: string | undefined;
  accept?: string;
  /** Return once the headers are in (the caller reads the body). */
  stream?: boolean;
}

interface Answer {
  response: Response;
  /** The body, read inside the attempt (undefined for `stream` calls and 204/304). */
  bytes: Uint8Array | undefined;
}

const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);
/** Longest `Retry-After` the client waits for by itself; a longer one is thrown to you. */
const MAX_RETRY_AFTER_SECONDS = 60;

function env(name: string): string | undefined {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return proc?.env?.[name];
}

function newIdempotencyKey(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (c?.randomUUID) return c.randomUUID();
  return `sdk-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
}

function sleep(seconds: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, seconds * 1000);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

const enc = encodeURIComponent;

export class Dossier {
  readonly baseUrl: string;
  readonly maxRetries: number;
  readonly timeout: number;
  readonly #apiKey: string;
  readonly #fetch: typeof fetch;
  readonly #headers: Record<string, string>;

  readonly analyses: Analyses;
  readonly reports: Reports;
  readonly me: MeResource;
  readonly keys: Keys;
  readonly webhooks: Webhooks;
  readonly usage: Usage;
  readonly audit: Audit;
  readonly candidates: Candidates;
  readonly exports: Exports;
  readonly widgetSessions: WidgetSessions;

  constructor(options: DossierOptions = {}) {
    const apiKey = options.apiKey ?? env("DOSSIER_API_KEY");
    if (!apiKey) {
      throw new DossierError("No API key: pass `apiKey` (or set DOSSIER_API_KEY in Node).");
    }
    this.#apiKey = apiKey;
    this.baseUrl = (options.baseUrl ?? env("DOSSIER_BASE_URL") ?? "http://localhost:8000").replace(
      /\/+$/,
      "",
    );
    this.maxRetries = options.maxRetries ?? 2;
    this.timeout = options.timeout ?? 60;
    const f = options.fetch ?? globalThis.fetch;
    if (typeof f !== "function") throw new DossierError("No fetch: pass `fetch` (Node >= 20 has one).");
    this.#fetch = f;
    this.#headers = { ...options.defaultHeaders };

    this.analyses = new Analyses(this);
    this.reports = new Reports(this);
    this.me = new MeResource(this);
    this.keys = new Keys(this);
    this.webhooks = new Webhooks(this);
    this.usage = new Usage(this);
    this.audit = new Audit(this);
    this.candidates = new Candidates(this);
    this.exports = new Exports(this);
    this.widgetSessions = new WidgetSessions(this);
  }

  /** A JSON call; `undefined` for 204. Exposed for operations the SDK does not wrap yet. */
  async request<T>(method: string, path: string, call: Call = {}): Promise<T> {
    const { bytes } = await this.send(method, path, call);
    if (bytes === undefined || bytes.length === 0) return undefined as T;
    return JSON.parse(new TextDecoder().decode(bytes)) as T;
  }

  /** @internal One logical call: retries, timeouts, typed errors. 304 is returned, not thrown. */
  async send(method: string, path: string, call: Call = {}): Promise<Answer> {
    const url = new URL(this.baseUrl + path);
    for (const [name, value] of Object.entries(call.query ?? {})) {
      if (value !== undefined && value !== null) url.searchParams.set(name, String(value));
    }
    const headers: Record<string, string> = {
      Accept: call.accept ?? "application/json",
      ...this.#headers,
      Authorization: `Bearer ${this.#apiKey}`,
      ...call.headers,
    };
    let body: string | undefined;
    if (call.body !== undefined) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(call.body);
    }
    if (method === "POST") headers["Idempotency-Key"] = call.idempotencyKey ?? newIdempotencyKey();
    const maxRetries = call.maxRetries ?? this.maxRetries;
    const timeout = call.timeout ?? this.timeout;

    for (let attempt = 0; ; attempt++) {
      let failure: DossierError | undefined; // retryable
      let refusal: DossierError | undefined; // not retryable
      let retryAfter: number | undefined;
      const controller = new AbortController();
      let timedOut = false;
      let streaming = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, timeout * 1000);
      const onAbort = () => controller.abort(call.signal?.reason);
      call.signal?.addEventListener("abort", onAbort, { once: true });
      try {
        if (call.signal?.aborted) throw call.signal.reason;
        const response = await this.#fetch(url, {
          method,
          headers,
          body: body ?? null,
          signal: controller.signal,
        });
        if (response.ok && call.stream) {
          streaming = true; // the caller's signal keeps aborting the body it reads
          return { response, bytes: undefined };
        }
        const bytes = new Uint8Array(await response.arrayBuffer());
        if (response.ok || response.status === 304) return { response, bytes };
        const error = errorFor(response.status, parseProblem(bytes), response.headers);
        const retryable =
          RETRY_STATUSES.has(response.status) ||
          (response.status === 409 && error.slug === "idempotency-key-in-progress");
        if (retryable) {
          failure = error;
          retryAfter = parseRetryAfter(response.headers.get("retry-after"));
        } else {
          refusal = error;
        }
      } catch (error) {
        if (call.signal?.aborted) throw call.signal.reason;
        failure = timedOut
          ? new APITimeoutError(`${method} ${url.pathname} timed out after ${timeout} s`, {
              cause: error,
            })
          : new APIConnectionError(`${method} ${url.pathname}: ${describe(error)}`, {
              cause: error,
            });
      } finally {
        clearTimeout(timer);
        if (!streaming) call.signal?.removeEventListener("abort", onAbort);
      }
      if (refusal) throw refusal;
      if (failure === undefined) throw new DossierError("unreachable");
      if (attempt >= maxRetries) throw failure;
      if (retryAfter !== undefined && retryAfter > MAX_RETRY_AFTER_SECONDS) throw failure;
      const backoff = Math.min(0.5 * 2 ** attempt, 8) * (0.75 + Math.random() / 2);
      await sleep(retryAfter ?? backoff, call.signal);
    }
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
  }
  return String(error);
}

function parseProblem(bytes: Uint8Array): Problem | undefined {
  if (bytes.length === 0) return undefined;
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return value !== null && typeof value === "object" ? (value as Problem) : undefined;
  } catch {
    return undefined;
  }
}

class Resource {
  constructor(protected readonly client: Dossier) {}
}

export interface WaitOptions {
  /** Seconds to wait for a terminal status before `APITimeoutError` (default 120). */
  timeout?: number;
  signal?: AbortSignal;
}

export interface ListParams extends RequestOptions {
  status?: AnalysisStatus;
  /** Page size, 1–100 (default 20). */
  limit?: number;
  /** Together with `candidateId`: that client company's analyses of that candidate. */
  clientId?: string;
  candidateId?: string;
}

export interface StreamOptions {
  /** Resume after this event id (`Last-Event-ID`). */
  lastEventId?: string;
  signal?: AbortSignal;
  /** Reconnections after a dropped connection before giving up (default 5 in a row). */
  maxReconnects?: number;
}

export class Analyses extends Resource {
  /** ETag and body of the last 200 per analysis id, for `If-None-Match`. */
  readonly #cache = new Map<string, { etag: string; analysis: Analysis }>();
  static readonly CACHE_SIZE = 500;

  /** `POST /api/v1/analyses` — an `Idempotency-Key` is sent (made for you unless given). */
  create(params: AnalysisCreateParams, options: PostOptions = {}): Promise<CreatedAnalysis> {
    const { maxAgeDays, ...rest } = params;
    const body: Record<string, unknown> = { ...rest };
    if (maxAgeDays !== undefined) body["max_age_days"] = maxAgeDays;
    return this.client.request("POST", "/api/v1/analyses", { ...options, body });
  }

  /** `GET /api/v1/analyses/{id}`, revalidated with `If-None-Match` (a `304` returns the cached body). */
  async get(analysisId: string, options: RequestOptions = {}): Promise<Analysis> {
    return (await this.#get(analysisId, options)).analysis;
  }

  async #get(
    analysisId: string,
    options: RequestOptions,
  ): Promise<{ analysis: Analysis; retryAfter: number | undefined }> {
    const cached = this.#cache.get(analysisId);
    const { response, bytes } = await this.client.send("GET", `/api/v1/analyses/${enc(analysisId)}`, {
      ...options,
      headers: cached ? { "If-None-Match": cached.etag } : undefined,
    });
    const retryAfter = parseRetryAfter(response.headers.get("retry-after"));
    if (response.status === 304 && cached) return { analysis: cached.analysis, retryAfter };
    const analysis = JSON.parse(new TextDecoder().decode(bytes)) as Analysis;
    const etag = response.headers.get("etag");
    this.#cache.delete(analysisId);
    if (etag) {
      this.#cache.set(analysisId, { etag, analysis });
      if (this.#cache.size > Analyses.CACHE_SIZE) {
        const oldest = this.#cache.keys().next().value;
        if (oldest !== undefined) this.#cache.delete(oldest);
      }
    }
    return { analysis, retryAfter };
  }

  /**
   * Polls until the analysis is `completed`, `failed` or `canceled` and returns it, waiting
   * the `Retry-After` the API advertises between polls (revalidated with ETags, so cheap).
   * Throws `APITimeoutError` after `timeout` seconds (default 120).
   */
  async wait(analysisId: string, options: WaitOptions = {}): Promise<Analysis> {
    const timeout = options.timeout ?? 120;
    const deadline = Date.now() + timeout * 1000;
    for (;;) {
      const { analysis, retryAfter } = await this.#get(analysisId, { signal: options.signal });
      if (TERMINAL_STATUSES.includes(analysis.status)) return analysis;
      const left = (deadline - Date.now()) / 1000;
      if (left <= 0) {
        throw new APITimeoutError(
          `analysis ${analysisId} is still ${analysis.status} after ${timeout} s`,
        );
      }
      await sleep(Math.min(retryAfter ?? 1, left), options.signal);
    }
  }

  /** Every analysis of the key's environment, newest first, fetching pages as you iterate. */
  async *list(params: ListParams = {}): AsyncGenerator<Analysis, void, undefined> {
    const { status, limit, clientId, candidateId, ...options } = params;
    let cursor: string | null = null;
    do {
      const page: AnalysisList = await this.client.request("GET", "/api/v1/analyses", {
        ...options,
        query: { status, limit, client_id: clientId, candidate_id: candidateId, cursor },
      });
      yield* page.data;
      cursor = page.next_cursor ?? null;
    } while (cursor !== null);
  }

  /** The current analysis of this client company and candidate (what reuse returns), or `null`. */
  async find(params: { clientId: string; candidateId: string } & RequestOptions): Promise<Analysis | null> {
    for await (const analysis of this.list({ ...params, limit: 1 })) return analysis;
    return null;
  }

  /** `DELETE /api/v1/analyses/{id}`: a running analysis becomes `canceled` (never billed). */
  cancel(analysisId: string, options: RequestOptions = {}): Promise<Analysis> {
    return this.client.request("DELETE", `/api/v1/analyses/${enc(analysisId)}`, options);
  }

  /** `POST /api/v1/analyses/{id}/feedback`. */
  sendFeedback(
    analysisId: string,
    feedback: FeedbackCreate,
    options: PostOptions = {},
  ): Promise<FeedbackAccepted> {
    return this.client.request("POST", `/api/v1/analyses/${enc(analysisId)}/feedback`, {
      ...options,
      body: feedback,
    });
  }

  /**
   * The analysis's Server-Sent Events until its terminal event (`completed`, `failed` or
   * `canceled`, included). A dropped connection is resumed with `Last-Event-ID`, so nothing
   * is repeated or skipped. `break` out of the loop to close the stream.
   */
  async *stream(analysisId: string, options: StreamOptions = {}): AsyncGenerator<StreamEvent, void, undefined> {
    let lastEventId = options.lastEventId;
    const maxReconnects = options.maxReconnects ?? 5;
    let failures = 0;
    for (;;) {
      const { response } = await this.client.send("GET", `/api/v1/analyses/${enc(analysisId)}/events`, {
        accept: "text/event-stream",
        headers: lastEventId ? { "Last-Event-ID": lastEventId } : undefined,
        signal: options.signal,
        stream: true,
      });
      let progressed = false;
      try {
        for await (const raw of parseSse(response.body!)) {
          if (raw.id !== undefined) lastEventId = raw.id;
          progressed = true;
          failures = 0;
          const event: StreamEvent = { id: raw.id, event: raw.event, data: JSON.parse(raw.data) };
          yield event;
          if ((TERMINAL_STATUSES as readonly string[]).includes(raw.event)) return;
        }
      } catch (error) {
        if (options.signal?.aborted) throw options.signal.reason;
        if (error instanceof SyntaxError) throw error;
        // the connection dropped mid-stream: resume below
      }
      if (!progressed) failures++;
      if (failures > maxReconnects) {
        throw new APIConnectionError(`event stream of ${analysisId} closed ${failures} times without events`);
      }
      await sleep(progressed ? 0 : Math.min(0.5 * 2 ** failures, 8), options.signal);
    }
  }
}

export class Reports extends Resource {
  /** `GET /api/v1/analyses/{id}/report.pdf`: the PDF's bytes (`%PDF-…`). */
  async pdf(analysisId: string, options: RequestOptions = {}): Promise<Uint8Array> {
    const { bytes } = await this.client.send("GET", `/api/v1/analyses/${enc(analysisId)}/report.pdf`, {
      ...options,
      accept: "application/pdf",
    });
    return bytes ?? new Uint8Array();
  }
}

export class MeResource extends Resource {
  /** `GET /api/v1/me`: the key, its partner, plan, limits and credits. */
  get(options: RequestOptions = {}): Promise<Me> {
    return this.client.request("GET", "/api/v1/me", options);
  }
}

export class Keys extends Resource {
  /** The partner's keys (the list's `data`, as the Python SDK returns it). */
  async list(options: RequestOptions = {}): Promise<ApiKeyList["data"]> {
    const listed: ApiKeyList = await this.client.request("GET", "/api/v1/keys", options);
    return listed.data;
  }
  /** The new key's secret (`key`) is in this answer only. */
  create(params: KeyCreate, options: PostOptions = {}): Promise<ApiKeyCreated> {
    return this.client.request("POST", "/api/v1/keys", { ...options, body: params });
  }
  revoke(keyRef: string, options: RequestOptions = {}): Promise<ApiKey> {
    return this.client.request("DELETE", `/api/v1/keys/${enc(keyRef)}`, options);
  }
}

export class Webhooks extends Resource {
  /** The partner's webhooks (the list's `data`, as the Python SDK returns it). */
  async list(options: RequestOptions = {}): Promise<WebhookList["data"]> {
    const listed: WebhookList = await this.client.request("GET", "/api/v1/webhooks", options);
    return listed.data;
  }
  /** The signing `secret` is in this answer only. */
  create(params: WebhookCreate, options: PostOptions = {}): Promise<WebhookCreated> {
    return this.client.request("POST", "/api/v1/webhooks", { ...options, body: params });
  }
  get(webhookId: string, options: RequestOptions = {}): Promise<Webhook> {
    return this.client.request("GET", `/api/v1/webhooks/${enc(webhookId)}`, options);
  }
  update(webhookId: string, params: WebhookUpdate, options: RequestOptions = {}): Promise<Webhook> {
    return this.client.request("PATCH", `/api/v1/webhooks/${enc(webhookId)}`, { ...options, body: params });
  }
  async delete(webhookId: string, options: RequestOptions = {}): Promise<void> {
    await this.client.send("DELETE", `/api/v1/webhooks/${enc(webhookId)}`, options);
  }
  /** The endpoint's recent delivery attempts (the list's `data`). */
  async deliveries(
    webhookId: string,
    params: { limit?: number } & RequestOptions = {},
  ): Promise<DeliveryAttemptList["data"]> {
    const { limit, ...options } = params;
    const listed: DeliveryAttemptList = await this.client.request(
      "GET",
      `/api/v1/webhooks/${enc(webhookId)}/deliveries`,
      { ...options, query: { limit } },
    );
    return listed.data;
  }
  rotateSecret(webhookId: string, options: PostOptions = {}): Promise<WebhookSecretRotated> {
    return this.client.request("POST", `/api/v1/webhooks/${enc(webhookId)}/rotate-secret`, options);
  }
  test(webhookId: string, options: PostOptions = {}): Promise<WebhookDeliveryQueued> {
    return this.client.request("POST", `/api/v1/webhooks/${enc(webhookId)}/test`, options);
  }
  redeliver(webhookId: string, deliveryId: string, options: PostOptions = {}): Promise<WebhookDeliveryQueued> {
    return this.client.request(
      "POST",
      `/api/v1/webhooks/${enc(webhookId)}/deliveries/${enc(deliveryId)}/redeliver`,
      options,
    );
  }
}

export class Usage extends Resource {
  /** `GET /api/v1/usage`; `from`/`to` are `YYYY-MM-DD`, `groupBy: "client"` for one row per client. */
  get(params: { from?: string; to?: string; groupBy?: "client" } & RequestOptions = {}): Promise<UsageReport> {
    const { from, to, groupBy, ...options } = params;
    return this.client.request("GET", "/api/v1/usage", { ...options, query: { from, to, group_by: groupBy } });
  }
}

export class Audit extends Resource {
  /** `GET /api/v1/audit/export`: the audit trail as CSV text. */
  async export(params: { from?: string; to?: string } & RequestOptions = {}): Promise<string> {
    const { from, to, ...options } = params;
    const { bytes } = await this.client.send("GET", "/api/v1/audit/export", {
      ...options,
      query: { from, to },
      accept: "text/csv",
    });
    return new TextDecoder().decode(bytes);
  }
  verify(options: RequestOptions = {}): Promise<AuditVerification> {
    return this.client.request("GET", "/api/v1/audit/verify", options);
  }
}

export class Candidates extends Resource {
  /** `DELETE /api/v1/candidates/{id}?client_id=`: erase everything about one candidate. */
  erase(candidateId: string, params: { clientId: string } & RequestOptions): Promise<CandidateErasure> {
    const { clientId, ...options } = params;
    return this.client.request("DELETE", `/api/v1/candidates/${enc(candidateId)}`, {
      ...options,
      query: { client_id: clientId },
    });
  }
}

export class Exports extends Resource {
  /** `GET /api/v1/export`: everything stored for the partner. */
  get(options: RequestOptions = {}): Promise<PartnerExport> {
    return this.client.request("GET", "/api/v1/export", options);
  }
}

export class WidgetSessions extends Resource {
  /**
   * `POST /api/v1/widget-sessions`: a 15-minute `wt_…` token for the report button of one
   * client + candidate; call it from your backend, hand only the token to the browser.
   */
  create(params: { clientId: string; candidateId: string }, options: PostOptions = {}): Promise<WidgetSession> {
    return this.client.request("POST", "/api/v1/widget-sessions", {
      ...options,
      body: { client_id: params.clientId, candidate_id: params.candidateId },
    });
  }
}
