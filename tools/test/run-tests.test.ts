// `npm test` on a fresh machine: the browser step (install Debian's Chromium where it can, else stop
// at once with the command) and the closing summary (a test file that did not run is a failure).
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { countReport, summarize } from "../scripts/test-summary.mjs";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const RUN_TESTS = join(ROOT, "tools/scripts/run-tests.mjs");

/** A bin folder holding node and the given fake commands: nothing else of the machine is on PATH. */
function fakeBin(commands: Record<string, string>): string {
  const bin = mkdtempSync(join(tmpdir(), "loom-bin-"));
  symlinkSync(process.execPath, join(bin, "node"));
  for (const [name, body] of Object.entries(commands)) {
    writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  }
  return bin;
}

/** Runs `npm test`'s script with the browser hidden: Debian's place for it is an empty temp folder. */
function runTests(bin: string, args: string[] = []) {
  const place = mkdtempSync(join(tmpdir(), "loom-nochromium-"));
  const chromium = join(place, "usr/bin/chromium");
  const env: Record<string, string> = { PATH: bin, HOME: place, LOOM_DEBIAN_CHROMIUM: chromium, MARKERS: place };
  const run = spawnSync(join(bin, "node"), [RUN_TESTS, ...args], { cwd: ROOT, env, encoding: "utf8", timeout: 60_000 });
  return { ...run, chromium, place, output: `${run.stdout}${run.stderr}` };
}

// A fake npx: if the tests start at all, it leaves a marker.
const NPX = '/usr/bin/touch "$MARKERS/npx-ran"; exit 0';
const SUDO = 'if [ "$1" = "-n" ]; then shift; fi; if [ "$1" = "true" ]; then exit 0; fi; exec "$@"';

describe("npm test without Chromium", () => {
  it("stops at once with the one command to run when it cannot install (no apt-get)", () => {
    const run = runTests(fakeBin({ npx: NPX }));
    expect(run.status).toBe(1);
    expect(run.output).toMatch(/npm test cannot run the report's browser tests/);
    expect(run.output).toMatch(/apt-get is not available here/);
    expect(run.output).toMatch(/apt-get install -y --no-install-recommends chromium/);
    expect(run.output).toMatch(/LOOM_CHROMIUM=\/path\/to\/chromium/);
    expect(existsSync(join(run.place, "npx-ran")), "no test ran").toBe(false);
  });

  it("installs Debian's chromium with apt-get when it can, then goes on", () => {
    // apt-get logs what it was asked and, on install, puts a chromium where Debian would.
    const aptGet = ['echo "$@" >> "$MARKERS/apt-get.log"', 'if [ "$1" = "install" ]; then /usr/bin/mkdir -p "$(/usr/bin/dirname "$LOOM_DEBIAN_CHROMIUM")"; printf "#!/bin/sh\\n" > "$LOOM_DEBIAN_CHROMIUM"; /usr/bin/chmod +x "$LOOM_DEBIAN_CHROMIUM"; fi'].join("\n");
    const run = runTests(fakeBin({ npx: NPX, "apt-get": aptGet, sudo: SUDO }), ["--browser-only"]);
    expect(run.output).toMatch(/Chromium is missing at .*: installing Debian's package/);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`chromium: ${run.chromium} (installed just now)`);
    expect(readFileSync(join(run.place, "apt-get.log"), "utf8").trim().split("\n")).toEqual(["update", "install -y --no-install-recommends chromium"]);
    expect(existsSync(join(run.place, "npx-ran"))).toBe(false); // --browser-only stops there
  });

  it("fails at once with the command when apt-get fails, and never starts the tests", () => {
    const run = runTests(fakeBin({ npx: NPX, "apt-get": "exit 100", sudo: SUDO }));
    expect(run.status).toBe(1);
    expect(run.output).toMatch(/Installing Chromium with apt-get failed/);
    expect(run.output).toMatch(/apt-get update && (sudo )?apt-get install -y --no-install-recommends chromium/);
    expect(existsSync(join(run.place, "npx-ran"))).toBe(false);
  });

  it("says so when LOOM_CHROMIUM points at nothing", () => {
    const bin = fakeBin({ npx: NPX });
    const run = spawnSync(join(bin, "node"), [RUN_TESTS], { cwd: ROOT, env: { PATH: bin, LOOM_CHROMIUM: "/nonexistent/chromium" }, encoding: "utf8" });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/LOOM_CHROMIUM is set to \/nonexistent\/chromium, which is not an executable file/);
  });
});

describe("npm test without Debian's python3-numpy / python3-pandas (BAMBOO's private_eval tests)", () => {
  /** Chromium present; the python the tests use is a fake whose `import numpy, pandas` fails until apt-get "installs" them. */
  function runWithoutPython(commands: Record<string, string>) {
    const place = mkdtempSync(join(tmpdir(), "loom-nopython-"));
    const chromium = join(place, "chromium");
    writeFileSync(chromium, "#!/bin/sh\n");
    chmodSync(chromium, 0o755);
    const python = join(place, "python3");
    writeFileSync(python, '#!/bin/sh\n[ -e "$MARKERS/installed" ]\n');
    chmodSync(python, 0o755);
    const bin = fakeBin({ npx: NPX, ...commands });
    const env: Record<string, string> = { PATH: bin, HOME: place, LOOM_DEBIAN_CHROMIUM: chromium, LOOM_DEBIAN_PYTHON: python, MARKERS: place };
    const run = spawnSync(join(bin, "node"), [RUN_TESTS], { cwd: ROOT, env, encoding: "utf8", timeout: 60_000 });
    return { ...run, place, output: `${run.stdout}${run.stderr}` };
  }

  it("stops before any test with the one command when it cannot install", () => {
    const run = runWithoutPython({});
    expect(run.status).toBe(1);
    expect(run.output).toMatch(/npm test cannot run BAMBOO's private_eval tests/);
    expect(run.output).toMatch(/apt-get install -y --no-install-recommends python3-numpy python3-pandas/);
    expect(existsSync(join(run.place, "npx-ran"))).toBe(false);
  });

  it("installs the two Debian packages with apt-get when it can, then runs the tests", () => {
    const aptGet = ['echo "$@" >> "$MARKERS/apt-get.log"', 'if [ "$1" = "install" ]; then /usr/bin/touch "$MARKERS/installed"; fi'].join("\n");
    const run = runWithoutPython({ "apt-get": aptGet, sudo: SUDO });
    expect(run.output).toMatch(/python3 with numpy and pandas is missing: installing Debian's packages/);
    expect(readFileSync(join(run.place, "apt-get.log"), "utf8").trim().split("\n")).toEqual(["update", "install -y --no-install-recommends python3-numpy python3-pandas"]);
    expect(existsSync(join(run.place, "npx-ran"))).toBe(true);
  });
});

describe("the closing summary", () => {
  it("counts a test file that failed to load or whose setup threw as failed, and names it", () => {
    // A real vitest JSON report: one file imports a missing module, one throws in beforeAll, one passes.
    const dir = mkdtempSync(join(tmpdir(), "loom-vitest-"));
    writeFileSync(join(dir, "package.json"), '{ "type": "module" }');
    writeFileSync(join(dir, "broken.test.ts"), 'import "./does-not-exist.js";\nimport { it } from "vitest";\nit("never runs", () => {});\n');
    writeFileSync(join(dir, "setup.test.ts"), 'import { beforeAll, it } from "vitest";\nbeforeAll(() => { throw new Error("setup blew up"); });\nit("never runs", () => {});\n');
    writeFileSync(join(dir, "ok.test.ts"), 'import { expect, it } from "vitest";\nit("passes", () => expect(1).toBe(1));\n');
    const report = join(dir, "report.json");
    const vitest = spawnSync(process.execPath, [join(ROOT, "node_modules/vitest/vitest.mjs"), "run", "--root", dir, "--reporter=json", `--outputFile.json=${report}`], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, CI: "1" },
    });
    expect(vitest.status).toBe(1);
    const parsed = JSON.parse(readFileSync(report, "utf8"));
    expect(parsed.numFailedTests).toBe(0); // what the old summary added up: "1 passed, 0 failed"
    const counts = countReport(parsed);
    expect(counts.passed).toBe(1);
    expect(counts.brokenFiles.map((f: { file: string }) => f.file.replace(dir, "")).sort()).toEqual(["/broken.test.ts", "/setup.test.ts"]);

    // The repository-wide line, over a workspace holding that report.
    const repo = mkdtempSync(join(tmpdir(), "loom-summary-"));
    writeFileSync(join(repo, "package.json"), JSON.stringify({ workspaces: ["pkgs/*"] }));
    mkdirSync(join(repo, "pkgs/a"), { recursive: true });
    writeFileSync(join(repo, "pkgs/a/package.json"), JSON.stringify({ name: "a", scripts: { test: "vitest" } }));
    writeFileSync(join(repo, "pkgs/a/.test-report.json"), JSON.stringify(parsed));
    const summary = summarize(repo);
    expect(summary.failed).toBe(2);
    expect(summary.lines.at(-1)).toBe("1 passed, 2 failed, 2 of them test files that did not run, 1 skipped");
    expect(summary.lines.some((l: string) => /test file failed to run: .*broken\.test\.ts \(a\): .*does-not-exist/.test(l))).toBe(true);
    expect(summary.lines.some((l: string) => /test file failed to run: .*setup\.test\.ts \(a\): setup blew up/.test(l))).toBe(true);
  });

  it("counts a workspace that wrote no report as failed", () => {
    const repo = mkdtempSync(join(tmpdir(), "loom-summary-"));
    writeFileSync(join(repo, "package.json"), JSON.stringify({ workspaces: ["a"] }));
    mkdirSync(join(repo, "a"));
    writeFileSync(join(repo, "a/package.json"), JSON.stringify({ name: "a", scripts: { test: "vitest" } }));
    const summary = summarize(repo);
    expect(summary.lines).toEqual(["no test report from: a", "0 passed, 1 failed"]);
  });
});
