// The packages as an npm user gets them. Every published package is packed (`npm pack`, as
// `npm publish` would) and served by a small local registry for the @loomscope scope — every other
// package comes from the ordinary npm registry. A fresh folder outside the repository then installs
// only the CLI, one benchmark and one backend, locally and globally (`npm i -g --prefix`), and runs
// `loom list` and a real `loom run` against the testkit's fake OpenAI server.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOpenAIServer, type FakeOpenAIServer } from "@loomscope/testkit";
import { recordLines, REPO } from "../helpers.js";

/** A workspace package's version, as packed. */
const versionOf = (dir: string): string => (JSON.parse(readFileSync(join(REPO, dir, "package.json"), "utf8")) as { version: string }).version;

const INSTALLED = ["@loomscope/cli", "@loomscope/benchmark-niah", "@loomscope/backend-openai"];

interface Packed {
  name: string;
  version: string;
  filename: string;
  integrity: string;
  shasum: string;
  files: { path: string }[];
}

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  bin?: Record<string, string>;
  exports?: Record<string, unknown>;
  loomscope?: { entry: string };
}

/** Runs a command without blocking this process (the registry and the fake server answer from here). */
function exec(command: string, args: readonly string[], options: { cwd: string; env?: Record<string, string> }): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? cleanEnv({ LOOMSCOPE_CACHE_DIR: join(options.cwd, ".loom-cache") }), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

/**
 * The environment of a user's shell: none of the npm_* variables the surrounding `npm test` sets
 * (npm would read them as config, and loom would take npm_config_global_prefix as a hint).
 */
function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^npm_/i.test(k) && k !== "NODE_PATH" && k !== "INIT_CWD") env[k] = v;
  return { ...env, CI: "1", NO_COLOR: "1", ...extra };
}

/** The published workspace packages (not private), by folder. */
function publishedDirs(): { dir: string; manifest: Manifest }[] {
  const { workspaces } = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { workspaces: string[] };
  const dirs = workspaces.flatMap((pattern) => {
    if (!pattern.endsWith("/*")) return [pattern];
    const base = pattern.slice(0, -2);
    return existsSync(join(REPO, base)) ? readdirSync(join(REPO, base)).map((n) => `${base}/${n}`) : [];
  });
  return dirs
    .filter((d) => existsSync(join(REPO, d, "package.json")))
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(REPO, dir, "package.json"), "utf8")) as Manifest }))
    .filter(({ manifest }) => manifest.private !== true);
}

describe("published packages, packed and installed as an npm user would", () => {
  const work = mkdtempSync(join(tmpdir(), "loom-publish-"));
  const tarballs = join(work, "tarballs");
  let packed: Packed[] = [];
  let registry: Server;
  let registryURL = "";
  let model: FakeOpenAIServer;

  beforeAll(async () => {
    mkdirSync(tarballs);
    // One npm call packs them all; turbo built them before the tests (prepack would build again).
    const packages = publishedDirs();
    const pack = await exec("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", tarballs, ...packages.flatMap((p) => ["-w", p.dir])], { cwd: REPO });
    expect(pack.status, pack.stderr).toBe(0);
    packed = JSON.parse(pack.stdout) as Packed[];

    // A registry for the @loomscope scope: packuments and tarballs of what was just packed.
    registry = createServer((req, res) => {
      const path = decodeURIComponent((req.url ?? "/").split("?")[0]!.slice(1));
      if (path.startsWith("-/tarballs/")) {
        const file = join(tarballs, path.slice("-/tarballs/".length));
        if (existsSync(file)) return void res.writeHead(200, { "content-type": "application/octet-stream" }).end(readFileSync(file));
      }
      const pkg = packed.find((p) => p.name === path);
      if (!pkg) return void res.writeHead(404, { "content-type": "application/json" }).end('{"error":"not found"}');
      const manifest = packages.find((p) => p.manifest.name === pkg.name)!.manifest;
      const version = { ...manifest, _id: `${pkg.name}@${pkg.version}`, dist: { tarball: `${registryURL}-/tarballs/${pkg.filename}`, integrity: pkg.integrity, shasum: pkg.shasum } };
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ name: pkg.name, "dist-tags": { latest: pkg.version }, versions: { [pkg.version]: version } }));
    });
    await new Promise<void>((r) => registry.listen(0, "127.0.0.1", r));
    registryURL = `http://127.0.0.1:${(registry.address() as AddressInfo).port}/`;
    model = await startOpenAIServer({ models: [{ id: "test-model", maxModelLen: 8192 }] });
  }, 120_000);
  afterAll(async () => {
    await model?.close();
    await new Promise((r) => registry?.close(r));
  });

  const npmInstall = (cwd: string, extra: string[]) =>
    exec("npm", ["install", ...extra, ...INSTALLED, `--@loomscope:registry=${registryURL}`, "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], { cwd });

  /** A user's project folder: a config that sets NIAH's built-in haystack (no download), as .mjs. */
  function userFolder(): string {
    const dir = mkdtempSync(join(tmpdir(), "loom-user-"));
    writeFileSync(join(dir, "loom.config.mjs"), `export default { benchmarks: { niah: { haystack: "noise" } } };\n`);
    return dir;
  }

  const runArgs = (runDir: string) => ["run", "niah", "--model", "openai:test-model", "--backend-opt", `baseURL=${model.baseURL}`, "--lengths", "1000", "--limit", "2", "--run-dir", runDir, "--quiet"];

  async function expectWorkingLoom(loom: string, cwd: string): Promise<void> {
    const list = await exec(loom, ["list"], { cwd });
    expect(list.status, list.stderr).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`niah\\s+@loomscope/benchmark-niah@${versionOf("plugins/benchmarks/niah").replace(/\./g, "\\.")}\\s+retrieval; tasks: niah`));
    expect(list.stdout).toMatch(/openai\s+@loomscope\/backend-openai@0\.1\.0/);
    expect(list.stdout).toMatch(/ruler\s+\(not installed\)\s+.*npm i @loomscope\/benchmark-ruler/);
    const runDir = join(cwd, "run");
    const run = await exec(loom, runArgs(runDir), { cwd });
    expect(run.stderr).not.toMatch(/error|unexpected/);
    expect(run.status).toBe(0);
    expect(run.stdout, run.stderr).toMatch(/samples: 2 ok, 0 failed/);
    const records = recordLines(runDir);
    expect(records.map((r) => r.status)).toEqual(["ok", "ok"]);
    expect(existsSync(join(runDir, "report.html"))).toBe(true);
  }

  it("pack LICENSE, README, package.json and every file their manifest, exports and bin point at", () => {
    const packages = publishedDirs();
    // turbo builds what this workspace depends on before its tests: every published package must be one.
    const own = JSON.parse(readFileSync(join(REPO, "test", "package.json"), "utf8")) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
    const deps = new Set([...Object.keys(own.dependencies ?? {}), ...Object.keys(own.devDependencies ?? {})]);
    for (const { manifest } of packages) expect(deps.has(manifest.name), `add ${manifest.name} to test/package.json devDependencies`).toBe(true);
    expect(packed.map((p) => p.name).sort()).toEqual(packages.map((p) => p.manifest.name).sort());
    for (const tarball of packed) {
      const { manifest } = packages.find((p) => p.manifest.name === tarball.name)!;
      const files = new Set(tarball.files.map((f) => f.path));
      for (const needed of ["LICENSE", "README.md", "package.json"]) expect(files.has(needed), `${tarball.name}: ${needed}`).toBe(true);
      const pointed = [
        ...(manifest.loomscope ? [manifest.loomscope.entry] : []),
        ...Object.values(manifest.bin ?? {}),
        ...Object.values(manifest.exports ?? {}).flatMap((e) => (typeof e === "string" ? [e] : Object.values(e as Record<string, string>))),
      ]
        .filter((p) => !p.includes("*"))
        .map((p) => p.replace(/^\.\//, ""));
      for (const file of pointed) expect(files.has(file), `${tarball.name} packs ${file}`).toBe(true);
    }
  });

  it("a local install of cli + niah + openai lists its plugins and runs against a server", async () => {
    const dir = userFolder();
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "loom-user", private: true }));
    const install = await npmInstall(dir, []);
    expect(install.status, install.stderr).toBe(0);
    // Every @loomscope package came from the packed tarballs; tsx (TypeScript configs only) did not come at all.
    const lock = JSON.parse(readFileSync(join(dir, "node_modules", ".package-lock.json"), "utf8")) as { packages: Record<string, { integrity?: string }> };
    const ours = Object.entries(lock.packages).filter(([path]) => path.includes("node_modules/@loomscope/"));
    expect(ours.map(([path]) => path.replace(/^.*node_modules\//, "")).sort()).toEqual(
      ["@loomscope/backend-openai", "@loomscope/benchmark-kit", "@loomscope/benchmark-niah", "@loomscope/cli", "@loomscope/core", "@loomscope/http", "@loomscope/metrics", "@loomscope/report", "@loomscope/spec"].sort(),
    );
    for (const [path, entry] of ours) expect(entry.integrity, path).toBe(packed.find((p) => path.endsWith(p.name))!.integrity);
    expect(existsSync(join(dir, "node_modules", "tsx"))).toBe(false);
    await expectWorkingLoom(join(dir, "node_modules", ".bin", "loom"), dir);

    // A TypeScript config needs tsx (or a Node that strips types): the error says how to get it.
    writeFileSync(join(dir, "loom.config.ts"), `export default { concurrency: 2 as number };\n`);
    const ts = await exec(join(dir, "node_modules", ".bin", "loom"), ["list", "--config", "loom.config.ts"], { cwd: dir });
    if ((process.features as { typescript?: unknown }).typescript) expect(ts.status).toBe(0);
    else {
      expect(ts.status).toBe(2);
      expect(ts.stderr).toMatch(/loom\.config\.ts is TypeScript, and this Node .* cannot load TypeScript without tsx/);
      expect(ts.stderr).toMatch(/fix: install tsx beside it \(npm i -D tsx\)/);
    }
  });

  it("a global install (npm i -g --prefix) finds the plugins beside the CLI, by scan and by name", async () => {
    const prefix = mkdtempSync(join(tmpdir(), "loom-global-"));
    const install = await npmInstall(tmpdir(), ["-g", "--prefix", prefix]);
    expect(install.status, install.stderr).toBe(0);
    const loom = join(prefix, "bin", "loom");
    // From a folder with no node_modules: the plugins are found in the CLI's own install tree.
    const dir = userFolder();
    await expectWorkingLoom(loom, dir);
    // Named in config by package name: resolved from the global prefix too.
    writeFileSync(join(dir, "named.json"), JSON.stringify({ plugins: ["@loomscope/benchmark-niah", "@loomscope/backend-openai"] }));
    const named = await exec(loom, ["list", "--kind", "benchmark", "--config", "named.json"], { cwd: dir });
    expect(named.status, named.stderr).toBe(0);
    expect(named.stdout).toContain(`@loomscope/benchmark-niah@${versionOf("plugins/benchmarks/niah")}`);
    // A typo in a target: the nearest known id, and no install line for the typed name.
    const typo = await exec(loom, ["run", "naih", "--model", "openai:test-model"], { cwd: dir });
    expect(typo.status).toBe(2);
    expect(typo.stderr).toMatch(/fix: did you mean "niah"\?/);
    expect(typo.stderr).not.toMatch(/npm i @loomscope\/benchmark-naih/);
  });
});
