/**
 * `loom score bamboo --predictions DIR`: each `<task>_<4k|16k>.jsonl` scored as
 * `python evaluate.py --input_path <file> --task <task>` scores it (the task from the file name).
 * evaluate.py only prints; the printed line goes to `score_official.json` keyed by file, with its
 * numbers. private_eval runs model-written code: only with `allowCodeExecution`, against the problem
 * file (datasets/real_all_eval_v3.jsonl.gz), printing `Pass@k: {...}` and writing
 * `<file>_results.jsonl` as private_eval/evaluation.py does. Where evaluate.py raises (an empty
 * file, an empty meetingqa reply, a line that is not JSON, ...), this stops and writes nothing.
 *
 * `--protocol loom` follows LOOM-Scope 0.1's BAMBOO matrics.py instead (see `scoreLoom`).
 */
import { createReadStream, existsSync } from "node:fs";
import { mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { gunzipSync } from "node:zlib";
import { OfficialScorerError, PyFloat, constructResultTable2Overall, numpyMean, numpyRound, pyFloatRepr, pyFormatFixed, pyJsonDumps, pyJsonLoads, pythonRound, type PyJsonValue } from "@loomscope/metrics";
import { LoomError, type JsonObject, type OfficialScoreOptions, type OfficialScoreResult } from "@loomscope/spec";
import { PROBLEM_FILE, parseProblems, type Problem } from "./data.js";
import { altqaAccuracy, concordanceIndex, precisionRecallF1, predAccuracy, qaAccuracy, saysYes } from "./metrics.js";
import { checkProgram, convertBack, domainOf, runProgram, type SandboxOptions } from "./sandbox.js";
import { BAMBOO_TASKS, type BambooTaskId } from "./tasks.js";

const FILE_RE = new RegExp(`^(${BAMBOO_TASKS.join("|")})_(4k|16k)\\.jsonl$`);

function fail(where: string, message: string, hint?: string): never {
  throw new LoomError("OFFICIAL_SCORE", `${where}: ${message}`, hint === undefined ? undefined : { hint });
}

/** Python "{:.1f}".format(x). */
const f1 = (x: number): string => pyFormatFixed(x, 1);

/** `[json.loads(line) for line in fp.readlines()]`: a blank or broken line raises. */
async function readJsonl(path: string): Promise<unknown[]> {
  const rl = createInterface({ input: createReadStream(path, { encoding: "utf8" }), crlfDelay: Infinity });
  const out: unknown[] = [];
  let n = 0;
  for await (const line of rl) {
    n++;
    try {
      out.push(pyJsonLoads(line));
    } catch (e) {
      fail(`${path}:${n}`, `not JSON (${(e as Error).message}); json.loads raises`);
    }
  }
  return out;
}

/** A parsed line as a plain record (pyJsonLoads keeps dict order in a Map). */
const asRecord = (v: unknown): Record<string, unknown> => (v instanceof Map ? Object.fromEntries(v) : (v as Record<string, unknown>));
const plain = (v: unknown): unknown => (v instanceof Map ? Object.fromEntries([...v].map(([k, x]) => [k, plain(x)])) : Array.isArray(v) ? v.map(plain) : v instanceof PyFloat ? v.value : v);
const str = (v: unknown, where: string): string => (typeof v === "string" ? v : fail(where, "pred/answer must be a str here"));
const numbers = (v: unknown, where: string): number[] => {
  const p = plain(v);
  if (!Array.isArray(p) || !p.every((x) => typeof x === "number" || typeof x === "bigint")) fail(where, "pred and answer must be lists of numbers");
  return (p as (number | bigint)[]).map(Number);
};

/** evaluate.py `evaluate(input_path, task)` for the non-code tasks: the printed line and its numbers. */
export function evaluateTask(task: Exclude<BambooTaskId, "private_eval">, lines: readonly unknown[], where: string = task): { printed: string; values: Record<string, number> } {
  const rows = lines.map(asRecord);
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
      const [ci, error] = guard(() => concordanceIndex(numbers(r["pred"], `${where}:${k + 1}`), numbers(r["answer"], `${where}:${k + 1}`)));
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

/** evaluation.py `estimate_pass_at_k`'s estimator: 1 - comb(n - c, k) / comb(n, k). */
function passAtKEstimate(n: number, c: number, k: number): number {
  if (n - c < k) return 1.0;
  let prod = 1.0;
  for (let x = n - c + 1; x <= n; x++) prod *= 1.0 - k / x;
  return 1.0 - prod;
}

/** Run `f` over `items` with at most `limit` at once (evaluation.py: a pool of 4 workers); results in item order. */
async function pooled<T, R>(items: readonly T[], limit: number, f: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      out[i] = await f(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * private_eval/evaluation.py `evaluate_functional_correctness(sample_file, k=[1, 10, 100],
 * n_workers=4, timeout=3.0)`: every line's `pred` mapped back (`convert_back`) and run against its
 * problem; pass@k for each k every task has at least k samples for, the numpy mean over task ids.
 */
export async function evaluatePrivate(
  lines: readonly unknown[],
  problems: ReadonlyMap<string, Problem>,
  sandbox: SandboxOptions,
  where: string,
): Promise<{ passAtK: Record<string, number>; results: string[] }> {
  const rows = lines.map(asRecord);
  const jobs = rows.map((r, k) => {
    const taskId = str(r["task_id"], `${where}:${k + 1}`);
    const problem = problems.get(taskId) ?? fail(`${where}:${k + 1}`, `task_id ${taskId} is not in the problem file (KeyError)`);
    return { taskId, program: checkProgram(problem, convertBack(str(r["pred"], `${where}:${k + 1}`), domainOf(taskId))) };
  });
  const results = await pooled(jobs, 4, (job) => runProgram(job.program, sandbox));
  const byTask = new Map<string, boolean[]>();
  jobs.forEach((job, k) => byTask.set(job.taskId, [...(byTask.get(job.taskId) ?? []), results[k] === "passed"]));
  const totals = [...byTask.values()].map((l) => l.length);
  const corrects = [...byTask.values()].map((l) => l.filter(Boolean).length);
  const passAtK: Record<string, number> = {};
  for (const k of [1, 10, 100]) {
    if (!totals.every((t) => t >= k)) continue;
    passAtK[`pass@${k}`] = numpyMean(totals.map((n, i) => passAtKEstimate(n, corrects[i] as number, k)));
  }
  return { passAtK, results };
}

/** `print("Pass@k:", pass_at_k)`: a dict of numpy floats (numpy 1.24 repr). */
export const passAtKLine = (passAtK: Readonly<Record<string, number>>): string => `Pass@k: {${Object.entries(passAtK).map(([k, v]) => `'${k}': ${pyFloatRepr(v)}`).join(", ")}}`;

/** `combine_results`: each line of the sample file with its result and whether it passed, `json.dumps` per line. */
export function resultsJsonl(lines: readonly unknown[], results: readonly string[]): string {
  return lines
    .map((line, k) => {
      const entries: [string, PyJsonValue][] = line instanceof Map ? [...(line as Map<string, PyJsonValue>)] : Object.entries(line as Record<string, PyJsonValue>);
      const map = new Map<string, PyJsonValue>(entries);
      map.set("result", results[k] as string);
      map.set("passed", results[k] === "passed");
      return pyJsonDumps(map) + "\n";
    })
    .join("");
}

export async function readProblems(path: string): Promise<Map<string, Problem>> {
  return parseProblems(gunzipSync(await readFile(path)).toString("utf8"));
}

/** The sandbox settings of the declared options. */
export function sandboxOf(options: JsonObject | undefined): SandboxOptions {
  const o = options ?? {};
  return {
    allowCodeExecution: o["allowCodeExecution"] === true,
    ...(typeof o["python"] === "string" ? { python: o["python"] } : {}),
    ...(typeof o["timeoutSeconds"] === "number" ? { timeoutSeconds: o["timeoutSeconds"] } : {}),
    ...(typeof o["memoryMb"] === "number" ? { memoryBytes: o["memoryMb"] * 1024 * 1024 } : {}),
    ...(o["allowNetworkFallback"] === true ? { allowNetworkFallback: true } : {}),
  };
}

/** The problem file: the option `problemFile`, else beside the predictions, else evaluate.py's `datasets/real_all_eval_v3.jsonl.gz` under the working folder. */
function problemFileFor(dir: string, options: JsonObject | undefined): string {
  const given = options?.["problemFile"];
  const candidates = typeof given === "string" && given !== "" ? [resolve(given)] : [join(dir, PROBLEM_FILE.name), join(dir, "datasets", PROBLEM_FILE.name), resolve("datasets", PROBLEM_FILE.name)];
  return candidates.find((c) => existsSync(c)) ?? fail(dir, `private_eval needs ${PROBLEM_FILE.name}, found at none of ${candidates.join(", ")}`, "put the file beside the predictions or pass --benchmark-opt bamboo.problemFile=<path>");
}

function refuseCodeWithout(sandbox: SandboxOptions, dir: string, files: readonly string[]): void {
  if (files.length > 0 && !sandbox.allowCodeExecution) {
    fail(dir, `${files.join(", ")}: private_eval runs model-written code, which needs --allow-code-execution`, "pass --allow-code-execution (a sandboxed Python child: no network, memory and time limits), or move the private_eval files out");
  }
}

export async function scoreOfficial(options: OfficialScoreOptions): Promise<OfficialScoreResult> {
  if ((options.protocol ?? "official") === "loom") return scoreLoom(options);
  const outDir = options.out ?? options.predictions;
  const names = (await readdir(options.predictions)).filter((n) => FILE_RE.test(n)).sort();
  if (names.length === 0) fail(options.predictions, "no <task>_<4k|16k>.jsonl file");
  const sandbox = sandboxOf(options.options);
  refuseCodeWithout(sandbox, options.predictions, names.filter((n) => n.startsWith("private_eval_")));
  const out: Record<string, PyJsonValue> = {};
  const extra: [string, string][] = [];
  for (const name of names) {
    const [, task] = FILE_RE.exec(name) as RegExpExecArray;
    const path = join(options.predictions, name);
    const lines = await readJsonl(path);
    options.log("info", `scoring ${name}`);
    if (task === "private_eval") {
      const problems = await readProblems(problemFileFor(options.predictions, options.options));
      const { passAtK, results } = await evaluatePrivate(lines, problems, sandbox, path);
      out[name] = { printed: passAtKLine(passAtK), ...passAtK };
      extra.push([`${name}_results.jsonl`, resultsJsonl(lines, results)]);
    } else {
      const { printed, values } = evaluateTask(task as Exclude<BambooTaskId, "private_eval">, lines, path);
      out[name] = { printed, ...values };
    }
  }
  await mkdir(outDir, { recursive: true });
  const written: string[] = [];
  for (const [n, body] of extra) {
    await writeFile(join(outDir, n), body);
    written.push(join(outDir, n));
  }
  const target = join(outDir, "score_official.json");
  await writeFile(target, pyJsonDumps(out, { indent: 2 }) + "\n");
  written.push(target);
  const summary = Object.entries(out).map(([n, v]) => `${n}: ${(v as { printed: string }).printed}`);
  return { written, summary: ["BAMBOO (evaluate.py)", ...summary].join("\n") };
}

// ---- LOOM-Scope -------------------------------------------------------------------------------

/**
 * LOOM-Scope 0.1's BAMBOO `evaluate(DataPath, OutPath)` (benchmarks/General/BAMBOO/utils/evaluation/
 * matrics.py): every `*jsonl` file of DIR, in sorted order (LOOM-Scope: `os.listdir` order), its
 * task the name before the last "_" — so `altqa_4k` and `altqa_16k` are one key and the file read
 * last wins (4k, in sorted order). Non-code files need `pred` and `answer` on every line (a
 * `_results.jsonl` left by an earlier private_eval run stops it with KeyError). Numbers are
 * `round(100 * x, 2)`; the hallucination tasks report F1 only (a numpy float: numpy rounding);
 * private_eval each pass@k `round(v * 100, 2)` (numpy rounding). The table's Average/Overall is
 * ConstructResultTable2's: each task's mean weighted by its line count (private_eval, never counted,
 * weighs 1), rounded to 2. Written to `score_loom.json` (LOOM-Scope writes results.xlsx).
 */
async function scoreLoom(options: OfficialScoreOptions): Promise<OfficialScoreResult> {
  const dir = options.predictions;
  const outDir = options.out ?? dir;
  const names = (await readdir(dir)).filter((n) => n.endsWith("jsonl")).sort();
  if (names.length === 0) fail(dir, "no *jsonl file: LOOM-Scope's ConstructResultTable2 fails on an empty table");
  const sandbox = sandboxOf(options.options);
  const taskOf = (name: string): string => name.split("_").slice(0, -1).join("_");
  refuseCodeWithout(sandbox, dir, names.filter((n) => taskOf(n) === "private_eval"));
  const scores = new Map<string, Record<string, number>>();
  const counts = new Map<string, number>();
  for (const name of names) {
    const task = taskOf(name);
    const path = join(dir, name);
    const lines = await readJsonl(path);
    const rows = lines.map(asRecord);
    if (task === "private_eval") {
      const problems = await readProblems(problemFileFor(dir, options.options));
      const { passAtK } = await evaluatePrivate(lines, problems, sandbox, path);
      scores.set(task, Object.fromEntries(Object.entries(passAtK).map(([k, v]) => [k, numpyRound(v * 100, 2)])));
      continue;
    }
    rows.forEach((r, k) => {
      for (const key of ["pred", "answer"]) if (!(key in r)) fail(`${path}:${k + 1}`, `no "${key}" (KeyError)`);
    });
    counts.set(task, rows.length);
    if (!(BAMBOO_TASKS as readonly string[]).includes(task)) continue;
    if (task === "senhallu" || task === "abshallu") {
      const truth = rows.map((r, k) => (typeof r["answer"] === "boolean" ? (r["answer"] as boolean) : fail(`${path}:${k + 1}`, "answer must be true/false")));
      const pred = rows.map((r, k) => saysYes(str(r["pred"], `${path}:${k + 1}`)));
      const f = precisionRecallF1(truth, pred)[2];
      scores.set(task, { f1: numpyRound(100 * f, 2) });
      continue;
    }
    if (rows.length === 0) fail(path, "empty file: 100 * count / all_count raises ZeroDivisionError");
    if (task === "reportsumsort" || task === "showssort") {
      let count = 0;
      for (const [k, r] of rows.entries()) {
        let pair: [number, boolean];
        try {
          pair = concordanceIndex(numbers(r["pred"], `${path}:${k + 1}`), numbers(r["answer"], `${path}:${k + 1}`));
        } catch (e) {
          if (e instanceof OfficialScorerError) fail(`${path}:${k + 1}`, e.message);
          throw e;
        }
        if (!pair[1]) count += pair[0];
      }
      scores.set(task, { Cornordinary_index: pythonRound((100 * count) / rows.length, 2) });
      continue;
    }
    const check = task === "altqa" ? altqaAccuracy : task === "meetingpred" || task === "showspred" ? predAccuracy : qaAccuracy;
    let count = 0;
    for (const [k, r] of rows.entries()) {
      try {
        count += check(str(r["pred"], `${path}:${k + 1}`), str(r["answer"], `${path}:${k + 1}`));
      } catch (e) {
        if (e instanceof OfficialScorerError) fail(`${path}:${k + 1}`, e.message);
        throw e;
      }
    }
    scores.set(task, { accuracy: pythonRound((100 * count) / rows.length, 2) });
  }
  // ConstructResultTable2: a task's score is the numpy mean of its metric values.
  const taskScores = new Map([...scores].map(([t, m]) => [t, numpyMean(Object.values(m))]));
  const overall = taskScores.size ? constructResultTable2Overall(taskScores, counts) : null;
  const body = { BAMBOO: Object.fromEntries(scores), count: Object.fromEntries(counts), "Average/Overall": overall };
  await mkdir(outDir, { recursive: true });
  const target = join(outDir, "score_loom.json");
  await writeFile(target, pyJsonDumps(body as PyJsonValue, { indent: 2 }) + "\n");
  return { written: [target], summary: `BAMBOO (LOOM-Scope protocol): ${scores.size} task(s); overall ${overall === null ? "-" : overall}` };
}
