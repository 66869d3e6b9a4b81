// `npm pack` + `npm install <tarball>` into an empty project, then
// `import { Dossier } from "@dossier/client"` in plain Node: the published shape works
// (ESM entry, types, no runtime dependencies, no build step on the installing side).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ROOT } from "./support.mjs";

const npm = process.platform === "win32" ? "npm.cmd" : "npm";

test("the packed package installs into an empty project and imports as ESM", () => {
  const root = fileURLToPath(ROOT);
  const dir = mkdtempSync(join(tmpdir(), "dossier-sdk-pack-"));
  try {
    // dist/ is already built (`npm run build`); --ignore-scripts skips rebuilding it.
    const out = execFileSync(npm, ["pack", "--ignore-scripts", "--json", "--pack-destination", dir], {
      cwd: root,
      encoding: "utf8",
    });
    const [packed] = JSON.parse(out);
    const files = packed.files.map((f) => f.path);
    assert.ok(files.includes("dist/index.js") && files.includes("dist/index.d.ts"), files.join(", "));
    assert.ok(!files.some((f) => /^(src|test|node_modules)\/|tsbuildinfo/.test(f)), files.join(", "));

    const project = join(dir, "app");
    execFileSync("mkdir", ["-p", project]);
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
    execFileSync(npm, ["install", "--offline", "--no-audit", "--no-fund", join(dir, packed.filename)], {
      cwd: project,
      stdio: "pipe",
    });
    const installed = JSON.parse(readFileSync(join(project, "node_modules", "@dossier", "client", "package.json"), "utf8"));
    assert.equal(installed.name, "@dossier/client");
    assert.deepEqual(installed.dependencies ?? {}, {}, "zero runtime dependencies");
    assert.ok(existsSync(join(project, "node_modules", "@dossier", "client", "dist", "index.d.ts")));

    const script = [
      'import { Dossier, verifyWebhook, DossierError, NotFoundError } from "@dossier/client";',
      'const dossier = new Dossier({ apiKey: "ats_test_x", baseUrl: "http://127.0.0.1:9" });',
      "console.log(JSON.stringify({",
      "  analyses: typeof dossier.analyses.create, wait: typeof dossier.analyses.wait,",
      "  stream: typeof dossier.analyses.stream, widget: typeof dossier.widgetSessions.create,",
      "  verify: typeof verifyWebhook, errors: new NotFoundError('x') instanceof DossierError,",
      "}));",
    ].join("\n");
    const printed = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
      cwd: project,
      encoding: "utf8",
    });
    assert.deepEqual(JSON.parse(printed), {
      analyses: "function",
      wait: "function",
      stream: "function",
      widget: "function",
      verify: "function",
      errors: true,
    });

    // The .d.ts files type a TypeScript consumer (strict, NodeNext), and catch misuse.
    writeFileSync(
      join(project, "app.ts"),
      [
        'import { Dossier, NotFoundError, type Analysis } from "@dossier/client";',
        'const dossier = new Dossier({ apiKey: "ats_test_x", baseUrl: "http://localhost:8000" });',
        "export async function run(): Promise<Analysis> {",
        '  const created = await dossier.analyses.create({ language: "en", client: { id: "c" },',
        '    candidate: { id: "k", first_name: "A", last_name: "B" }, maxAgeDays: 30 });',
        "  const reused: boolean = created.reused;",
        "  void reused;",
        "  try { return await dossier.analyses.wait(created.id, { timeout: 120 }); }",
        "  catch (e) { if (e instanceof NotFoundError) throw new Error(e.requestId); throw e; }",
        "}",
        "// @ts-expect-error candidate.first_name is required",
        'void dossier.analyses.create({ client: { id: "c" }, candidate: { id: "k", last_name: "B" } });',
      ].join("\n"),
    );
    const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
    execFileSync(
      process.execPath,
      [tsc, "--noEmit", "--strict", "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022", "--lib", "es2022,dom", "app.ts"],
      { cwd: project, stdio: "pipe" },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
