// `npm test`: make sure the browser tests have their Chromium and BAMBOO's private_eval tests Debian's
// python3 with numpy and pandas (installing Debian's packages where it can, else stopping at once
// with the command to run), then every workspace's tests through turbo
// (one task at a time on small machines; all of them even after a failure), then one closing
// "N passed, N failed" line for the whole repository.
//
// `--browser-only` does the Chromium step alone and exits (the CI check that hides the browser).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureChromium } from "./browser.mjs";
import { ensureDebianPython } from "./debian-python.mjs";

const root = fileURLToPath(new URL("../../", import.meta.url));
const args = process.argv.slice(2);
const browserOnly = args.includes("--browser-only");

const browser = ensureChromium();
if (!browser.ok) {
  console.error(`\nnpm test cannot run the report's browser tests.\n${browser.message}\n`);
  process.exit(1);
}
if (browserOnly) {
  console.log(`chromium: ${browser.path}${browser.installed ? " (installed just now)" : ""}`);
  process.exit(0);
}
const python = ensureDebianPython();
if (!python.ok) {
  console.error(`\nnpm test cannot run BAMBOO's private_eval tests.\n${python.message}\n`);
  process.exit(1);
}

// One empty response cache for the whole run: tests never read what an earlier run (or the user's
// own runs) left in ~/.cache/loomscope, and leave nothing there.
const cacheDir = mkdtempSync(join(tmpdir(), "loom-test-cache-"));
const env = { ...process.env, LOOMSCOPE_CACHE_DIR: cacheDir };
const turbo = spawnSync("npx", ["turbo", "run", "test", "--concurrency=1", "--continue", ...args], { cwd: root, stdio: "inherit", env });
rmSync(cacheDir, { recursive: true, force: true });
const summary = spawnSync(process.execPath, [fileURLToPath(new URL("./test-summary.mjs", import.meta.url))], { cwd: root, stdio: "inherit" });
process.exitCode = turbo.status !== 0 || summary.status !== 0 ? 1 : 0;
