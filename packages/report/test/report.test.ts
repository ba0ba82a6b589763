import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync, appendFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildReport, cellText, cellView, findRunDirs, lengthUnit, loadRun, NOT_RUN_TOO_LONG, pairedSignificance, renderHtml, reportCommand, scriptJson, sortLengths, startViewServer, toCsv, toJson, toMarkdown, type ViewServer } from "../src/index.js";
import { HOSTILE, writeFixtureRun } from "./fixture.js";

const temp = () => mkdtempSync(join(tmpdir(), "loom-report-"));
const capture = () => {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
};

function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else files[full] = createHash("sha256").update(readFileSync(full)).digest("hex");
    }
  };
  walk(dir);
  return files;
}

const root = temp();
const base = join(root, "base");
const fast = join(root, "rag");
writeFixtureRun(base, { records: 600, seed: 1, runId: "base", hostile: true });
writeFixtureRun(fast, { records: 600, seed: 2, runId: "rag", skill: -0.1, cost: 0.5, accelerator: { accelerator: "rag-lancedb", method: "bm25", params: { k: 15 } } });

describe("loading a run directory", () => {
  it("reads records, manifest and results without writing to the run", async () => {
    const before = snapshot(base);
    const run = await loadRun(base);
    expect(run.samples).toHaveLength(600);
    expect(run.manifest?.runId).toBe("base");
    expect(run.derivedResults).toBe(false);
    expect(snapshot(base)).toEqual(before);
  });

  it("lets the last record of a sample win and reports bad lines", async () => {
    const dir = temp();
    const { records } = writeFixtureRun(dir, { records: 40, seed: 3 });
    const first = records[0]!;
    const file = join(dir, "records", first.benchmark, `${first.task}.jsonl`);
    appendFileSync(file, JSON.stringify({ ...first, score: 0.123, scores: { f1: 0.123 } }) + "\n{not json\n" + JSON.stringify({ v: 1, id: "x" }) + "\n");
    const run = await loadRun(dir);
    expect(run.samples).toHaveLength(40);
    expect(run.samples.find((s) => s.id === first.id && s.task === first.task && s.length === first.length)?.score).toBe(0.123);
    expect(run.notices).toHaveLength(2);
    expect(run.notices[0]).toMatch(/not JSON/);
  });

  it("computes scores from records when results.json is missing", async () => {
    const dir = temp();
    writeFixtureRun(dir, { records: 120, seed: 4, results: false });
    const run = await loadRun(dir);
    expect(run.derivedResults).toBe(true);
    expect(run.results.benchmarks.map((b) => b.benchmark).sort()).toEqual(["longwriter", "lveval", "niah", "ruler"]);
    const report = buildReport([run]);
    expect(report.runs[0]!.overallRule).toMatch(/computed from records/);
    expect(report.runs[0]!.capabilities).toEqual({});
  });

  it("finds run directories inside a results folder", () => {
    expect(findRunDirs([root]).map((d) => d.slice(root.length + 1))).toEqual(["base", "rag"]);
  });
});

describe("report data", () => {
  it("sorts length levels by size", () => {
    expect(sortLengths(["64k", "4k", "all", "128k", "16k"])).toEqual(["4k", "16k", "64k", "128k", "all"]);
  });

  it("ranks runs, shares ranks on ties, and gives deltas against the first run", async () => {
    const runs = [await loadRun(base), await loadRun(fast)];
    const report = buildReport(runs);
    const [a, b] = report.runs;
    expect(report.leaderboard.map((r) => r.run)).toEqual(a!.overall! >= b!.overall! ? [0, 1] : [1, 0]);
    const lveval = report.comparison.find((c) => c.benchmark === "lveval" && c.task === null)!;
    expect(lveval.deltas[0]).toBeNull();
    expect(lveval.deltas[1]).toBeCloseTo(lveval.scores[1]! - lveval.scores[0]!, 2);
    const tied = buildReport([runs[0]!, runs[0]!]);
    expect(tied.leaderboard.map((r) => r.rank)).toEqual([1, 1]);
    expect(report.runs[1]!.accelerator).toBe("rag-lancedb:bm25,k=15");
    expect(report.runs[1]!.timing.meanMs!).toBeLessThan(report.runs[0]!.timing.meanMs!);
  });

  it("draws the views a benchmark declares, and knows nothing of any benchmark", async () => {
    const run = await loadRun(base);
    const report = buildReport([run]);
    const niah = report.runs[0]!.views.find((v) => v.benchmark === "niah")!;
    expect(niah.views).toHaveLength(1);
    expect(niah.views[0]!.view).toBe("heatmap");
    expect(niah.views[0]!.rows).toEqual(["0", "25", "50", "75", "100"]);
    expect(report.sections).toContain("heatmap");
    // The view is the benchmark's: the report passes it through unchanged.
    expect(niah.views[0]).toEqual(run.results.benchmarks.find((b) => b.benchmark === "niah")!.tables![0]);
    // Without a declared heatmap there is no heatmap section.
    const plain = { ...run, results: { ...run.results, benchmarks: run.results.benchmarks.map((b) => (b.benchmark === "niah" ? { ...b, tables: [] } : b)) } };
    expect(buildReport([plain]).sections).not.toContain("heatmap");
    const source = ["model.ts", "client.ts", "formats.ts", "html.ts", "load.ts", "view.ts"].map((f) => readFileSync(join(import.meta.dirname, "..", "src", f), "utf8")).join("\n");
    expect(source).not.toMatch(/niah|needle|depth/i);
  });

  it("counts truncated samples and how much was cut", async () => {
    const run = await loadRun(base);
    const t = buildReport([run]).truncation[0]!;
    const truncated = run.samples.filter((s) => s.prompt?.truncated);
    expect(t.rows.reduce((a, r) => a + r.truncated, 0)).toBe(truncated.length);
    expect(t.histogram.reduce((a, b) => a + b, 0)).toBe(truncated.length);
    const row = t.rows.find((r) => r.benchmark === "lveval" && r.task === "hotpotwikiqa_mixup")!;
    const mine = truncated.filter((s) => s.benchmark === "lveval" && s.task === "hotpotwikiqa_mixup");
    expect(row.tokensRemoved).toBe(mine.reduce((a, s) => a + (s.prompt!.originalTokens! - s.prompt!.tokens!), 0));
  });
});

describe("formats", () => {
  it("markdown has the leaderboard and escapes table cells", async () => {
    const md = toMarkdown(buildReport([await loadRun(base), await loadRun(fast)], { title: "a | b" }));
    expect(md).toContain("## Leaderboard");
    expect(md).toMatch(/\| Rank \| Model \| Accelerator \| Score \| lveval \| niah \| ruler \| longwriter \|/);
    expect(md).toContain("rag-lancedb:bm25,k=15");
    expect(md).toMatch(/\(\+|\(−|\(±/);
  });

  it("names the prompt tokens the server served from its prefix cache, where records report them", async () => {
    const run = await loadRun(base);
    expect(toMarkdown(buildReport([run]))).not.toContain("prefix cache");
    const ok = run.samples.filter((s) => s.status === "ok");
    ok.forEach((s, i) => (s.cachedPromptTokens = i % 2 === 0 ? 100 : null));
    const expected = ok.filter((_, i) => i % 2 === 0).length * 100;
    const report = buildReport([run]);
    expect(report.runs[0]!.timing.cachedPromptTokens).toBe(expected);
    expect(toMarkdown(report)).toContain(`; ${expected} of ${report.runs[0]!.timing.totalPromptTokens} prompt tokens served from the server's prefix cache`);
  });

  it("csv is long-form with deltas and defuses formulas", async () => {
    const dir = temp();
    writeFixtureRun(dir, { records: 30, seed: 5, model: "=HYPERLINK(\"x\")" });
    const csv = toCsv(buildReport([await loadRun(base), await loadRun(dir)]));
    const lines = csv.trim().split("\n");
    expect(lines[0]).toBe("run,run_dir,model,accelerator,benchmark,capability,task,length,score,stderr,n,planned,scored,failed,not_run,skipped_too_long,status,note,delta_vs_run1");
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
    const row = lines.find((l) => l.startsWith("2,") && l.includes(",lveval,general,,,"))!;
    expect(row.split(",").at(-1)).toMatch(/^-?\d/);
    // Every cell row carries its stderr and n.
    const cellRow = lines.find((l) => l.startsWith("1,") && l.includes(",ruler,reasoning,vt,8k,"))!.split(",");
    expect(Number(cellRow[9])).toBeGreaterThan(0);
    expect(Number(cellRow[10])).toBeGreaterThan(0);
  });

  it("json leaves the samples out", async () => {
    const json = JSON.parse(toJson(buildReport([await loadRun(base)]))) as { sampleCount: number; samples?: unknown; leaderboard: unknown[] };
    expect(json.sampleCount).toBe(600);
    expect(json.samples).toBeUndefined();
    expect(json.leaderboard).toHaveLength(1);
  });
});

describe("html", () => {
  it("embeds the data so that no string can close the script element", async () => {
    const html = renderHtml(buildReport([await loadRun(base)]));
    const start = html.indexOf('<script type="application/json" id="loom-data">');
    const end = html.indexOf("</script>", start);
    const json = html.slice(start + '<script type="application/json" id="loom-data">'.length, end);
    expect(json).not.toMatch(/</);
    const data = JSON.parse(json) as { samples: { rows: unknown[][] } };
    expect(data.samples.rows.some((r) => (r[10] as string[]).includes(HOSTILE.reference))).toBe(true);
    expect(data.samples.rows).toHaveLength(600);
    expect(scriptJson("a\u2028b</script>")).toBe('"a\\u2028b\\u003c/script>"');
  });

  it("is self-contained: no src or href leaves the page, and the CSP allows exactly its two scripts", async () => {
    const html = renderHtml(buildReport([await loadRun(base)]));
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?(https?:|\/\/)/i);
    const csp = /Content-Security-Policy" content="([^"]+)"/.exec(html)![1]!.replace(/&#39;/g, "'");
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    expect(scripts).toHaveLength(2);
    for (const s of scripts) expect(csp).toContain(`'sha256-${createHash("sha256").update(s).digest("base64")}'`);
    expect(csp).toContain("connect-src 'none'");
    expect(scripts[0]).toContain("Chart.js v4");
  });
});

describe("loom report", () => {
  it("writes report.html into a single run and prints md to stdout", async () => {
    const dir = temp();
    writeFixtureRun(dir, { records: 50, seed: 6 });
    const c = capture();
    expect(await reportCommand([dir], {}, c.io)).toBe(0);
    expect(existsSync(join(dir, "report.html"))).toBe(true);
    const m = capture();
    expect(await reportCommand([dir, base], { format: "md" }, m.io)).toBe(0);
    expect(m.out.join("\n")).toContain("## Leaderboard");
  });

  it("refuses an unknown format and an empty folder with exit code 2", async () => {
    const c = capture();
    expect(await reportCommand([base], { format: "pdf" }, c.io)).toBe(2);
    expect(c.err.join("\n")).toMatch(/formats: html, md, csv, json/);
    const e = capture();
    expect(await reportCommand([temp()], {}, e.io)).toBe(2);
    expect(e.err.join("\n")).toMatch(/no run directory/);
  });

  it("picks the format from the --out extension", async () => {
    const out = join(temp(), "board.csv");
    expect(await reportCommand([root], { out }, capture().io)).toBe(0);
    expect(readFileSync(out, "utf8").split("\n")[0]).toMatch(/^run,run_dir/);
  });
});

describe("loom view", () => {
  let view: ViewServer;
  afterAll(async () => view?.close());

  const get = (path: string, options: { method?: string; host?: string } = {}) =>
    new Promise<{ status: number; body: string; headers: Record<string, unknown> }>((resolve, reject) => {
      const req = request({ host: "127.0.0.1", port: view.port, path, method: options.method ?? "GET", headers: options.host ? { host: options.host } : {} }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      });
      req.on("error", reject);
      req.end();
    });

  it("lists runs and serves their reports, read-only, on loopback", async () => {
    view = await startViewServer({ dir: root, port: 0 });
    expect(view.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const index = await get("/");
    expect(index.status).toBe(200);
    expect(index.body).toContain('href="/runs/base/"');
    expect(index.body).toContain('href="/runs/rag/"');
    const page = await get("/runs/base/");
    expect(page.status).toBe(200);
    expect(page.body).toContain('id="loom-data"');
    const md = await get("/runs/rag/report.md");
    expect(md.body).toContain("rag-lancedb:bm25,k=15");
    const compare = await get("/compare?run=base&run=rag&format=json");
    expect((JSON.parse(compare.body) as { runs: unknown[] }).runs).toHaveLength(2);
  });

  it("refuses writes, other hosts, unknown runs and paths outside the folder", async () => {
    expect((await get("/runs/base/", { method: "POST" })).status).toBe(405);
    expect((await get("/runs/base/", { method: "DELETE" })).status).toBe(405);
    expect((await get("/", { host: "evil.example:80" })).status).toBe(421);
    expect((await get("/runs/nope/")).status).toBe(404);
    expect((await get("/runs/..%2F..%2Fetc/")).status).toBe(404);
    expect((await get("/runs/base/../../../etc/passwd")).status).toBe(404);
    expect((await get("/compare?run=base&run=..")).status).toBe(404);
  });

  it("rebuilds a cached report when the run changes", async () => {
    const dir = join(root, "late");
    writeFixtureRun(dir, { records: 20, seed: 8 });
    const first = await get("/runs/late/report.json");
    expect((JSON.parse(first.body) as { sampleCount: number }).sampleCount).toBe(20);
    writeFixtureRun(dir, { records: 44, seed: 8 });
    writeFileSync(join(dir, "results.json"), readFileSync(join(dir, "results.json")));
    const second = await get("/runs/late/report.json");
    expect((JSON.parse(second.body) as { sampleCount: number }).sampleCount).toBe(44);
  });

  it("shows each run's status and failed counts, sorts and filters the list", async () => {
    const index = await get("/");
    const rows = [...index.body.matchAll(/<tr data-run="([^"]+)" data-state="([^"]+)">/g)].map((m) => [m[1], m[2]]);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    // The fixtures have failed samples: the runs ended incomplete, and the index says so.
    expect(Object.fromEntries(rows)["base"]).toBe("incomplete");
    expect(index.body).toMatch(/<td class="n bad">\d+<\/td>/);
    const byScore = await get("/?sort=score&dir=asc");
    const scores = [...byScore.body.matchAll(/<td class="n">(\d+\.\d+)<\/td>/g)].map((m) => Number(m[1]));
    expect(scores.length).toBeGreaterThanOrEqual(2);
    expect([...scores].sort((a, b) => a - b)).toEqual(scores);
    const filtered = await get("/?q=rag");
    expect([...filtered.body.matchAll(/<tr data-run="([^"]+)"/g)].map((m) => m[1])).toEqual(["rag"]);
    const byState = await get("/?state=running");
    expect(byState.body).not.toMatch(/<tr data-run=/);
    // A bad sort or state is ignored, never an error.
    expect((await get("/?sort=%3Cx%3E&state=nope")).status).toBe(200);
    const api = JSON.parse((await get("/api/runs")).body) as { runs: { key: string; state: string }[] };
    expect(api.runs.find((r) => r.key === "base")?.state).toBe("incomplete");
  });

  it("refuses a non-loopback host", async () => {
    await expect(startViewServer({ dir: root, host: "0.0.0.0" })).rejects.toThrow(/loopback only/);
  });
});

describe("skipped samples: not run (too long for the model's window), never 0, never failed", () => {
  const dir = join(root, "..", `skipped-${process.pid}`);
  writeFixtureRun(dir, { records: 300, seed: 31, runId: "skipped", skipped: 0.2 });

  it("counts them apart from failed ones in every view of the data", async () => {
    const run = await loadRun(dir);
    const skipped = run.samples.filter((s) => s.status === "skipped");
    const failed = run.samples.filter((s) => s.status === "error");
    expect(skipped.length).toBeGreaterThan(20);
    const report = buildReport([run]);
    const r = report.runs[0]!;
    expect(r.counts.skipped).toBe(skipped.length);
    expect(r.counts.errors).toBe(failed.length);
    // Never sent, so never counted as truncated.
    expect(r.counts.truncated).toBe(run.samples.filter((s) => s.status !== "skipped" && s.prompt?.truncated).length);
    expect(report.truncation[0]!.rows.reduce((a, row) => a + row.samples, 0)).toBe(run.samples.length - skipped.length);
    const status = report.samples.rows.map((row) => row[5]);
    expect(status.filter((s) => s === 2)).toHaveLength(skipped.length);
    expect(status.filter((s) => s === 1)).toHaveLength(failed.length);
    // Each view's total says how many were skipped; no skipped sample counts as scored or failed.
    const lveval = r.views.find((v) => v.benchmark === "lveval")!;
    expect(lveval.total.skipped).toBe(skipped.filter((s) => s.benchmark === "lveval").length);
    expect(lveval.total.failed).toBe(failed.filter((s) => s.benchmark === "lveval").length);
    expect(lveval.total.note).toMatch(/not run \(too long for the model's window\)/);

    const md = toMarkdown(report);
    expect(md).toMatch(new RegExp(`${skipped.length} not run \\(too long for the model's window\\)`));
    const csv = toCsv(report).trim().split("\n");
    const header = csv[0]!.split(",");
    const total = csv.find((l) => l.startsWith("1,") && l.includes(",lveval,general,,,"))!.split(",");
    expect(total[header.indexOf("skipped_too_long")]).toBe(String(lveval.total.skipped));
    expect(total[header.indexOf("failed")]).toBe(String(lveval.total.failed));
    const json = JSON.parse(toJson(report)) as { runs: { counts: { skipped: number } }[] };
    expect(json.runs[0]!.counts.skipped).toBe(skipped.length);
  });

  it("a cell whose every sample was skipped reads 'not run (too long for the model's window)', not a score", () => {
    const c = cellView(null, { planned: 3, scored: 0, failed: 0, notRun: 3, skipped: 3, skipReason: "prompt of 40000 tokens does not fit the 32000-token window", unitError: null, firstError: null, metrics: { f1: { mean: null, stderr: null, n: 0 } } });
    expect([c.kind, c.label, c.score]).toEqual(["skipped", NOT_RUN_TOO_LONG, null]);
    expect(c.note).toMatch(/32000-token window/);
    const failed = cellView(null, { planned: 2, scored: 0, failed: 2, notRun: 0, unitError: null, firstError: "HTTP 400", metrics: {} });
    expect([failed.kind, failed.label]).toEqual(["failed", "failed"]);
    expect(failed.note).toMatch(/first error: HTTP 400/);
    const partial = cellView(50, { planned: 4, scored: 2, failed: 1, notRun: 1, skipped: 1, unitError: null, firstError: "boom", metrics: { f1: { mean: 50, stderr: 12.345, n: 2 } } });
    expect([partial.kind, partial.stderr, partial.n]).toEqual(["partial", 12.35, 2]);
    expect(cellText(partial)).toBe("50.00 ±12.35 (n=2) partial: 1 failed, 1 not run (too long for the model's window)");
    const unit = cellView(null, { planned: 5, scored: 0, failed: 0, notRun: 5, unitError: "data missing offline", firstError: null, metrics: {} });
    expect([unit.kind, unit.label]).toEqual(["failed", "could not run"]);
    expect(cellView(null, { planned: 5, scored: 0, failed: 0, notRun: 5, unitError: null, firstError: null, metrics: {} }).kind).toBe("not-run");
  });
});

describe("one length axis per unit", () => {
  it("tells token counts from levels", () => {
    expect(lengthUnit(["1000", "4256", "7513"])).toBe("tokens");
    expect(lengthUnit(["4k", "8k", "all"])).toBe("level");
    expect(lengthUnit(["all"])).toBe("none");
    expect(lengthUnit(["short", "4k"])).toBe("named");
  });
});

describe("paired significance", () => {
  it("McNemar for 0/1 scores, a paired bootstrap otherwise, paired by sample id", () => {
    const a = new Map<string, number>();
    const b = new Map<string, number>();
    for (let i = 0; i < 60; i++) {
      a.set(`k${i}`, i % 3 === 0 ? 0 : 1);
      // B loses 20 samples A got right and wins none: significant.
      b.set(`k${i}`, i < 30 && i % 3 !== 0 ? 0 : i % 3 === 0 ? 0 : 1);
    }
    b.set("only-in-b", 1);
    const sig = pairedSignificance(a, b, () => true)!;
    expect(sig.test).toBe("mcnemar");
    expect(sig.n).toBe(60);
    expect(sig.significant).toBe(true);
    expect(sig.p).toBeCloseTo(2 * 0.5 ** 20, 10);
    const same = pairedSignificance(a, new Map(a), () => true)!;
    expect([same.p, same.significant]).toEqual([1, false]);
    const cont = pairedSignificance(new Map([["x", 0.2], ["y", 0.4], ["z", 0.6]]), new Map([["x", 0.25], ["y", 0.35], ["z", 0.6]]), () => true)!;
    expect(cont.test).toBe("paired-bootstrap");
    expect(cont.significant).toBe(false);
  });

  it("marks comparison rows on a constructed pair of runs", async () => {
    const runA = await loadRun(base);
    // Run B: the same samples, every scored RULER sample now wrong.
    const runB = { ...runA, name: "worse", samples: runA.samples.map((s) => (s.benchmark === "ruler" && s.status === "ok" ? { ...s, score: 0, scores: { f1: 0, exact_match: 0 } } : s)) };
    const report = buildReport([runA, runB]);
    const ruler = report.comparison.find((c) => c.benchmark === "ruler" && c.task === null)!;
    expect(ruler.significance[0]).toBeNull();
    expect(ruler.significance[1]?.significant).toBe(true);
    const lveval = report.comparison.find((c) => c.benchmark === "lveval" && c.task === null)!;
    expect(lveval.significance[1]).toMatchObject({ p: 1, significant: false });
    expect(report.sections).toContain("compare");
    expect(buildReport([runA]).sections).not.toContain("compare");
  });
});

describe("adaptive sections", () => {
  it("radar only with three or more capabilities, the accelerator trade-off only with two or more runs", async () => {
    const run = await loadRun(base);
    expect(Object.keys(buildReport([run]).runs[0]!.capabilities).length).toBeGreaterThanOrEqual(3);
    expect(buildReport([run]).sections).toContain("radar");
    expect(buildReport([run]).sections).not.toContain("accelerators");
    expect(buildReport([run, await loadRun(fast)]).sections).toContain("accelerators");
    const two = { ...run, results: { ...run.results, suite: null, benchmarks: run.results.benchmarks.filter((b) => b.benchmark === "lveval" || b.benchmark === "niah") } };
    expect(buildReport([two]).sections).not.toContain("radar");
  });
});
