// Retries and typed errors against a tiny local HTTP server that fakes the network.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  APIConnectionError,
  APITimeoutError,
  Dossier,
  InternalServerError,
  RateLimitError,
  ValidationError,
} from "../dist/index.js";
import { fakeServer } from "./support.mjs";

const problem = (status, slug, extra = {}) =>
  JSON.stringify({ type: `https://dossier.dev/problems/${slug}`, title: slug, status, request_id: `req_${status}`, ...extra });

test("a 429 is retried after its Retry-After, with the same Idempotency-Key", async () => {
  const server = await fakeServer((req, body, n) =>
    n === 1
      ? { status: 429, headers: { "Content-Type": "application/problem+json", "Retry-After": "1", "X-Request-ID": "req_429" }, body: problem(429, "rate-limited") }
      : { status: 202, headers: { "Content-Type": "application/json" }, body: JSON.stringify({ id: "an_1", status: "queued", candidate_id: "c", created_at: "x", reused: false }) },
  );
  try {
    const dossier = new Dossier({ apiKey: "ats_test_x", baseUrl: server.url });
    const started = Date.now();
    const created = await dossier.analyses.create({ client: { id: "cl" }, candidate: { id: "c", first_name: "A", last_name: "B" } });
    assert.equal(created.id, "an_1");
    assert.equal(server.requests.length, 2);
    assert.ok(Date.now() - started >= 900, "waited the advertised Retry-After");
    const keys = server.requests.map((r) => r.headers["idempotency-key"]);
    assert.ok(keys[0] && keys[0] === keys[1], "the retry carries the first attempt's Idempotency-Key");
    assert.equal(server.requests[0].headers.authorization, "Bearer ats_test_x");
  } finally {
    await server.close();
  }
});

test("a 429 that persists ends as a RateLimitError after maxRetries", async () => {
  const server = await fakeServer(() => ({
    status: 429,
    headers: { "Content-Type": "application/problem+json", "Retry-After": "0", "X-Request-ID": "req_429" },
    body: problem(429, "rate-limited"),
  }));
  try {
    const dossier = new Dossier({ apiKey: "k", baseUrl: server.url, maxRetries: 3 });
    await assert.rejects(dossier.me.get(), (error) => {
      assert.ok(error instanceof RateLimitError);
      assert.equal(error.status, 429);
      assert.equal(error.slug, "rate-limited");
      assert.equal(error.requestId, "req_429");
      assert.equal(error.retryAfter, 0);
      return true;
    });
    assert.equal(server.requests.length, 4);
  } finally {
    await server.close();
  }
});

test("a 503 is retried with backoff; a 500 that persists is an InternalServerError", async () => {
  let fail = 1;
  const server = await fakeServer(() =>
    fail-- > 0
      ? { status: 503, headers: { "Content-Type": "application/problem+json" }, body: problem(503, "store-unavailable") }
      : { status: 200, headers: { "Content-Type": "application/json" }, body: JSON.stringify({ ok: true }) },
  );
  try {
    const dossier = new Dossier({ apiKey: "k", baseUrl: server.url });
    assert.deepEqual(await dossier.me.get(), { ok: true });
    assert.equal(server.requests.length, 2);
  } finally {
    await server.close();
  }
  const broken = await fakeServer(() => ({ status: 500, body: problem(500, "internal-error") }));
  try {
    const dossier = new Dossier({ apiKey: "k", baseUrl: broken.url, maxRetries: 1 });
    await assert.rejects(dossier.me.get(), InternalServerError);
    assert.equal(broken.requests.length, 2);
  } finally {
    await broken.close();
  }
});

test("a 422 is not retried and carries the problem's fields", async () => {
  const server = await fakeServer(() => ({
    status: 422,
    headers: { "Content-Type": "application/problem+json", "X-Request-ID": "req_abc" },
    body: problem(422, "validation-error", { detail: "Invalid fields: candidate.id.", errors: [{ field: "candidate.id", message: "Field required", type: "missing" }] }),
  }));
  try {
    const dossier = new Dossier({ apiKey: "k", baseUrl: server.url });
    await assert.rejects(dossier.me.get(), (error) => {
      assert.ok(error instanceof ValidationError);
      assert.equal(error.requestId, "req_abc");
      assert.equal(error.errors[0].field, "candidate.id");
      assert.equal(error.detail, "Invalid fields: candidate.id.");
      return true;
    });
    assert.equal(server.requests.length, 1);
  } finally {
    await server.close();
  }
});

test("a refused connection is retried, then an APIConnectionError", async () => {
  const server = await fakeServer(() => ({ status: 200, body: "{}" }));
  const url = server.url;
  await server.close(); // nothing listens there any more
  let calls = 0;
  const counting = (...args) => {
    calls++;
    return fetch(...args);
  };
  const dossier = new Dossier({ apiKey: "k", baseUrl: url, maxRetries: 2, fetch: counting });
  await assert.rejects(dossier.me.get(), APIConnectionError);
  assert.equal(calls, 3);
});

test("wait polls at the advertised Retry-After and ends with an APITimeoutError", async () => {
  const running = JSON.stringify({ id: "an_1", status: "processing", candidate_id: "c", created_at: "x" });
  const server = await fakeServer(() => ({
    status: 200,
    headers: { "Content-Type": "application/json", "Retry-After": "1", ETag: '"v1"' },
    body: running,
  }));
  try {
    const dossier = new Dossier({ apiKey: "k", baseUrl: server.url });
    const started = Date.now();
    await assert.rejects(dossier.analyses.wait("an_1", { timeout: 2.5 }), APITimeoutError);
    const elapsed = (Date.now() - started) / 1000;
    assert.ok(elapsed >= 2.4, `gave up after ${elapsed} s`);
    // one poll per Retry-After (1 s) at most: 0 s, 1 s, 2 s and the last one at 2.5 s
    assert.ok(server.requests.length <= Math.ceil(elapsed) + 1, `${server.requests.length} polls`);
    assert.ok(server.requests.length >= 2);
    assert.equal(server.requests[1].headers["if-none-match"], '"v1"');
  } finally {
    await server.close();
  }
});
