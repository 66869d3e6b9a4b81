// The SDK against the running stack: DOSSIER_BASE_URL and DOSSIER_API_KEY (a sandbox key:
// free, deterministic), DOSSIER_OTHER_API_KEY (another partner's key, for 404 isolation).
// `make test` runs this through tests/e2e/test_sdk_typescript.py with the session's stack.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import {
  AuthenticationError,
  Dossier,
  NotFoundError,
  ValidationError,
  WebhookVerificationError,
  verifyWebhook,
} from "../dist/index.js";

const baseUrl = process.env.DOSSIER_BASE_URL;
const apiKey = process.env.DOSSIER_API_KEY;
const otherKey = process.env.DOSSIER_OTHER_API_KEY;
if (!baseUrl || !apiKey || !otherKey) {
  throw new Error(
    "set DOSSIER_BASE_URL, DOSSIER_API_KEY (a sandbox ats_test_ key) and DOSSIER_OTHER_API_KEY " +
      "(another partner's key) to run these tests against a stack (`make up`), or run `npm run test:unit`",
  );
}

/** Records the status of every answer (to see the 304s) and the requests' headers. */
function recordingClient(options = {}) {
  const seen = [];
  const recording = async (url, init) => {
    const response = await fetch(url, init);
    seen.push({ url: String(url), method: init?.method, headers: init?.headers, status: response.status });
    return response;
  };
  return { dossier: new Dossier({ apiKey, baseUrl, fetch: recording, ...options }), seen };
}

const dossier = new Dossier({ apiKey, baseUrl });

function newAnalysis(extra = {}) {
  const tag = randomBytes(4).toString("hex");
  return {
    language: "en",
    client: { id: `client_ts_${tag}`, company: "Acme Recruiting" },
    candidate: {
      id: `cand_ts_${tag}`,
      first_name: "John",
      last_name: "Doe",
      company: "Example Company",
      location: "London, UK",
      role: "Senior Software Engineer",
    },
    ...extra,
  };
}

describe("the TypeScript SDK against the stack", { concurrency: true }, () => {
  test("create -> wait -> completed, then the same ids are reused for free, and the PDF", async () => {
    const params = newAnalysis();
    const { dossier: recorded, seen } = recordingClient();
    const created = await recorded.analyses.create(params);
    assert.equal(created.reused, false);
    assert.ok(["queued", "processing"].includes(created.status));
    assert.ok(seen[0].headers["Idempotency-Key"], "create sends an Idempotency-Key by itself");

    const polls = seen.length;
    const started = Date.now();
    const done = await recorded.analyses.wait(created.id, { timeout: 120 });
    assert.equal(done.status, "completed");
    // wait() honours Retry-After (10 s while running): never more than one poll per 10 s.
    const gets = seen.length - polls;
    assert.ok(gets <= Math.ceil((Date.now() - started) / 10_000) + 1, `${gets} polls`);
    assert.equal(done.report.recommendation.decision, "GO");

    const again = await dossier.analyses.create(params);
    assert.equal(again.id, created.id);
    assert.equal(again.reused, true);
    assert.equal(again.status, "completed");
    assert.deepEqual(again.billing, { charged: false, credits_used: 0 });

    const pdf = await dossier.reports.pdf(created.id);
    assert.ok(pdf instanceof Uint8Array);
    assert.equal(new TextDecoder().decode(pdf.subarray(0, 5)), "%PDF-");
  });

  test("get revalidates with If-None-Match: an unchanged analysis is a 304 and the cached body", async () => {
    const created = await dossier.analyses.create(newAnalysis());
    await dossier.analyses.wait(created.id);
    const { dossier: recorded, seen } = recordingClient();

    const first = await recorded.analyses.get(created.id);
    const second = await recorded.analyses.get(created.id);

    assert.deepEqual(seen.map((s) => s.status), [200, 304]);
    assert.ok(seen[1].headers["If-None-Match"]);
    assert.deepEqual(second, first);
    assert.equal(second.status, "completed");
  });

  test("an explicit Idempotency-Key replays the first answer", async () => {
    const params = newAnalysis();
    const key = `ts-sdk-${randomBytes(8).toString("hex")}`;
    const first = await dossier.analyses.create(params, { idempotencyKey: key });
    const replay = await dossier.analyses.create(params, { idempotencyKey: key });
    assert.equal(replay.id, first.id);
    assert.equal(replay.reused, first.reused);
    await dossier.analyses.cancel(first.id);
  });

  test("stream yields the events to the terminal one, and resumes after a Last-Event-ID", async () => {
    const created = await dossier.analyses.create(newAnalysis());
    const events = [];
    for await (const event of dossier.analyses.stream(created.id)) events.push(event);

    const last = events.at(-1);
    assert.equal(last.event, "completed");
    assert.equal(last.data.analysis.status, "completed");
    assert.ok(events.some((e) => e.event === "stage"), "stage events before the end");
    assert.ok(events.every((e) => e.id), "every event has an id");
    assert.equal(new Set(events.map((e) => e.id)).size, events.length);

    const resumed = [];
    for await (const event of dossier.analyses.stream(created.id, { lastEventId: events[1].id })) {
      resumed.push(event);
    }
    assert.deepEqual(resumed.map((e) => e.id), events.slice(2).map((e) => e.id));
  });

  test("list pages through every analysis with next_cursor; find returns the current one", async () => {
    const made = [];
    for (let i = 0; i < 3; i++) made.push((await dossier.analyses.create(newAnalysis())).id);
    const { dossier: recorded, seen } = recordingClient();

    const found = new Set();
    for await (const analysis of recorded.analyses.list({ limit: 2 })) {
      found.add(analysis.id);
      if (made.every((id) => found.has(id))) break;
    }
    assert.ok(made.every((id) => found.has(id)), "every new analysis is listed");
    assert.ok(seen.filter((s) => s.url.includes("cursor=")).length >= 1, "a second page was fetched");

    const params = newAnalysis();
    const created = await dossier.analyses.create(params);
    const current = await dossier.analyses.find({ clientId: params.client.id, candidateId: params.candidate.id });
    assert.equal(current.id, created.id);
    assert.equal(await dossier.analyses.find({ clientId: "client_nobody", candidateId: "cand_nobody" }), null);
  });

  test("cancel stops a running analysis", async () => {
    // A sandbox analysis can finish before the DELETE arrives on a loaded machine (cancel then
    // returns it unchanged): try a few, at least one must be canceled and stay canceled.
    for (let attempt = 0; attempt < 5; attempt++) {
      const created = await dossier.analyses.create(newAnalysis());
      const answer = await dossier.analyses.cancel(created.id);
      if (answer.status !== "canceled") {
        assert.equal(answer.status, "completed");
        continue;
      }
      assert.equal((await dossier.analyses.wait(created.id)).status, "canceled");
      return;
    }
    assert.fail("no analysis was canceled in 5 attempts");
  });

  test("typed errors: 401, 404 (another partner's id) and 422 carry the problem and the request id", async () => {
    await assert.rejects(new Dossier({ apiKey: "ats_test_not_a_key", baseUrl }).me.get(), (error) => {
      assert.ok(error instanceof AuthenticationError);
      assert.equal(error.status, 401);
      assert.equal(error.slug, "unauthorized");
      assert.match(error.requestId, /\S/);
      return true;
    });

    const ours = await dossier.analyses.create(newAnalysis());
    const other = new Dossier({ apiKey: otherKey, baseUrl });
    await assert.rejects(other.analyses.get(ours.id), (error) => {
      assert.ok(error instanceof NotFoundError);
      assert.equal(error.status, 404);
      assert.equal(error.slug, "not-found");
      assert.match(error.requestId, /\S/);
      assert.equal(error.problem.request_id, error.requestId);
      return true;
    });
    await dossier.analyses.cancel(ours.id);

    const invalid = newAnalysis();
    delete invalid.candidate.first_name;
    await assert.rejects(dossier.analyses.create(invalid), (error) => {
      assert.ok(error instanceof ValidationError);
      assert.equal(error.status, 422);
      assert.equal(error.slug, "validation-error");
      assert.ok(error.errors.some((e) => e.field === "candidate.first_name"), JSON.stringify(error.errors));
      assert.match(error.requestId, /\S/);
      return true;
    });
  });

  test("me, keys, usage, audit and exports answer through the SDK", async () => {
    const me = await dossier.me.get();
    assert.ok(me);
    const keys = await dossier.keys.list();
    assert.ok(Array.isArray(keys) && keys.length >= 1);
    assert.ok(await dossier.usage.get());
    assert.ok(await dossier.audit.verify());
    assert.equal(typeof (await dossier.audit.export()), "string");
    assert.ok(await dossier.exports.get());
  });

  test("verifyWebhook accepts a real delivery from the stack and refuses it tampered or stale", async () => {
    const deliveries = [];
    let arrived;
    const arrival = new Promise((resolve) => (arrived = resolve));
    const receiver = createServer(async (req, res) => {
      const chunks = [];
      for await (const chunk of req) chunks.push(chunk);
      const body = Buffer.concat(chunks);
      res.writeHead(204).end();
      // Only the test event: the other tests' analyses may send this partner's other events.
      if (JSON.parse(body.toString()).type !== "webhook.test") return;
      deliveries.push({ headers: req.headers, body });
      arrived();
    });
    await new Promise((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    const hook = await dossier.webhooks.create({
      url: `http://127.0.0.1:${receiver.address().port}/hooks/dossier`,
      events: ["analysis.updated"], // nothing here sends feedback, so only the test event comes
    });
    try {
      assert.match(hook.secret, /^whsec_/);
      const queued = await dossier.webhooks.test(hook.id);
      await Promise.race([arrival, new Promise((_, reject) => setTimeout(() => reject(new Error("no delivery in 60 s")), 60_000))]);
      const { headers, body } = deliveries[0];

      const event = await verifyWebhook(body, headers, hook.secret);
      assert.equal(event.type, "webhook.test");
      assert.equal(event.id, queued.event_id);
      const legacyOnly = { "x-dossier-signature": headers["x-dossier-signature"] };
      assert.equal((await verifyWebhook(body, legacyOnly, hook.secret)).id, event.id);

      const tampered = Buffer.from(body.toString().replace("webhook.test", "webhook.tesT"));
      await assert.rejects(verifyWebhook(tampered, headers, hook.secret), WebhookVerificationError);
      await assert.rejects(verifyWebhook(tampered, legacyOnly, hook.secret), WebhookVerificationError);
      const later = Number(headers["webhook-timestamp"]) + 301;
      await assert.rejects(verifyWebhook(body, headers, hook.secret, { now: later }), WebhookVerificationError);
      await assert.rejects(verifyWebhook(body, legacyOnly, hook.secret, { now: later }), WebhookVerificationError);

      const listed = await dossier.webhooks.deliveries(hook.id);
      assert.ok(Array.isArray(listed) && listed.length >= 1);
    } finally {
      await dossier.webhooks.delete(hook.id);
      await new Promise((resolve) => receiver.close(resolve));
    }
  });
});
