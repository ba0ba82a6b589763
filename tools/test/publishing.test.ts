// Every published package carries what npm users need: it builds on prepack, says which Node it
// needs, where its source lives and its license (with the LICENSE file), and exposes its
// package.json. test/publish/ packs them and installs them as a user would.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { publishedPackages, syncPublishFields } from "../scripts/sync-publish-fields.mjs";

const require = createRequire(import.meta.url);
const { pluginFiles } = require("../generators/plugin/files.cjs") as {
  pluginFiles: (kind: string, id: string) => { root: string; files: Record<string, string> };
};
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const rootPkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
const LICENSE = readFileSync(join(ROOT, "LICENSE"), "utf8");

interface Pkg {
  name: string;
  license?: string;
  engines?: { node?: string };
  repository?: { type?: string; url?: string; directory?: string };
  keywords?: string[];
  files?: string[];
  exports?: Record<string, unknown>;
  scripts?: Record<string, string>;
  bin?: Record<string, string>;
  loomscope?: { entry: string };
}

function expectPublishable(pkg: Pkg, dir: string) {
  expect(pkg.license, pkg.name).toBe("Apache-2.0");
  expect(pkg.engines?.node, pkg.name).toBe(">=20.19");
  expect(pkg.repository, pkg.name).toEqual({ type: "git", url: rootPkg.repository.url, directory: dir });
  expect(pkg.keywords?.length ?? 0, `${pkg.name} keywords`).toBeGreaterThan(0);
  expect(pkg.keywords, pkg.name).toContain("loomscope");
  expect(pkg.files, pkg.name).toContain("LICENSE");
  expect(pkg.exports?.["./package.json"], pkg.name).toBe("./package.json");
  expect(pkg.scripts?.prepack, pkg.name).toBe(`turbo run build --filter=${pkg.name}... --output-logs=errors-only`);
}

describe("published packages", () => {
  const packages = publishedPackages(ROOT) as { dir: string; pkg: Pkg }[];

  it("are every package under packages/ and plugins/, and none of the private ones", () => {
    const dirs = packages.map((p) => p.dir);
    expect(dirs).toContain("packages/core");
    expect(dirs).toContain("packages/cli");
    expect(dirs).toContain("packages/spec");
    expect(dirs).toContain("plugins/benchmarks/niah");
    expect(dirs.every((d) => d.startsWith("packages/") || d.startsWith("plugins/"))).toBe(true);
    expect(dirs).not.toContain("tools");
    expect(dirs).not.toContain("test");
  });

  it("carry engines, repository, license, LICENSE, keywords, ./package.json and a building prepack", () => {
    for (const { dir, pkg } of packages) {
      expectPublishable(pkg, dir);
      expect(readFileSync(join(ROOT, dir, "LICENSE"), "utf8"), `${dir}/LICENSE`).toBe(LICENSE);
    }
    // The sync script agrees: nothing to update.
    expect(syncPublishFields(ROOT, { write: false })).toEqual([]);
    expect(LICENSE).toMatch(/Apache License\s+Version 2\.0, January 2004/);
  });

  it("the plugin generator scaffolds the same shape", () => {
    for (const kind of ["benchmark", "backend", "accelerator", "suite"]) {
      const { root, files } = pluginFiles(kind, "shape-check");
      expectPublishable(JSON.parse(files[`${root}/package.json`]!) as Pkg, root);
      expect(files[`${root}/LICENSE`]).toBe(LICENSE);
    }
  });
});
