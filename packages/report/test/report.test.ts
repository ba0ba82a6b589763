import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync, appendFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildReport, findRunDirs, loadRun, renderHtml, reportCommand, scriptJson, sortLengths, startViewServer, toCsv, toJson, toMarkdown, type ViewServer } from "../src/index.js";
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

  it("builds the depth × length heatmap from meta.depth", async () => {
    const run = await loadRun(base);
    const report = buildReport([run]);
    expect(report.heatmaps).toHaveLength(1);
    const map = report.heatmaps[0]!;
    expect(map.benchmark).toBe("niah");
    expect(map.lengths).toEqual(["4k", "8k", "16k", "32k", "64k"]);
    expect(map.depths).toEqual([0, 0.25, 0.5, 0.75, 1]);
    const expected = run.samples.filter((s) => s.benchmark === "niah" && s.depth === 0.5 && s.length === "8k" && s.score !== null);
    const cell = map.cells[2]![1]!;
    expect(cell.n).toBe(expected.length);
    expect(cell.score).toBeCloseTo((expected.reduce((a, s) => a + s.score!, 0) / expected.length) * 100, 1);
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
    expect(lines[0]).toBe("run,run_dir,model,accelerator,benchmark,capability,task,length,score,delta_vs_run1");
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
    const row = lines.find((l) => l.startsWith("2,") && l.includes(",lveval,general,,,"))!;
    expect(row.split(",").at(-1)).toMatch(/^-?\d/);
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
    expect(data.samples.rows.some((r) => (r[11] as string[]).includes(HOSTILE.reference))).toBe(true);
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

  it("refuses a non-loopback host", async () => {
    await expect(startViewServer({ dir: root, host: "0.0.0.0" })).rejects.toThrow(/loopback only/);
  });
});
