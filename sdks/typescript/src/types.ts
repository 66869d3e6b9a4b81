/** Friendly names for the generated OpenAPI types (`schema.ts`, from docs/openapi.json). */
import type { components } from "./schema.js";

type S = components["schemas"];
/** `T` with the keys `K` optional (fields the API defaults when they are left out). */
type Defaulted<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>;

export type Analysis = S["Analysis"];
export type AnalysisAccepted = S["AnalysisAccepted"];
export type ReusedAnalysis = S["ReusedAnalysis"];
export type AnalysisList = S["AnalysisList"];
export type AnalysisStatus = S["AnalysisStatus"];
export type CandidateInput = S["CandidateInput"];
export type ClientRef = S["ClientRef"];
export type Language = S["Language"];
export type FeedbackCreate = S["FeedbackCreate"];
export type FeedbackAccepted = S["FeedbackAccepted"];
export type Me = S["Me"];
export type ApiKey = S["ApiKey"];
export type ApiKeyCreated = S["ApiKeyCreated"];
export type ApiKeyList = S["ApiKeyList"];
export type KeyCreate = Defaulted<S["KeyCreate"], "environment">;
export type Webhook = S["Webhook"];
export type WebhookCreate = S["WebhookCreate"];
export type WebhookCreated = S["WebhookCreated"];
export type WebhookUpdate = S["WebhookUpdate"];
export type WebhookList = S["WebhookList"];
export type WebhookSecretRotated = S["WebhookSecretRotated"];
export type WebhookDeliveryQueued = S["WebhookDeliveryQueued"];
export type DeliveryAttemptList = S["DeliveryAttemptList"];
export type WebhookEventType = S["WebhookEventType"];
export type UsageReport = S["UsageReport"];
export type AuditVerification = S["AuditVerification"];
export type CandidateErasure = S["CandidateErasure"];
export type PartnerExport = S["PartnerExport"];
export type StageChanged = S["StageChanged"];
export type QuickSignalArrived = S["QuickSignalArrived"];
export type SignalArrived = S["SignalArrived"];
export type AnalysisEnded = S["AnalysisEnded"];
export type AnalysisRevised = S["AnalysisRevised"];

/** What `analyses.create` answers: `reused` says whether the analysis already existed. */
export type CreatedAnalysis = AnalysisAccepted | ReusedAnalysis;

/** The body of `POST /api/v1/analyses` as the SDK takes it (camelCase `maxAgeDays`). */
export interface AnalysisCreateParams {
  language?: Language;
  client: ClientRef;
  candidate: CandidateInput;
  /** Always start a new (billed) analysis, even when a completed report exists. */
  refresh?: boolean;
  /** Reuse a completed report only if it is younger than this many days (1–3650). */
  maxAgeDays?: number;
}

/** One Server-Sent Event of `analyses.stream`. */
export interface StreamEvent<D = StreamEventData> {
  /** The SSE `id:` (e.g. `2.3`); pass it as `lastEventId` to resume after it. */
  id: string | undefined;
  /** The SSE `event:` (`stage`, `quick_signal`, `signal`, `completed`, `failed`, `canceled`…). */
  event: string;
  /** The JSON `data:` of the event. */
  data: D;
}

export type StreamEventData =
  | StageChanged
  | QuickSignalArrived
  | SignalArrived
  | AnalysisEnded
  | AnalysisRevised;

export const TERMINAL_STATUSES: readonly AnalysisStatus[] = ["completed", "failed", "canceled"];
