/**
 * The shipped lock against the installed members: twelve entries in the card's column order, every
 * pinned unit a task (and length) its benchmark has under the entry's protocol, no file pinned twice,
 * generated members without data; a lock file given by LOOMBENCH_LOCK is validated with its path named.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Benchmark, JsonValue } from "@loomscope/spec";
import loombench, { LOOMBENCH_LOCK, leaderboardColumns, readLock, suiteFromLock } from "../src/index.js";

const PLUGINS = fileURLToPath(new URL("../../../benchmarks/", import.meta.url));

async function member(id: string): Promise<Benchmark | undefined> {
  const pkg = join(PLUGINS, id, "package.json");
  if (!existsSync(pkg)) return undefined;
  const manifest = JSON.parse(readFileSync(pkg, "utf8")) as { loomscope?: { entry: string } };
  if (!manifest.loomscope) return undefined; // not wired as a plugin in this checkout
  return ((await import(join(PLUGINS, id, manifest.loomscope.entry))) as { default: Benchmark }).default;
}

describe("the LOOMBench suite", () => {
  it("has the card's twelve members in its column order, scored by the unweighted mean", () => {
    expect(leaderboardColumns().map((c) => c.column)).toEqual(["L_CiteEval", "LEval", "RULER", "LongBench", "BaBILong", "Counting★", "LVEval", "LongBench_v2", "NIAH", "InfiniteBench", "LongWriter", "LIBRA"]);
    expect(loombench.entries.map((e) => e.benchmark)).toEqual(LOOMBENCH_LOCK.members.map((m) => m.benchmark));
    expect(loombench.aggregation.rule).toBe("mean");
    for (const e of loombench.entries) expect(e.weight).toBe(1);
  });

  it("pins every file at the lock's revision, generated members have no data, no path twice", () => {
    const paths = loombench.entries.flatMap((e) => (e.data ?? []).map((d) => d.file));
    expect(new Set(paths.map((f) => (f.source !== "url" ? f.path : f.url))).size).toBe(paths.length);
    for (const f of paths) expect(f).toMatchObject({ source: "huggingface", repo: "LCM-Lab/LOOMBench", revision: LOOMBENCH_LOCK.revision });
    for (const id of ["ruler", "counting-stars", "niah"]) expect(loombench.entries.find((e) => e.benchmark === id)!.data).toBeUndefined();
    for (const id of ["leval", "longwriter", "libra"]) expect(loombench.entries.find((e) => e.benchmark === id)!.data).toEqual([]);
  });

  it("names only tasks and lengths the installed members have under the entry's protocol", async () => {
    let checked = 0;
    for (const entry of loombench.entries) {
      const b = await member(entry.benchmark);
      if (!b) continue;
      // Each option at its default, as core parses them before configure().
      const defaults = Object.fromEntries(Object.entries(b.options ?? {}).flatMap(([k, o]) => (o.default !== undefined ? [[k, o.default as JsonValue]] : [])));
      const configured = b.configure ? b.configure({ protocol: entry.protocol ?? "official", options: defaults }) : b;
      const tasks = new Map(configured.tasks.map((t) => [t.id, t]));
      for (const t of entry.tasks ?? []) expect(tasks.has(t), `${entry.benchmark} has task ${t}`).toBe(true);
      for (const pin of entry.data ?? []) {
        const task = tasks.get(pin.task);
        expect(task, `${entry.benchmark} has task ${pin.task}`).toBeDefined();
        if (pin.length !== undefined) expect(task!.lengths, `${entry.benchmark}/${pin.task} has length ${pin.length}`).toContain(pin.length);
      }
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(10);
  });

  it("reads a lock file, naming the file and the first problem", () => {
    const dir = mkdtempSync(join(tmpdir(), "loombench-lock-"));
    const good = join(dir, "lock.json");
    writeFileSync(good, JSON.stringify({ ...LOOMBENCH_LOCK, revision: "feed" }));
    expect(suiteFromLock(readLock(good)).description).toContain("LCM-Lab/LOOMBench@feed");
    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ ...LOOMBENCH_LOCK, members: LOOMBENCH_LOCK.members.slice(1) }));
    expect(() => readLock(bad)).toThrow(new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: members: `));
    writeFileSync(bad, "{");
    expect(() => readLock(bad)).toThrow(/cannot read the LOOMBench lock/);
  });
});
