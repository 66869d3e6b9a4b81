// verifyWebhook against signatures built exactly as services/webhooks builds them (both
// schemes, secret rotation, the old hex secrets); the stack test also checks a real delivery.
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { verifyWebhook, WebhookVerificationError } from "../dist/index.js";
import { signLikeTheGateway } from "./support.mjs";

const secret = `whsec_${randomBytes(32).toString("base64")}`;
const body = JSON.stringify({ id: "evt_1", type: "analysis.completed", data: { id: "an_1" } });
const now = Math.floor(Date.now() / 1000);
const signed = signLikeTheGateway([secret], "evt_1", now, body);
const only = (names) => Object.fromEntries(Object.entries(signed).filter(([k]) => names.includes(k)));
const STANDARD = ["webhook-id", "webhook-timestamp", "webhook-signature"];
const LEGACY = ["X-Dossier-Signature"];

test("a Standard Webhooks signature verifies and returns the event", async () => {
  const event = await verifyWebhook(body, only(STANDARD), secret);
  assert.equal(event.id, "evt_1");
  assert.equal(event.type, "analysis.completed");
});

test("an X-Dossier-Signature verifies (bytes, Headers and lower-case names work too)", async () => {
  const headers = new Headers(only(LEGACY));
  const event = await verifyWebhook(new TextEncoder().encode(body), headers, secret);
  assert.equal(event.id, "evt_1");
  assert.equal((await verifyWebhook(body, { "x-dossier-signature": signed["X-Dossier-Signature"] }, secret)).id, "evt_1");
});

for (const [scheme, names] of [["Standard Webhooks", STANDARD], ["X-Dossier-Signature", LEGACY]]) {
  test(`${scheme}: a tampered body is refused`, async () => {
    const tampered = body.replace("an_1", "an_2");
    await assert.rejects(verifyWebhook(tampered, only(names), secret), WebhookVerificationError);
  });

  test(`${scheme}: another secret is refused`, async () => {
    const other = `whsec_${randomBytes(32).toString("base64")}`;
    await assert.rejects(verifyWebhook(body, only(names), other), WebhookVerificationError);
  });

  test(`${scheme}: a stale delivery (over five minutes) is refused, a recent one accepted`, async () => {
    await assert.rejects(
      verifyWebhook(body, only(names), secret, { now: now + 301 }),
      (error) => error instanceof WebhookVerificationError && /stale/.test(error.message),
    );
    assert.equal((await verifyWebhook(body, only(names), secret, { now: now + 299 })).id, "evt_1");
  });

  test(`${scheme}: during a rotation either secret verifies`, async () => {
    const previous = `whsec_${randomBytes(32).toString("base64")}`;
    const both = signLikeTheGateway([secret, previous], "evt_1", now, body);
    const headers = Object.fromEntries(Object.entries(both).filter(([k]) => names.includes(k)));
    assert.equal((await verifyWebhook(body, headers, previous)).id, "evt_1");
    assert.equal((await verifyWebhook(body, headers, secret)).id, "evt_1");
  });
}

test("an old whsec_<64 hex digits> secret verifies under both schemes", async () => {
  const old = `whsec_${randomBytes(32).toString("hex")}`;
  const headers = signLikeTheGateway([old], "evt_1", now, body);
  assert.equal((await verifyWebhook(body, Object.fromEntries(Object.entries(headers).filter(([k]) => STANDARD.includes(k))), old)).id, "evt_1");
  assert.equal((await verifyWebhook(body, { "X-Dossier-Signature": headers["X-Dossier-Signature"] }, old)).id, "evt_1");
});

test("no signature headers at all is refused", async () => {
  await assert.rejects(verifyWebhook(body, {}, secret), WebhookVerificationError);
});
