// Checks docs/ARCHITECTURE.md's package tables against the package.json files: every published
// package appears in exactly one row, and the row's "depends on" cell names exactly its @loomscope
// dependencies (`name`, or `name` (peer) for a peer dependency only). Without flags it prints the
// plugin rows grouped by identical dependencies, to paste into the doc; `--check` exits 1 and
// names each difference (tools/test/architecture.test.ts runs the same check).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { publishedPackages } from "./sync-publish-fields.mjs";

export const ARCHITECTURE_FILE = "docs/ARCHITECTURE.md";
const SCOPE = "@loomscope/";
const short = (name) => (name.startsWith(SCOPE) ? name.slice(SCOPE.length) : name);

/** Each published package's @loomscope dependencies, as the doc writes them (`core`, `spec (peer)`), sorted. */
export function actualDependencies(root) {
  const out = new Map();
  for (const { pkg } of publishedPackages(root)) {
    const ours = (deps) => Object.keys(deps ?? {}).filter((n) => n.startsWith(SCOPE)).map(short);
    const runtime = ours(pkg.dependencies);
    const peers = ours(pkg.peerDependencies).filter((n) => !runtime.includes(n));
    out.set(short(pkg.name), [...runtime, ...peers.map((p) => `${p} (peer)`)].sort());
  }
  return out;
}

/**
 * Rows of every markdown table whose header has a "depends on" column: the backticked package names
 * in the first cell, and the dependencies listed in that column.
 */
export function documentedDependencies(markdown) {
  const rows = [];
  let column = -1;
  for (const line of markdown.split("\n")) {
    if (!line.startsWith("|")) {
      column = -1;
      continue;
    }
    const cells = line.split("|").slice(1, -1).map((c) => c.trim());
    if (column === -1) {
      column = cells.findIndex((c) => /^depends? on$/i.test(c));
      continue;
    }
    if (cells.every((c) => /^-+$/.test(c))) continue;
    const packages = [...cells[0].matchAll(/`([^`]+)`/g)].map((m) => short(m[1]));
    const cell = cells[column] ?? "";
    const deps = cell === "—" || cell === "" ? [] : cell.split(/,\s*/).map((d) => d.replace(/`/g, "").replace(/\s+/g, " ").trim()).map(short);
    rows.push({ packages, deps: deps.sort() });
  }
  return rows;
}

/** What differs between the doc and the package.json files; empty when they agree. */
export function checkArchitecture(root) {
  return compareDependencies(actualDependencies(root), documentedDependencies(readFileSync(join(root, ARCHITECTURE_FILE), "utf8")));
}

/** The differences between the packages' dependencies and the doc's rows. */
export function compareDependencies(actual, rows) {
  const problems = [];
  const seen = new Map();
  for (const row of rows) {
    for (const name of row.packages) {
      if (seen.has(name)) problems.push(`${name} is in two rows`);
      seen.set(name, row.deps);
      const deps = actual.get(name);
      if (!deps) problems.push(`${name} is in the table but is no published package`);
      else if (deps.join(", ") !== row.deps.join(", ")) problems.push(`${name}: the doc says ${row.deps.join(", ") || "—"}; package.json says ${deps.join(", ") || "—"}`);
    }
  }
  for (const name of actual.keys()) if (!seen.has(name)) problems.push(`${name} is missing from the tables`);
  return problems;
}

/** The plugin packages as table rows, grouped by identical dependencies. */
export function pluginRows(root) {
  const plugins = new Set(publishedPackages(root).filter(({ dir }) => dir.startsWith("plugins/")).map(({ pkg }) => short(pkg.name)));
  const groups = new Map();
  for (const [name, deps] of actualDependencies(root)) {
    if (!plugins.has(name)) continue;
    const key = deps.join(", ");
    groups.set(key, [...(groups.get(key) ?? []), name]);
  }
  return [...groups].map(([deps, names]) => `| ${names.map((n) => `\`${n}\``).join(", ")} | ${deps ? deps.split(", ").map((d) => d.replace(/^([^ ]+)/, "`$1`")).join(", ") : "—"} |`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = fileURLToPath(new URL("../../", import.meta.url));
  if (process.argv.includes("--check")) {
    const problems = checkArchitecture(root);
    for (const p of problems) console.log(p);
    if (problems.length > 0) process.exitCode = 1;
  } else {
    console.log("| plugins | depend on |\n| --- | --- |\n" + pluginRows(root).join("\n"));
  }
}
