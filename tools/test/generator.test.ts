import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const require = createRequire(import.meta.url);
const { pluginFiles } = require("../generators/plugin/files.cjs") as {
  pluginFiles: (kind: string, id: string) => { root: string; name: string; files: Record<string, string> };
};
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const KINDS = ["benchmark", "backend", "accelerator", "suite"] as const;
const created: string[] = [];
afterAll(() => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

describe("nx g @loomscope/tools:plugin", () => {
  it("is wired into nx: a dry run lists the files of a new plugin package", () => {
    // Not the README's example id: a user who followed the README has a plugins/benchmarks/my-bench.
    const id = `gen-dry-${process.pid}`;
    const out = execFileSync(process.execPath, [join(ROOT, "node_modules/nx/bin/nx.js"), "g", "@loomscope/tools:plugin", "--kind", "benchmark", "--id", id, "--dry-run"], {
      cwd: ROOT,
      env: { ...process.env, NX_DAEMON: "false", NX_NO_CLOUD: "true", NO_COLOR: "1", FORCE_COLOR: "0" },
    })
      .toString()
      .replace(/\u001b\[[0-9;]*m/g, ""); // nx colours its output under CI whatever the env says
    for (const file of ["package.json", "src/index.ts", `test/${id}.test.ts`, "README.md", "data/samples.jsonl"]) {
      expect(out).toContain(`CREATE plugins/benchmarks/${id}/${file}`);
    }
  });

  it("refuses bad ids and kinds", () => {
    expect(() => pluginFiles("benchmark", "My Bench")).toThrow(/lower-case/);
    expect(() => pluginFiles("widget", "x")).toThrow(/kind must be/);
  });

  it("scaffolds packages that build and pass their own conformance tests, for every kind", () => {
    const dirs: string[] = [];
    for (const kind of KINDS) {
      // A dot folder: inside the repository (so the real tsconfig.base.json and node_modules apply)
      // but outside the npm workspaces' globs.
      const id = `gen-${kind}-${process.pid}`;
      const { root, files, name } = pluginFiles(kind, id);
      expect(name).toBe(`@loomscope/${kind}-${id}`);
      const manifest = JSON.parse(files[`${root}/package.json`]!);
      expect(manifest.loomscope).toEqual({ kind, id, apiVersion: 1, entry: "./dist/index.js" });
      expect(manifest.peerDependencies).toEqual({ "@loomscope/spec": "^1.0.0" });
      const target = join(ROOT, dirname(root), `.${id}`);
      created.push(target);
      for (const [path, content] of Object.entries(files)) {
        const file = join(target, path.slice(root.length + 1));
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, content);
      }
      const tsc = spawnSync(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], { cwd: target });
      expect(tsc.stdout.toString() + tsc.stderr.toString(), `${kind} builds`).toBe("");
      dirs.push(target);
    }
    for (const target of dirs) {
      const run = spawnSync(process.execPath, [join(ROOT, "node_modules/vitest/vitest.mjs"), "run", "--root", target], { cwd: target, env: { ...process.env, CI: "1", NO_COLOR: "1", FORCE_COLOR: "0" } });
      const output = run.stdout.toString() + run.stderr.toString();
      expect(run.status, output.slice(-3000)).toBe(0);
      expect(output).toMatch(/Tests\s+\d+ passed/);
    }
  }, 180_000);
});
