/**
 * `verifyWebhook(payload, headers, secret)`: checks a delivery's signature — Standard Webhooks
 * (`webhook-id`, `webhook-timestamp`, `webhook-signature`) or the original
 * `X-Dossier-Signature: t=…,v1=…` — and its timestamp, and returns the parsed event.
 *
 * It uses Node's `crypto` (HMAC-SHA256 and a constant-time comparison), imported on the first
 * call rather than at module load: `import { Dossier } from "@dossier/client"` stays free of
 * Node built-ins, so the same package runs in browsers (where webhooks are never verified).
 */
import { WebhookVerificationError } from "./errors.js";

/** Seconds a delivery's timestamp may differ from now (five minutes, as Standard Webhooks). */
export const DEFAULT_TOLERANCE_SECONDS = 300;
const SECRET_PREFIX = "whsec_";

/** A webhook event as delivered: `id` (deduplicate on it), `type`, `occurred_at`, `data`. */
export interface WebhookEvent {
  id: string;
  type: string;
  occurred_at?: string;
  data: Record<string, unknown>;
  [member: string]: unknown;
}

export type WebhookHeaders =
  | Headers
  | Record<string, string | string[] | undefined>
  | Iterable<[string, string]>;

export interface VerifyOptions {
  /** Seconds of clock difference accepted (default 300). */
  tolerance?: number;
  /** The current time in seconds (tests). */
  now?: number;
}

interface NodeCrypto {
  createHmac(algorithm: string, key: string | Uint8Array): {
    update(data: string | Uint8Array): { digest(): Uint8Array; digest(encoding: "hex" | "base64"): string };
  };
  timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean;
}

let cryptoModule: Promise<NodeCrypto> | undefined;

function nodeCrypto(): Promise<NodeCrypto> {
  // A computed specifier so browser bundlers leave it alone; it only runs on servers.
  const specifier = "node:crypto";
  cryptoModule ??= import(/* webpackIgnore: true */ /* @vite-ignore */ specifier) as Promise<NodeCrypto>;
  return cryptoModule;
}

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as Headers).get === "function") {
    return (headers as Headers).get(name) ?? undefined;
  }
  const wanted = name.toLowerCase();
  const entries =
    Symbol.iterator in (headers as object)
      ? Array.from(headers as Iterable<[string, string]>)
      : Object.entries(headers as Record<string, string | string[] | undefined>);
  for (const [key, value] of entries) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    return Array.isArray(value) ? value.join(",") : value;
  }
  return undefined;
}

function equal(crypto: NodeCrypto, a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

function base64Decode(text: string): Uint8Array {
  // Lenient about missing padding, like the Standard Webhooks libraries.
  const padded = text + "=".repeat((4 - (text.length % 4)) % 4);
  const binary = atob(padded);
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

function checkTimestamp(timestamp: number, now: number, tolerance: number): void {
  if (Math.abs(now - timestamp) > tolerance) {
    throw new WebhookVerificationError(
      `webhook timestamp ${timestamp} is more than ${tolerance} s from now: refused as stale`,
    );
  }
}

function verifyStandard(
  crypto: NodeCrypto,
  body: Uint8Array,
  id: string,
  timestampText: string,
  signatures: string,
  secret: string,
  now: number,
  tolerance: number,
): void {
  if (!/^\d+$/.test(timestampText)) throw new WebhookVerificationError("malformed webhook-timestamp");
  const timestamp = Number(timestampText);
  const key = base64Decode(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret);
  const signed = new Uint8Array([...new TextEncoder().encode(`${id}.${timestamp}.`), ...body]);
  const expected = crypto.createHmac("sha256", key).update(signed).digest("base64");
  const given = signatures
    .split(" ")
    .map((s) => s.trim())
    .filter((s) => s.startsWith("v1,"))
    .map((s) => s.slice(3));
  if (!given.some((s) => equal(crypto, s, expected))) {
    throw new WebhookVerificationError("no webhook-signature matches this payload and secret");
  }
  checkTimestamp(timestamp, now, tolerance);
}

function verifyLegacy(
  crypto: NodeCrypto,
  body: Uint8Array,
  headerValue: string,
  secret: string,
  now: number,
  tolerance: number,
): void {
  let timestamp: number | undefined;
  const given: string[] = [];
  for (const part of headerValue.split(",")) {
    const [name, ...rest] = part.trim().split("=");
    const value = rest.join("=");
    if (name === "t" && /^\d+$/.test(value)) timestamp = Number(value);
    else if (name === "v1" && value) given.push(value);
  }
  if (timestamp === undefined || given.length === 0) {
    throw new WebhookVerificationError("malformed X-Dossier-Signature header");
  }
  const signed = new Uint8Array([...new TextEncoder().encode(`${timestamp}.`), ...body]);
  const expected = crypto.createHmac("sha256", secret).update(signed).digest("hex");
  if (!given.some((s) => equal(crypto, s, expected))) {
    throw new WebhookVerificationError("no X-Dossier-Signature matches this payload and secret");
  }
  checkTimestamp(timestamp, now, tolerance);
}

/**
 * Verifies a webhook delivery and returns its event. `payload` is the **raw** request body
 * (string or bytes, before any JSON parsing); `headers` the request's headers (a `Headers`,
 * Node's `req.headers`, or entries); `secret` the endpoint's `whsec_…` secret. The Standard
 * Webhooks signature is checked when its headers are present, else `X-Dossier-Signature`;
 * during a secret rotation any of the signatures may match. Throws
 * `WebhookVerificationError` on a missing, wrong or stale (over `tolerance` s) signature.
 */
export async function verifyWebhook(
  payload: string | Uint8Array | ArrayBuffer,
  headers: WebhookHeaders,
  secret: string,
  options: VerifyOptions = {},
): Promise<WebhookEvent> {
  const body =
    typeof payload === "string"
      ? new TextEncoder().encode(payload)
      : payload instanceof Uint8Array
        ? payload
        : new Uint8Array(payload);
  const now = options.now ?? Date.now() / 1000;
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE_SECONDS;
  const crypto = await nodeCrypto();

  const id = header(headers, "webhook-id");
  const timestamp = header(headers, "webhook-timestamp");
  const standard = header(headers, "webhook-signature");
  const legacy = header(headers, "x-dossier-signature");
  if (id && timestamp && standard) {
    verifyStandard(crypto, body, id, timestamp, standard, secret, now, tolerance);
  } else if (legacy) {
    verifyLegacy(crypto, body, legacy, secret, now, tolerance);
  } else {
    throw new WebhookVerificationError(
      "no signature headers (webhook-id/webhook-timestamp/webhook-signature or X-Dossier-Signature)",
    );
  }
  try {
    return JSON.parse(new TextDecoder().decode(body)) as WebhookEvent;
  } catch (error) {
    throw new WebhookVerificationError("the signed payload is not JSON", { cause: error });
  }
}
