// `npm run prepare` (npm runs it on `npm ci`/`npm install` here, on `npm pack`, and when a
// project installs this folder: `npm install path/to/sdks/typescript`). It builds dist/ with
// tsc; in a fresh clone, where this folder has no node_modules yet, it first installs the
// pinned devDependencies from package-lock.json (`npm ci`), so installing the folder works.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

if (!existsSync(tsc)) {
  execFileSync(npm, ["ci", "--ignore-scripts", "--no-audit", "--no-fund"], { cwd: root, stdio: "inherit" });
}
execFileSync(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: root, stdio: "inherit" });
