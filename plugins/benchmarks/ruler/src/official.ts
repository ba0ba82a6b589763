/**
 * `loom score ruler --predictions <dir>`: RULER's scripts/eval/evaluate.py, re-done. Chunked
 * prediction files (`<task>-<n>.jsonl`) are joined in sorted order as aggregate_chunk does (read
 * only: nothing is deleted here); each task of synthetic.yaml with a `<task>.jsonl` is scored with
 * its metric after postprocess_pred; `summary.csv` (or `summary-<task>.csv` for a single task) and
 * `submission.csv` are written as pandas writes them.
 */
import { readdir, readFile, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { LoomError, type OfficialScoreOptions, type OfficialScoreResult } from "@loomscope/spec";
import { BASE_TASKS, RULER_TASK_IDS, RULER_TASKS } from "./constants.js";
import { pyCsvField, pyFloatRepr } from "@loomscope/metrics";
import { postprocessPred, stringMatchAll, stringMatchPart } from "./score.js";

const LineSchema = z
  .object({
    input: z.unknown(),
    pred: z.string(),
    outputs: z.union([z.array(z.string().nullable()), z.string()]).optional(),
    output: z.string().optional(),
    others: z.record(z.string(), z.unknown()).optional(),
    index: z.unknown().optional(),
  })
  .passthrough();

function fail(where: string, message: string): never {
  throw new LoomError("OFFICIAL_SCORE", `${where}: ${message}`);
}

async function readManifest(path: string): Promise<unknown[]> {
  const text = await readFile(path, "utf8");
  const out: unknown[] = [];
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    try {
      out.push(JSON.parse(line));
    } catch (e) {
      fail(`${path}:${i + 1}`, `not JSON (${(e as Error).message})`);
    }
  });
  return out;
}

export interface TaskEvaluation {
  score: number;
  nulls: string;
  predicts: string[];
  indices: unknown[];
}

/** evaluate.py run_evaluation_per_task on parsed lines. */
export function evaluateTask(task: string, lines: readonly unknown[], where = task): TaskEvaluation {
  const config = RULER_TASKS[task as keyof typeof RULER_TASKS];
  if (!config) fail(where, `"${task}" is not a task of synthetic.yaml`);
  const predicts: string[] = [];
  const references: (string | null)[][] = [];
  const indices: unknown[] = [];
  lines.forEach((raw, i) => {
    const parsed = LineSchema.safeParse(raw);
    if (!parsed.success || !("input" in (raw as object))) {
      const issue = parsed.success ? { path: ["input"], message: "missing" } : parsed.error.issues[0];
      fail(`${where}:${i + 1}`, `${issue?.path.join(".") ?? "line"}: ${issue?.message ?? "invalid"}`);
    }
    const line = parsed.data;
    predicts.push(postprocessPred(line.pred));
    const ref = line.outputs ?? [line.output ?? ""];
    references.push(typeof ref === "string" ? Array.from(ref) : ref);
    const others = line.others;
    if (!others) fail(`${where}:${i + 1}`, `others: missing (evaluate.py reads line['others'])`);
    indices.push("id" in others ? others["id"] : line.index);
  });
  const nulls = `${predicts.filter((p) => p.length === 0).length}/${predicts.length}`;
  let score = 0.0;
  if (references.length > 0 && references[0]?.[0] !== null && references[0]?.[0] !== undefined) {
    const refs = references.map((r) => r.map((x) => x ?? ""));
    score = BASE_TASKS[config.task].metric === "string_match_all" ? stringMatchAll(predicts, refs) : stringMatchPart(predicts, refs);
  }
  return { score, nulls, predicts, indices };
}

function pyCell(v: unknown): string {
  // JSON integers are Python ints; other numbers are floats.
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : pyFloatRepr(v);
  if (v === null || v === undefined) return "";
  if (typeof v === "string") return pyCsvField(v);
  return pyCsvField(JSON.stringify(v));
}

/** The summary DataFrame of write_evaluation, as `df.to_csv(index=False)` writes it. */
export function summaryCsv(results: ReadonlyArray<readonly [string, { score: number; nulls: string }]>): string {
  const cols = results.length + 1;
  const header = Array.from({ length: cols }, (_, i) => String(i)).join(",");
  const row = (label: string, cells: string[]) => [label, ...cells].join(",");
  return [
    header,
    row("Tasks", results.map(([t]) => pyCsvField(t))),
    row("Score", results.map(([, r]) => pyFloatRepr(r.score))),
    row("Nulls", results.map(([, r]) => pyCsvField(r.nulls))),
  ].join("\n") + "\n";
}

export async function scoreOfficialDir(options: OfficialScoreOptions): Promise<OfficialScoreResult> {
  const dir = options.predictions;
  const outDir = options.out ?? dir;
  const names = (await readdir(dir)).filter((f) => f.endsWith(".jsonl") && !f.startsWith("."));
  // aggregate_chunk: files like `<task>-<n>.jsonl`, grouped by task, joined in sorted order.
  const chunks = names.filter((f) => /^.*[^_]+-\d+\.jsonl/.test(f)).sort();
  const byTask = new Map<string, string[]>();
  for (const f of chunks) {
    const task = f.split("-").slice(0, -1).join("-");
    byTask.set(task, [...(byTask.get(task) ?? []), f]);
  }
  const contents = new Map<string, unknown[]>();
  for (const [task, files] of byTask) {
    const lines: unknown[] = [];
    for (const f of [...files].sort()) lines.push(...(await readManifest(join(dir, f))));
    contents.set(`${task}.jsonl`, lines);
  }
  const present = new Set([...names, ...contents.keys()]);
  const results: [string, TaskEvaluation][] = [];
  for (const task of RULER_TASK_IDS) {
    const file = `${task}.jsonl`;
    if (!present.has(file)) {
      options.log("info", `Prediction file ${file} is not found.`);
      continue;
    }
    const lines = contents.get(file) ?? (await readManifest(join(dir, file)));
    results.push([task, evaluateTask(task, lines, join(dir, file))]);
  }
  if (results.length === 0) fail(dir, "no prediction file named <task>.jsonl for any RULER task (evaluate.py stops here)");
  await mkdir(outDir, { recursive: true });
  const summaryPath = join(outDir, results.length > 1 ? "summary.csv" : `summary-${results[0]?.[0] ?? ""}.csv`);
  await writeFile(summaryPath, summaryCsv(results), "utf8");
  const sub = ["Task,ID,Prediction"];
  for (const [task, r] of results) r.predicts.forEach((p, i) => sub.push([pyCsvField(task), pyCell(r.indices[i]), pyCsvField(p)].join(",")));
  const submissionPath = join(outDir, "submission.csv");
  await writeFile(submissionPath, sub.join("\n") + "\n", "utf8");
  const width = Math.max(...results.map(([t]) => t.length), 5);
  const summary = [`${"task".padEnd(width)}  score   nulls`, ...results.map(([t, r]) => `${t.padEnd(width)}  ${pyFloatRepr(r.score).padStart(6)}  ${r.nulls}`)].join("\n");
  return { written: [summaryPath, submissionPath], summary };
}
