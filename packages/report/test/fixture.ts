/**
 * Writes run directories that follow the spec's schemas (manifest.json, records/<b>/<t>.jsonl,
 * results.json), generated at test time from a seed. Shared by this package's tests and the browser
 * tests in test/browser.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { meanStderr } from "@loomscope/metrics";
import type { BenchmarkResult, Capability, CellStatus, RunManifest, RunResults, SampleRecord } from "@loomscope/spec";

export interface FixtureOptions {
  /** Total records to write (spread over the fixture's benchmarks, tasks and lengths). */
  records: number;
  seed?: number;
  model?: string;
  runId?: string;
  /** An accelerator binding to record, e.g. { accelerator: "rag-lancedb", method: "bm25", params: { k: 15 } }. */
  accelerator?: { accelerator: string; method: string; params: Record<string, number | string> };
  /** Added to every sample's success probability (−1…1), so runs differ. */
  skill?: number;
  /** Scales timings and prompt tokens (an accelerator that saves work has < 1). */
  cost?: number;
  /** Include the hostile predictions / ids that must render as text. */
  hostile?: boolean;
  /** Write results.json (default true). */
  results?: boolean;
  /** Share of samples (0–1) recorded as skipped: not run, the prompt too long for the model's window. */
  skipped?: number;
  /** Length levels whose every sample is skipped (longer than the model's window). */
  skipLengths?: string[];
  /** Benchmarks whose every sample failed (e.g. their data could not be read). */
  failBenchmarks?: string[];
}

export const HOSTILE = {
  script: `<script>window.__pwned = "script"</script>`,
  img: `<img src="x" onerror="window.__pwned = 'img'">`,
  id: `<b id="pwn">bold-id</b>`,
  reference: `</script><script>window.__pwned = "ref"</script>`,
};

interface BenchmarkDef {
  id: string;
  capability: Capability;
  tasks: string[];
  lengths: string[];
  depths?: number[];
}

export const FIXTURE_BENCHMARKS: BenchmarkDef[] = [
  { id: "lveval", capability: "general", tasks: ["hotpotwikiqa_mixup", "loogle_SD_mixup", "multifieldqa_en_mixup"], lengths: ["16k", "32k", "64k", "128k", "256k"] },
  { id: "niah", capability: "retrieval", tasks: ["niah_single"], lengths: ["4k", "8k", "16k", "32k", "64k"], depths: [0, 0.25, 0.5, 0.75, 1] },
  { id: "ruler", capability: "reasoning", tasks: ["vt", "cwe"], lengths: ["4k", "8k", "16k", "32k"] },
  { id: "longwriter", capability: "generation", tasks: ["longwrite"], lengths: ["all"] },
];

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

const lengthTokens = (l: string): number => (l === "all" ? 3000 : Number(l.replace("k", "")) * 1000);
const round2 = (v: number) => Math.round(v * 100) / 100;

/** Write a fixture run directory and return its records (in file order). */
export function writeFixtureRun(dir: string, options: FixtureOptions): { records: SampleRecord[]; results: RunResults } {
  const random = rng(options.seed ?? 7);
  const model = options.model ?? "openai:fixture-model";
  const cost = options.cost ?? 1;
  const maxTokens = 32_000;
  const units: { b: BenchmarkDef; task: string; length: string }[] = [];
  for (const b of FIXTURE_BENCHMARKS) for (const task of b.tasks) for (const length of b.lengths) units.push({ b, task, length });
  const records: SampleRecord[] = [];
  const acc = options.accelerator ? [{ ...options.accelerator, label: `${options.accelerator.accelerator}:${options.accelerator.method},${Object.entries(options.accelerator.params).map(([k, v]) => `${k}=${v}`).join(",")}` }] : [];
  for (let i = 0; i < options.records; i++) {
    const unit = units[i % units.length]!;
    const n = Math.floor(i / units.length);
    const tokens = lengthTokens(unit.length);
    const depth = unit.b.depths ? unit.b.depths[n % unit.b.depths.length]! : null;
    const decay = Math.min(0.6, tokens / 400_000);
    const depthPenalty = depth !== null && depth > 0.3 && depth < 0.8 ? 0.25 : 0;
    const p = Math.max(0, Math.min(1, 0.85 - decay - depthPenalty + (options.skill ?? 0)));
    const skipped = random() < (options.skipped ?? 0) || (options.skipLengths ?? []).includes(unit.length);
    const failed = !skipped && (random() < 0.01 || (options.failBenchmarks ?? []).includes(unit.b.id));
    const correct = random() < p;
    const score = failed || skipped ? null : correct ? 1 : round2(random() * 0.4);
    const originalTokens = Math.round(tokens * (0.9 + random() * 0.2) * cost);
    const truncated = originalTokens > maxTokens;
    const sent = truncated ? maxTokens : originalTokens;
    const answer = `answer-${i % 97}`;
    let prediction: string | null = failed || skipped ? null : correct ? `The answer is ${answer}.` : `I think it is answer-${(i + 5) % 97}.`;
    let id = `${unit.task}-${unit.length}-${n}`;
    let references = [answer];
    if (options.hostile && i < 6) {
      prediction = i % 2 === 0 ? `${HOSTILE.script} ${answer}` : `${HOSTILE.img} ${answer}`;
      references = [answer, HOSTILE.reference];
      if (i === 0) id = HOSTILE.id;
    }
    const totalMs = round2((200 + sent * 0.02 + random() * 50) * cost);
    records.push({
      v: 1,
      id,
      benchmark: unit.b.id,
      task: unit.task,
      length: unit.length === "all" ? null : unit.length,
      status: skipped ? "skipped" : failed ? "error" : "ok",
      prediction,
      references,
      ...(depth !== null ? { meta: { depth } } : {}),
      scores: score === null ? {} : { f1: score, exact_match: score === 1 ? 1 : 0 },
      score,
      prompt: {
        tokens: sent,
        maxTokens,
        truncated,
        originalChars: originalTokens * 4,
        keptChars: sent * 4,
        originalTokens,
        originalTokensExact: !truncated,
        head: `<|im_start|>user\nRead the passage and answer. Passage ${i}: The code for item ${i} is ${answer}. ` + "lorem ipsum ".repeat(10),
        tail: "dolor sit amet ".repeat(10) + `\nQuestion: what is the code for item ${i}?<|im_end|>\n<|im_start|>assistant\n`,
      },
      usage: { promptTokens: skipped ? null : sent, completionTokens: failed || skipped ? null : 12 },
      timings: { startedAt: new Date(Date.UTC(2025, 0, 1, 0, 0, i % 60)).toISOString(), totalMs, ttftMs: round2(totalMs * 0.7), prefillMs: round2(totalMs * 0.65), decodeMs: round2(totalMs * 0.3) },
      accelerators: acc.map((a) => ({ ...a, stats: { retrievedChunks: 15 } })),
      attempts: skipped ? 0 : failed ? 3 : 1,
      error: skipped
        ? { code: "PROMPT_TOO_LONG", message: `prompt of ${originalTokens + 40000} tokens does not fit the model's 32000-token window` }
        : failed
          ? { code: "BACKEND_REQUEST", message: `HTTP 503 from fake server <i>busy</i> (sample ${i})`, status: 503 }
          : null,
    });
  }

  // Records files, one per (benchmark, task).
  const files = new Map<string, string[]>();
  for (const r of records) {
    const key = join(r.benchmark, `${r.task}.jsonl`);
    const list = files.get(key) ?? [];
    list.push(JSON.stringify(r));
    files.set(key, list);
  }
  for (const [key, lines] of files) {
    mkdirSync(join(dir, "records", key, ".."), { recursive: true });
    writeFileSync(join(dir, "records", key), lines.join("\n") + "\n");
  }

  const manifest: RunManifest = {
    v: 1,
    runId: options.runId ?? `fixture-${options.seed ?? 7}`,
    createdAt: "2025-01-01T00:00:00.000Z",
    configHash: "0123456789",
    config: { targets: ["loombench-mini"] },
    loomscope: { core: "0.1.0", spec: "1.0.0" },
    plugins: FIXTURE_BENCHMARKS.map((b) => ({ kind: "benchmark" as const, id: b.id, package: `@loomscope/benchmark-${b.id}`, version: "0.1.0" })),
    model: { spec: model, backend: model.split(":")[0]!, info: {} },
    tokenizer: { id: "qwen3", source: "tokenizer.json" },
    chatTemplate: null,
    accelerators: acc,
    seed: options.seed ?? 7,
    provenance: {},
    git: null,
    machine: { platform: "linux", arch: "x64", cpus: 2, memoryBytes: 8e9, node: "v20" },
  };
  writeFileSync(join(dir, "manifest.json"), JSON.stringify(manifest, null, 2));

  const benchmarks: BenchmarkResult[] = FIXTURE_BENCHMARKS.map((b) => {
    const mine = records.filter((r) => r.benchmark === b.id);
    const cells: Record<string, Record<string, number | null>> = {};
    const tasks: Record<string, number | null> = {};
    for (const t of b.tasks) {
      const rows = mine.filter((r) => r.task === t && r.score !== null);
      const row: Record<string, number | null> = {};
      for (const l of b.lengths) {
        const v = rows.filter((r) => (r.length ?? "all") === l).map((r) => r.score!);
        row[l] = v.length ? round2((v.reduce((a, x) => a + x, 0) / v.length) * 100) : null;
      }
      cells[t] = row;
      tasks[t] = rows.length ? round2((rows.reduce((a, r) => a + r.score!, 0) / rows.length) * 100) : null;
    }
    const ts = Object.values(tasks).filter((v): v is number => v !== null);
    const score = ts.length ? round2(ts.reduce((a, x) => a + x, 0) / ts.length) : null;
    // Counts and the headline's mean ± stderr per cell, as core's aggregate writes them.
    const statusOf = (list: readonly SampleRecord[]): CellStatus => {
      const ok = list.filter((r) => r.status === "ok");
      const skippedHere = list.filter((r) => r.status === "skipped");
      const failedHere = list.filter((r) => r.status === "error");
      const s = meanStderr(ok.map((r) => r.scores["f1"] ?? 0));
      return {
        planned: list.length,
        scored: ok.length,
        failed: failedHere.length,
        notRun: skippedHere.length,
        ...(skippedHere.length ? { skipped: skippedHere.length, skipReason: skippedHere[0]!.error!.message } : {}),
        unitError: null,
        firstError: failedHere[0]?.error?.message ?? null,
        metrics: { f1: { mean: s.mean === null ? null : s.mean * 100, stderr: s.stderr === null ? null : s.stderr * 100, n: s.n }, exact_match: { mean: null, stderr: null, n: 0 } },
      };
    };
    const status: NonNullable<BenchmarkResult["status"]> = { cells: {}, tasks: {}, total: statusOf(mine) };
    for (const t of b.tasks) {
      status.tasks[t] = statusOf(mine.filter((r) => r.task === t));
      status.cells[t] = Object.fromEntries(b.lengths.map((l) => [l, statusOf(mine.filter((r) => r.task === t && (r.length ?? "all") === l))]));
    }
    const result: BenchmarkResult = {
      benchmark: b.id,
      capability: b.capability,
      score,
      tasks,
      cells,
      samples: { ok: mine.filter((r) => r.status === "ok").length, errors: mine.filter((r) => r.status === "error").length },
      status,
      partial: status.total.failed + status.total.notRun > 0,
      partialReason: status.total.failed + status.total.notRun > 0 ? `${status.total.notRun} planned sample(s) did not run; ${status.total.failed} failed sample(s) are left out of the score` : null,
    };
    if (b.depths) {
      // The benchmark declares its depth × length heatmap (as NIAH's aggregate does through the kit's pivotTable).
      const depthOf = (r: SampleRecord) => r.meta?.["depth"] as number;
      const scoredHere = mine.filter((r) => r.score !== null);
      const cellOf = (d: number, l: string) => scoredHere.filter((r) => depthOf(r) === d && (r.length ?? "all") === l);
      result.tables = [
        {
          title: `${b.id}: needle depth x context length`,
          rows: b.depths.map((d) => String(d * 100)),
          columns: b.lengths,
          cells: b.depths.map((d) => b.lengths.map((l) => { const v = cellOf(d, l); return v.length ? round2((v.reduce((a, r) => a + r.score!, 0) / v.length) * 100) : null; })),
          n: b.depths.map((d) => b.lengths.map((l) => cellOf(d, l).length)),
          view: "heatmap",
          rowAxis: "needle depth (%)",
          columnAxis: "context length",
          range: [0, 100],
        },
      ];
    }
    if (b.id === "lveval") {
      result.tables = [
        {
          title: "LV-Eval (score × 100; rows: datasets, columns: length levels)",
          rows: [...b.tasks, "Average"],
          columns: [...b.lengths, "Avg"],
          cells: [
            ...b.tasks.map((t) => [...b.lengths.map((l) => cells[t]?.[l] ?? null), tasks[t] ?? null]),
            [...b.lengths.map((l) => { const v = b.tasks.map((t) => cells[t]?.[l]).filter((x): x is number => typeof x === "number"); return v.length ? round2(v.reduce((a, x) => a + x, 0) / v.length) : null; }), score],
          ],
        },
      ];
    }
    return result;
  });
  const scored = benchmarks.filter((b) => b.score !== null);
  const capabilities: Record<string, number | null> = {};
  for (const b of scored) capabilities[b.capability] = b.score;
  const results: RunResults = {
    v: 1,
    runId: manifest.runId,
    complete: benchmarks.every((b) => !b.partial),
    benchmarks,
    suite: {
      id: "loombench-mini",
      version: "1.0.0",
      score: scored.length ? round2(scored.reduce((a, b) => a + b.score!, 0) / scored.length) : null,
      rule: "mean",
      capabilities,
    },
  };
  if (options.results !== false) writeFileSync(join(dir, "results.json"), JSON.stringify(results, null, 2));
  return { records, results };
}
