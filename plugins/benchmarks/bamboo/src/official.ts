/**
 * `loom score bamboo --predictions DIR`: each `<task>_<length>.jsonl` scored as
 * `python evaluate.py --input_path <file> --task <task>` scores it. evaluate.py only prints; the
 * printed line goes to `score_official.json` keyed by file, with its numbers. private_eval also
 * writes `<file>_results.jsonl` (here into the output folder) and needs the problem file
 * (datasets/real_all_eval_v3.jsonl.gz) and `allowCodeExecution`.
 */
import { createReadStream } from "node:fs";
import { mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { gunzipSync } from "node:zlib";
import { OfficialScorerError, pyFormatFixed, pyJsonDumps, pythonRound, type PyJsonValue } from "@loomscope/metrics";
import { LoomError, type OfficialScoreOptions, type OfficialScoreResult } from "@loomscope/spec";
import { altqaAccuracy, concordanceIndex, precisionRecallF1, predAccuracy, qaAccuracy, saysYes } from "./metrics.js";
import { checkProgram, convertBack, domainOf, runProgram, type Problem, type SandboxOptions } from "./sandbox.js";
import { BAMBOO_TASKS, type BambooTaskId } from "./tasks.js";

const FILE_RE = new RegExp(`^(${BAMBOO_TASKS.join("|")})_(4k|16k)\\.jsonl$`);

function fail(where: string, message: string): never {
  throw new LoomError("OFFICIAL_SCORE", `${where}: ${message}`);
}

/** Python "{:.1f}".format(x). */
const f1 = (x: number): string => pyFormatFixed(x, 1);

async function readJsonl(path: string): Promise<Record<string, unknown>[]> {
  const rl = createInterface({ input: createReadStream(path, { encoding: "utf8" }), crlfDelay: Infinity });
  const out: Record<string, unknown>[] = [];
  let n = 0;
  for await (const line of rl) {
    n++;
    try {
      out.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      fail(`${path}:${n}`, "not JSON (json.loads raises)");
    }
  }
  return out;
}

const str = (v: unknown, where: string): string => (typeof v === "string" ? v : fail(where, "pred/answer must be a str here"));

/** evaluate.py `evaluate(input_path, task)` for the non-code tasks: the printed line and its numbers. */
export function evaluateTask(task: Exclude<BambooTaskId, "private_eval">, rows: readonly Record<string, unknown>[], where: string = task): { printed: string; values: Record<string, number> } {
  const guard = <T>(f: () => T): T => {
    try {
      return f();
    } catch (e) {
      if (e instanceof OfficialScorerError) fail(where, e.message);
      throw e;
    }
  };
  if (rows.length === 0 && task !== "senhallu" && task !== "abshallu") fail(where, "empty file: 100 * count / all_count raises ZeroDivisionError");
  if (task === "reportsumsort" || task === "showssort") {
    let count = 0;
    for (const [k, r] of rows.entries()) {
      const pred = r["pred"];
      const ans = r["answer"];
      if (!Array.isArray(pred) || !Array.isArray(ans) || ![...pred, ...ans].every((x) => typeof x === "number")) fail(`${where}:${k + 1}`, "pred and answer must be lists of numbers");
      const [ci, error] = guard(() => concordanceIndex(pred as number[], ans as number[]));
      if (!error) count += ci;
    }
    const v = (100 * count) / rows.length;
    return { printed: `Cornordinary_index: ${f1(v)}`, values: { Cornordinary_index: pythonRound(v, 1) } };
  }
  if (task === "senhallu" || task === "abshallu") {
    const truth = rows.map((r, k) => (typeof r["answer"] === "boolean" ? (r["answer"] as boolean) : fail(`${where}:${k + 1}`, "answer must be true/false")));
    const pred = rows.map((r, k) => saysYes(str(r["pred"], `${where}:${k + 1}`)));
    const [p, rc, f] = precisionRecallF1(truth, pred);
    return { printed: `precision/recall/f1: ${f1(100 * p)}/${f1(100 * rc)}/${f1(100 * f)}`, values: { precision: pythonRound(100 * p, 1), recall: pythonRound(100 * rc, 1), f1: pythonRound(100 * f, 1) } };
  }
  const check = task === "altqa" ? altqaAccuracy : task === "meetingpred" || task === "showspred" ? predAccuracy : qaAccuracy;
  let count = 0;
  rows.forEach((r, k) => {
    count += guard(() => check(str(r["pred"], `${where}:${k + 1}`), str(r["answer"], `${where}:${k + 1}`)));
  });
  const v = (100 * count) / rows.length;
  return { printed: `accuracy: ${f1(v)}`, values: { accuracy: pythonRound(v, 1) } };
}

/** private_eval: evaluate_functional_correctness with pass@k for k in (1, 10, 100) where every task has >= k samples. */
export async function evaluatePrivate(rows: readonly Record<string, unknown>[], problems: ReadonlyMap<string, Problem>, sandbox: SandboxOptions, where: string): Promise<{ passAtK: Record<string, number>; results: Record<string, unknown>[] }> {
  const byTask = new Map<string, { id: number; passed: boolean; result: string }[]>();
  const perRow: string[] = [];
  for (const [k, r] of rows.entries()) {
    const taskId = str(r["task_id"], `${where}:${k + 1}`);
    const problem = problems.get(taskId) ?? fail(`${where}:${k + 1}`, `task_id ${taskId} is not in the problem file (KeyError)`);
    const completion = convertBack(str(r["pred"], `${where}:${k + 1}`), domainOf(taskId));
    const result = await runProgram(checkProgram(problem, completion), sandbox);
    const list = byTask.get(taskId) ?? [];
    list.push({ id: list.length, passed: result === "passed", result });
    byTask.set(taskId, list);
    perRow.push(result);
  }
  const totals = [...byTask.values()].map((l) => l.length);
  const corrects = [...byTask.values()].map((l) => l.filter((x) => x.passed).length);
  const passAtK: Record<string, number> = {};
  for (const k of [1, 10, 100]) {
    if (!totals.every((t) => t >= k)) continue;
    const est = totals.map((n, i) => {
      const c = corrects[i] as number;
      if (n - c < k) return 1.0;
      let prod = 1.0;
      for (let x = n - c + 1; x <= n; x++) prod *= 1.0 - k / x;
      return 1.0 - prod;
    });
    let s = 0;
    for (const e of est) s += e;
    passAtK[`pass@${k}`] = s / est.length;
  }
  const results = rows.map((r, k) => ({ ...r, result: perRow[k] as string, passed: perRow[k] === "passed" }));
  return { passAtK, results };
}

export async function readProblems(path: string): Promise<Map<string, Problem>> {
  const text = gunzipSync(await readFile(path)).toString("utf8");
  const out = new Map<string, Problem>();
  for (const line of text.split("\n")) if (/\S/.test(line)) {
    const p = JSON.parse(line) as Problem;
    out.set(p.task_id, p);
  }
  return out;
}

export async function scoreOfficial(options: OfficialScoreOptions & SandboxOptions & { problemFile?: string }): Promise<OfficialScoreResult> {
  if ((options.protocol ?? "official") === "loom") fail(options.predictions, "LOOM-Scope's BAMBOO scorer writes results.xlsx; score_loom.json is not implemented yet (see README)");
  const outDir = options.out ?? options.predictions;
  const names = (await readdir(options.predictions)).filter((n) => FILE_RE.test(n)).sort();
  if (names.length === 0) fail(options.predictions, "no <task>_<4k|16k>.jsonl file");
  const out: Record<string, PyJsonValue> = {};
  const written: string[] = [];
  const extra: [string, string][] = [];
  for (const name of names) {
    const [, task] = FILE_RE.exec(name) as RegExpExecArray;
    const path = join(options.predictions, name);
    const rows = await readJsonl(path);
    if (task === "private_eval") {
      const problems = await readProblems(options.problemFile ?? join(options.predictions, "real_all_eval_v3.jsonl.gz"));
      const { passAtK, results } = await evaluatePrivate(rows, problems, options, path);
      out[name] = { printed: `Pass@k: {${Object.entries(passAtK).map(([k, v]) => `'${k}': ${v}`).join(", ")}}`, ...passAtK };
      extra.push([`${name}_results.jsonl`, results.map((r) => pyJsonDumps(r as PyJsonValue)).join("\n") + "\n"]);
    } else {
      const { printed, values } = evaluateTask(task as Exclude<BambooTaskId, "private_eval">, rows, path);
      out[name] = { printed, ...values };
    }
  }
  await mkdir(outDir, { recursive: true });
  for (const [n, body] of extra) {
    await writeFile(join(outDir, n), body);
    written.push(join(outDir, n));
  }
  const target = join(outDir, "score_official.json");
  await writeFile(target, pyJsonDumps(out, { indent: 2 }) + "\n");
  written.push(target);
  return { written, summary: `BAMBOO: ${names.length} file(s) scored` };
}
