// Shared by the tests: the package under test is the built dist/ (what `npm pack` ships).
import { createServer } from "node:http";
import { createHmac } from "node:crypto";

export const ROOT = new URL("..", import.meta.url);

/** A tiny local HTTP server standing in for the network: `handler(req, body) -> {status, headers, body}`. */
export async function fakeServer(handler) {
  const requests = [];
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const body = Buffer.concat(chunks);
    requests.push({ method: req.method, url: req.url, headers: req.headers, body });
    const answer = await handler(req, body, requests.length);
    res.writeHead(answer.status, answer.headers ?? {});
    res.end(answer.body ?? "");
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** Signs `body` the way services/webhooks (dossier.webhooks.domain.signature) does. */
export function signLikeTheGateway(secrets, messageId, timestamp, body) {
  const raw = Buffer.from(body);
  const legacy = secrets
    .map((s) => `v1=${createHmac("sha256", s).update(`${timestamp}.`).update(raw).digest("hex")}`)
    .join(",");
  const standard = secrets
    .map((s) => {
      const key = Buffer.from(s.replace(/^whsec_/, ""), "base64");
      const digest = createHmac("sha256", key).update(`${messageId}.${timestamp}.`).update(raw).digest("base64");
      return `v1,${digest}`;
    })
    .join(" ");
  return {
    "X-Dossier-Signature": `t=${timestamp},${legacy}`,
    "webhook-id": messageId,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": standard,
  };
}
