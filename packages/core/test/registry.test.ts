import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { closest as nearest, editDistance } from "@loomscope/metrics";
import { globalPluginDirs, isPluginPath, PluginRegistry } from "../src/plugins/registry.js";

/** Writes a fake installed package into <project>/node_modules. */
function installPackage(project: string, name: string, manifest: unknown, source?: string): void {
  const dir = join(project, "node_modules", ...name.split("/"));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name, version: "1.2.3", type: "module", ...(manifest ? { loomscope: manifest } : {}) }));
  if (source !== undefined) writeFileSync(join(dir, "index.js"), source);
}

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), "loom-reg-"));
  writeFileSync(join(dir, "package.json"), "{}");
  installPackage(dir, "left-pad", undefined);
  installPackage(
    dir,
    "@acme/loom-echo",
    { kind: "backend", id: "echo", apiVersion: 1, entry: "./index.js" },
    `export default { kind: "backend", id: "echo", apiVersion: 1, description: "", create() {} };`,
  );
  installPackage(
    dir,
    "@loomscope/benchmark-future",
    { kind: "benchmark", id: "future", apiVersion: 2, entry: "./index.js" },
    `throw new Error("must not be imported");`,
  );
  installPackage(
    dir,
    "@loomscope/benchmark-wrongkind",
    { kind: "benchmark", id: "wrongkind", apiVersion: 1, entry: "./index.js" },
    `export default { kind: "backend", id: "wrongkind", apiVersion: 1, create() {} };`,
  );
  installPackage(dir, "@loomscope/benchmark-noentry", { kind: "benchmark", id: "noentry", apiVersion: 1, entry: "./dist/index.js" });
  installPackage(dir, "bad-manifest", { kind: "benchmark", id: "Bad Id", apiVersion: 1, entry: "x" });
  return dir;
}

describe("PluginRegistry", () => {
  it("finds plugins by their package.json manifest without importing them", () => {
    const registry = new PluginRegistry({ cwd: project(), searchPaths: [] });
    expect(registry.list().map((p) => `${p.manifest.kind}:${p.manifest.id}`).sort()).toEqual([
      "backend:echo",
      "benchmark:future",
      "benchmark:noentry",
      "benchmark:wrongkind",
    ]);
    expect(registry.problems()[0]?.packageName).toBe("bad-manifest");
  });

  it("loads a plugin lazily and checks what it exports", async () => {
    const registry = new PluginRegistry({ cwd: project(), searchPaths: [] });
    const echo = await registry.load("backend", "echo");
    expect(echo.id).toBe("echo");
  });

  it("refuses a wrong apiVersion before importing, naming the package and the fix", async () => {
    const registry = new PluginRegistry({ cwd: project(), searchPaths: [] });
    const error = (await registry.load("benchmark", "future").catch((e: unknown) => e)) as Error & { code: string; hint: string };
    expect(error.code).toBe("PLUGIN_API_VERSION");
    expect(error.message).toContain("@loomscope/benchmark-future@1.2.3 declares apiVersion 2");
    expect(error.hint).toMatch(/npm i @loomscope\/core@latest/);
  });

  it("explains a missing first-party plugin with the npm install line", async () => {
    const registry = new PluginRegistry({ cwd: project(), searchPaths: [] });
    const error = (await registry.load("benchmark", "lveval").catch((e: unknown) => e)) as Error & { code: string; hint: string };
    expect(error.code).toBe("PLUGIN_MISSING");
    expect(error.hint).toBe("npm i @loomscope/benchmark-lveval");
  });

  it("answers a typo with the nearest known id, and never suggests installing a typed name", () => {
    const registry = new PluginRegistry({ cwd: project(), searchPaths: [] });
    const hint = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return (error as { hint: string }).hint;
      }
      throw new Error("expected an error");
    };
    expect(hint(() => registry.require("benchmark", "rulr"))).toBe('did you mean "ruler"? (not installed: npm i @loomscope/benchmark-ruler)');
    expect(hint(() => registry.require("benchmark", "countingstars"))).toBe('did you mean "counting-stars"? (not installed: npm i @loomscope/benchmark-counting-stars)');
    expect(hint(() => registry.require("backend", "ehco"))).toBe('did you mean "echo"?'); // installed: nothing to install
    const far = hint(() => registry.require("benchmark", "my-private-bench"));
    expect(far).not.toMatch(/npm i/);
    expect(far).toMatch(/loom list/);
    const target = registry.unknownTarget("quikstart");
    expect(target.message).toBe('"quikstart" is neither an installed suite nor an installed benchmark');
    expect(target.hint).toMatch(/^did you mean "quickstart"\? \(not installed: npm i @loomscope\/suite-quickstart\) \(installed suites: none; benchmarks: future, noentry, wrongkind\)$/);
    expect(registry.unknownTarget("zzzz-unknown").hint).not.toMatch(/npm i/);
  });

  it("computes edit distance with transpositions", () => {
    expect(editDistance("niha", "niah")).toBe(1);
    expect(editDistance("rulr", "ruler")).toBe(1);
    expect(editDistance("", "abc")).toBe(3);
    expect(nearest("lvevl", ["lveval", "ruler"])).toBe("lveval");
    expect(nearest("abc", ["lveval", "ruler"])).toBeUndefined();
  });

  it("reports a bad entry: missing file, or a default export of the wrong kind", async () => {
    const registry = new PluginRegistry({ cwd: project(), searchPaths: [] });
    await expect(registry.load("benchmark", "noentry")).rejects.toMatchObject({ code: "PLUGIN_BAD_ENTRY", message: expect.stringMatching(/does not exist/) });
    await expect(registry.load("benchmark", "wrongkind")).rejects.toMatchObject({
      code: "PLUGIN_BAD_ENTRY",
      message: expect.stringMatching(/has kind backend, not benchmark/),
    });
  });

  it("refuses a backend whose declared directives are not <accelerator>:<method> names", async () => {
    const dir = mkdtempSync(join(tmpdir(), "loom-reg-"));
    writeFileSync(join(dir, "package.json"), "{}");
    const backend = (id: string, directives: string) =>
      installPackage(dir, `loom-${id}`, { kind: "backend", id, apiVersion: 1, entry: "./index.js" }, `export default { kind: "backend", id: "${id}", apiVersion: 1, description: "", directives: ${directives}, create() {} };`);
    backend("good", `["kv-pruning:streamingllm"]`);
    backend("bad", `["kv-pruning", 3]`);
    backend("notarray", `"kv-pruning:snapkv"`);
    const registry = new PluginRegistry({ cwd: dir, searchPaths: [] });
    await expect(registry.load("backend", "good")).resolves.toMatchObject({ directives: ["kv-pruning:streamingllm"] });
    await expect(registry.load("backend", "bad")).rejects.toMatchObject({ code: "PLUGIN_BAD_ENTRY", message: expect.stringMatching(/directives must be <accelerator>:<method> names, not "kv-pruning", 3/) });
    await expect(registry.load("backend", "notarray")).rejects.toMatchObject({ code: "PLUGIN_BAD_ENTRY" });
  });

  it("names the right package for first-party plugins that break the naming convention", async () => {
    const registry = new PluginRegistry({ cwd: project(), searchPaths: [] });
    await expect(registry.load("backend", "engine")).rejects.toMatchObject({ hint: "npm i @loomscope/backend-engine" });
  });

  it("uses only the packages named in config when given: names and paths", () => {
    const dir = project();
    const registry = new PluginRegistry({ cwd: dir, packages: ["@acme/loom-echo"], searchPaths: [] });
    expect(registry.list().map((p) => p.manifest.id)).toEqual(["echo"]);
    expect(() => new PluginRegistry({ cwd: dir, packages: ["@loomscope/backend-nope"], searchPaths: [] })).toThrow(/not installed/);
    // A path, relative to the config's folder; the package need not be installed anywhere.
    const local = join(dir, "my-plugins", "bench");
    mkdirSync(local, { recursive: true });
    writeFileSync(join(local, "package.json"), JSON.stringify({ name: "bench", version: "0.0.1", loomscope: { kind: "benchmark", id: "mine", apiVersion: 1, entry: "./i.js" } }));
    for (const spec of ["./my-plugins/bench", "my-plugins/bench", local, `file:${local}`]) {
      const byPath = new PluginRegistry({ cwd: tmpdir(), configDir: dir, packages: [spec], searchPaths: [] });
      expect(byPath.list().map((p) => p.manifest.id), spec).toEqual(["mine"]);
    }
  });

  it("says a missing plugin path does not exist, and a folder without package.json has none", () => {
    const dir = project();
    const error = (() => {
      try {
        new PluginRegistry({ cwd: dir, packages: ["./plugins/not-there"], searchPaths: [] });
      } catch (e) {
        return e as { code: string; message: string };
      }
    })();
    expect(error?.code).toBe("PLUGIN_MISSING");
    expect(error?.message).toBe(`plugin path ./plugins/not-there named in config does not exist (${join(dir, "plugins/not-there")})`);
    mkdirSync(join(dir, "empty"));
    expect(() => new PluginRegistry({ cwd: dir, packages: ["./empty"], searchPaths: [] })).toThrow(/has no package\.json/);
    expect(() => new PluginRegistry({ cwd: dir, packages: ["./node_modules/left-pad"], searchPaths: [] })).toThrow(/no "loomscope" manifest/);
  });

  it("never suggests installing a package name typed in config unless it is first-party", () => {
    const dir = project();
    const hintOf = (name: string) => {
      try {
        new PluginRegistry({ cwd: dir, packages: [name], searchPaths: [] });
      } catch (e) {
        return (e as { hint: string }).hint;
      }
    };
    expect(hintOf("@loomscope/benchmark-ruler")).toBe("npm i @loomscope/benchmark-ruler");
    expect(hintOf("@loomscope/benchmark-rulr")).toBe("did you mean @loomscope/benchmark-ruler? (npm i @loomscope/benchmark-ruler)");
    expect(hintOf("@someone/loom-thing")).not.toMatch(/npm i/);
  });

  it("finds plugins in the global prefix and beside the CLI; the project's own copy wins", () => {
    const dir = project();
    const prefix = mkdtempSync(join(tmpdir(), "loom-prefix-"));
    const globalModules = join(prefix, "lib", "node_modules");
    // A published plugin whose exports do not include ./package.json.
    const pkgDir = join(globalModules, "@acme", "loom-global");
    mkdirSync(pkgDir, { recursive: true });
    writeFileSync(
      join(pkgDir, "package.json"),
      JSON.stringify({ name: "@acme/loom-global", version: "2.0.0", exports: { ".": "./index.js" }, loomscope: { kind: "benchmark", id: "global-bench", apiVersion: 1, entry: "./index.js" } }),
    );
    const echoCopy = join(globalModules, "@acme", "loom-echo-copy");
    mkdirSync(echoCopy, { recursive: true });
    writeFileSync(join(echoCopy, "package.json"), JSON.stringify({ name: "@acme/loom-echo-copy", version: "9.9.9", loomscope: { kind: "backend", id: "echo", apiVersion: 1, entry: "./index.js" } }));
    const env = { npm_config_prefix: prefix, HOME: prefix };
    const registry = new PluginRegistry({ cwd: dir, env });
    expect(registry.find("benchmark", "global-bench")?.packageName).toBe("@acme/loom-global");
    expect(registry.find("backend", "echo")?.packageName).toBe("@acme/loom-echo"); // nearest wins
    expect(registry.searched.at(0)).toBe(join(dir, "node_modules"));
    expect(registry.searched).toContain(globalModules);
    // Named in config, it resolves from the global prefix too, without a ./package.json export.
    const named = new PluginRegistry({ cwd: mkdtempSync(join(tmpdir(), "loom-empty-")), packages: ["@acme/loom-global"], env });
    expect(named.list().map((p) => p.version)).toEqual(["2.0.0"]);
    // The CLI's own install tree: from an empty folder, this workspace's plugins are found beside core.
    const beside = new PluginRegistry({ cwd: mkdtempSync(join(tmpdir(), "loom-empty-")), env: {} });
    expect(beside.find("benchmark", "niah")?.packageName).toBe("@loomscope/benchmark-niah");
  });

  it("works out the global prefix without spawning npm", () => {
    const home = mkdtempSync(join(tmpdir(), "loom-home-"));
    expect(globalPluginDirs({ HOME: home }, "/opt/node-20/bin/node")).toEqual(["/opt/node-20/lib/node_modules"]);
    expect(globalPluginDirs({ HOME: home, npm_config_prefix: "/srv/npm" }, "/usr/bin/node")).toEqual(["/srv/npm/lib/node_modules", "/usr/lib/node_modules"]);
    writeFileSync(join(home, ".npmrc"), "registry=https://registry.npmjs.org/\nprefix = ~/.npm-global\n");
    expect(globalPluginDirs({ HOME: home }, "/usr/bin/node")).toEqual([join(home, ".npm-global/lib/node_modules"), "/usr/lib/node_modules"]);
  });

  it("tells package names from paths", () => {
    for (const name of ["left-pad", "@loomscope/benchmark-ruler"]) expect(isPluginPath(name), name).toBe(false);
    for (const path of ["./x", "../x", "/abs/x", "~/x", "plugins/x", "C:\\x", "file:/x", "@scope/name/sub"]) expect(isPluginPath(path), path).toBe(true);
  });
});
