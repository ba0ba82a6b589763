/**
 * `loom report --leaderboard`: runs × benchmarks (the suite's order) × Avg × capability means, in
 * md, csv and html; partial scores are marked with their failed and not-run counts, a benchmark a
 * run lacks makes its Avg partial.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RunResults } from "@loomscope/spec";
import { reportCommand } from "../src/index.js";
import { HOSTILE, writeFixtureRun } from "./fixture.js";

const root = mkdtempSync(join(tmpdir(), "loom-leaderboard-"));
const capture = () => {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
};

/** Two runs: A complete with a suite score; B lacks one benchmark and has two partial (its suite partial): RULER patched, LV-Eval with a failed sample from the fixture. */
function runs(): [string, string] {
  const a = join(root, "a");
  const b = join(root, "b");
  writeFixtureRun(a, { records: 160, seed: 3, model: "openai:model-a", skill: 0.2 });
  writeFixtureRun(b, { records: 160, seed: 4, model: `openai:${HOSTILE.img}` });
  const patch = (dir: string, edit: (r: RunResults) => void) => {
    const file = join(dir, "results.json");
    const results = JSON.parse(readFileSync(file, "utf8")) as RunResults;
    edit(results);
    writeFileSync(file, JSON.stringify(results));
  };
  patch(a, (r) => {
    r.benchmarks.find((x) => x.benchmark === "longwriter")!.judge = "openai:gpt-4o-2024-08-06";
    r.suite = { id: "loombench", version: "0.1.0", score: 61.25, rule: "mean", capabilities: { general: 60, retrieval: 62.5 }, partial: false, missing: [] };
  });
  patch(b, (r) => {
    r.benchmarks = r.benchmarks.filter((x) => x.benchmark !== "longwriter");
    const ruler = r.benchmarks.find((x) => x.benchmark === "ruler")!;
    ruler.partial = true;
    ruler.partialReason = "3 planned sample(s) did not run";
    ruler.status = { cells: {}, tasks: {}, total: { planned: 10, scored: 5, failed: 2, notRun: 3, unitError: null, firstError: null, metrics: {} } };
    r.suite = { id: "loombench", version: "0.1.0", score: 40.5, rule: "mean", capabilities: { general: 41 }, partial: true, missing: ["longwriter", "ruler (partial)", "lveval (partial)"] };
  });
  return [a, b];
}

describe("loom report --leaderboard", () => {
  const [a, b] = runs();

  it("markdown: one row per run, the suite's benchmark columns, Avg and capability means; partial marked and explained", async () => {
    const { io, out } = capture();
    expect(await reportCommand([a, b], { leaderboard: true, format: "md" }, io)).toBe(0);
    const md = out.join("\n");
    const lines = md.split("\n").filter((l) => l.startsWith("|"));
    expect(lines[0]).toBe("| Rank | Model | Avg | lveval | niah | ruler | longwriter | general (mean) | retrieval (mean) |");
    expect(lines[2]).toMatch(/^\| 1 \| openai:model-a \| 61\.25 \|.*\| [\d.]+ \(judge: openai:gpt-4o-2024-08-06\) \|/);
    // B: Avg partial, RULER partial, LongWriter missing.
    expect(lines[3]).toMatch(/^\| 2 \| .* \| 40\.50\* \| [\d.]+\* \| [\d.]+ \| [\d.]+\* \| – \| 41\.00 \| – \|$/);
    expect(md).toMatch(/Avg is partial \(longwriter, ruler \(partial\), lveval \(partial\)\)/);
    expect(md).toMatch(/ruler: 2 failed, 3 not run — 3 planned sample\(s\) did not run/);
  });

  it("csv: numbers as stored, a partial flag and counts per benchmark, what is missing", async () => {
    const { io, out } = capture();
    expect(await reportCommand([a, b], { leaderboard: true, format: "csv" }, io)).toBe(0);
    const [header, first, second] = out.join("\n").trim().split("\n");
    expect(header).toBe(
      "rank,model,accelerator,avg,avg_partial,lveval,lveval_partial,lveval_failed,lveval_not_run,lveval_judge,niah,niah_partial,niah_failed,niah_not_run,niah_judge,ruler,ruler_partial,ruler_failed,ruler_not_run,ruler_judge,longwriter,longwriter_partial,longwriter_failed,longwriter_not_run,longwriter_judge,general,retrieval,missing",
    );
    expect(first).toMatch(/^1,openai:model-a,none,61\.25,false,/);
    expect(first!.split(",")[24]).toBe("openai:gpt-4o-2024-08-06");
    const cells = second!.split(",");
    expect(cells.slice(3, 5)).toEqual(["40.5", "true"]);
    expect(cells.slice(16, 19)).toEqual(["true", "2", "3"]);
    expect(cells.slice(20, 22)).toEqual(["", "true"]);
    expect(cells[6]).toBe("true");
    expect(cells.at(-1)).toBe("longwriter; ruler (partial); lveval (partial)");
  });

  it("html: a table with the same columns, hostile names as text, partial cells with their counts", async () => {
    const out = join(root, "lb.html");
    const { io } = capture();
    expect(await reportCommand([a, b], { leaderboard: true, out }, io)).toBe(0);
    const html = readFileSync(out, "utf8");
    expect(html).toContain('<table class="leaderboard">');
    expect(html).not.toContain(HOSTILE.img);
    expect(html).toContain("&lt;img");
    expect(html).toMatch(/<td class="partial" title="2 failed, 3 not run — 3 planned sample\(s\) did not run">[\d.]+\*<\/td>/);
    expect(html).toMatch(/<td class="avg partial" title="[^"]*partial: longwriter, ruler \(partial\), lveval \(partial\)">40\.50\*<\/td>/);
    expect(html).toMatch(/judged by openai:gpt-4o-2024-08-06">[\d.]+ <small class="judge">\(openai:gpt-4o-2024-08-06\)<\/small><\/td>/);
  });
});
