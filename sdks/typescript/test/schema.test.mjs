// src/schema.ts is generated from docs/openapi.json: this fails when the two drift apart
// (run `npm run generate` after the OpenAPI document changes, and commit the result).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ROOT } from "./support.mjs";

test("src/schema.ts is what openapi-typescript makes of docs/openapi.json", () => {
  const root = fileURLToPath(ROOT);
  const dir = mkdtempSync(join(tmpdir(), "dossier-sdk-schema-"));
  try {
    const fresh = join(dir, "schema.ts");
    const cli = join(root, "node_modules", "openapi-typescript", "bin", "cli.js");
    execFileSync(process.execPath, [cli, join(root, "..", "..", "docs", "openapi.json"), "-o", fresh], {
      cwd: root,
      stdio: "pipe",
    });
    const committed = readFileSync(join(root, "src", "schema.ts"), "utf8");
    assert.ok(
      readFileSync(fresh, "utf8") === committed,
      "src/schema.ts is stale: run `npm run generate` in sdks/typescript and commit it",
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
