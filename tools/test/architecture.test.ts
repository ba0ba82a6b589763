// docs/ARCHITECTURE.md's package and plugin tables say what the package.json files say.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { actualDependencies, checkArchitecture, compareDependencies, documentedDependencies } from "../scripts/architecture-deps.mjs";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

describe("docs/ARCHITECTURE.md's dependency tables", () => {
  it("match every published package's @loomscope dependencies", () => {
    expect(checkArchitecture(ROOT)).toEqual([]);
  });

  it("the engine split holds: no accelerator and no llama.cpp depends on a backend package", () => {
    const actual = actualDependencies(ROOT) as Map<string, string[]>;
    for (const name of ["accelerator-kv-pruning", "accelerator-sparse-attention", "backend-llamacpp"]) {
      expect(actual.get(name), name).toContain("engine");
      expect(actual.get(name)!.filter((d) => d.startsWith("backend-")), name).toEqual([]);
    }
    expect(actual.get("backend-engine")).toContain("engine");
  });

  it("names a wrong, a missing, a doubled and an unknown row", () => {
    const markdown = [
      "| package | job | depends on |",
      "| --- | --- | --- |",
      "| `@loomscope/a` | x | `spec` (peer) |",
      "| `@loomscope/b` | y | — |",
      "",
      "| plugins | depend on |",
      "| --- | --- |",
      "| `backend-c`, `b` | `a`, `spec` (peer) |",
      "| `ghost` | — |",
    ].join("\n");
    const rows = documentedDependencies(markdown);
    expect(rows).toEqual([
      { packages: ["a"], deps: ["spec (peer)"] },
      { packages: ["b"], deps: [] },
      { packages: ["backend-c", "b"], deps: ["a", "spec (peer)"] },
      { packages: ["ghost"], deps: [] },
    ]);
    const actual = new Map([
      ["a", ["spec (peer)"]],
      ["b", []],
      ["backend-c", ["http", "spec (peer)"]],
      ["d", ["spec"]],
    ]);
    expect(compareDependencies(actual, rows)).toEqual([
      "backend-c: the doc says a, spec (peer); package.json says http, spec (peer)",
      "b is in two rows",
      "b: the doc says a, spec (peer); package.json says —",
      "ghost is in the table but is no published package",
      "d is missing from the tables",
    ]);
  });
});
