/**
 * `loom score longwriter --predictions models/<model>`: what eval_length.py and eval_quality.py do
 * with `models/<model>/pred.jsonl`.
 * - eval_length.py prints `np.mean(scores)` (and saves a matplotlib scatter plot, which we do not
 *   draw);
 * - eval_quality.py asks the judge about every line, writes `judge.jsonl` (each judged line as
 *   `json.dumps(item, ensure_ascii=False)` with its `scores`, then the `total_score` line) and
 *   prints `total_score`.
 * The printed numbers go to `score_official.json` as `{"eval_length.py": …, "eval_quality.py": {…}}`.
 * Without a judge the quality score is refused, unless the benchmark option `quality` is false
 * (then S_l alone, and `"eval_quality.py": null`). Where a script would stop (a line that is not
 * JSON, a missing key, a response with no countable words, a verdict whose values float() refuses,
 * no judged line at all) we stop before writing anything.
 * Under `--protocol loom` the folder is LOOM-Scope's prediction folder (`<task>.jsonl` per task)
 * and `score_loom.json` holds its per-task `{"ACC": round(mean, 2)}`.
 */
import { readFile, readdir, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { LoomError, type Judge, type OfficialScoreOptions, type OfficialScoreResult } from "@loomscope/spec";
import {
  OfficialScorerError,
  PyFloat,
  PythonError,
  numpyMean,
  pyFloatRepr,
  pyJsonDumps,
  pyJsonLoads,
  pyTypeName,
  type PyJsonValue,
} from "@loomscope/metrics";
import { TASK_IDS } from "./tasks.js";
import { loomTaskScore } from "./aggregate.js";
import {
  DIMS,
  LOOM_QUALITY_CRASH,
  dimensionScore,
  judgeQuality,
  lengthScore,
  totalQuality,
  verdictDimensions,
  type Dim,
} from "./metrics.js";

/** How many judge requests are in flight at once (eval_quality.py runs 8 processes). */
export const JUDGE_CONCURRENCY = 8;

function fail(where: string, message: string, hint?: string): never {
  throw new LoomError("OFFICIAL_SCORE", `${where}: ${message}`, hint === undefined ? undefined : { hint });
}

/** Python's `[json.loads(line) for line in open(path, encoding='utf-8')]`. */
export async function readJsonLines(path: string): Promise<PyJsonValue[]> {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(await readFile(path));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === "ENOENT") fail(path, "no such file (the official script opens it and stops)");
    fail(path, `not UTF-8 (Python raises UnicodeDecodeError): ${err.message}`);
  }
  // Text mode: \r\n and \r end lines too; a last line without a newline still counts.
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.at(-1) === "") lines.pop();
  return lines.map((line, i) => {
    try {
      return pyJsonLoads(line);
    } catch (e) {
      return fail(`${path}:${i + 1}`, `json.loads fails (${(e as Error).message})`);
    }
  });
}

function field(item: PyJsonValue, key: string, where: string): PyJsonValue {
  if (!(item instanceof Map)) fail(where, `the line is a JSON ${pyTypeName(item)}, not an object (Python raises TypeError on item["${key}"])`);
  if (!item.has(key)) fail(where, `no "${key}" (Python raises KeyError)`);
  return item.get(key) as PyJsonValue;
}

function numberField(item: PyJsonValue, key: string, where: string): number {
  const v = field(item, key, where);
  if (typeof v === "number") return v;
  if (v instanceof PyFloat) return v.value;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "bigint") return Number(v);
  return fail(where, `"${key}" is a ${pyTypeName(v)}, not a number`);
}

function stringField(item: PyJsonValue, key: string, where: string): string {
  const v = field(item, key, where);
  if (typeof v !== "string") fail(where, `"${key}" is a ${pyTypeName(v)}, not a str (str.replace raises TypeError)`);
  return v;
}

/** S_l of every line (eval_length.py's loop), stopping where the script stops. */
export function lengthScores(items: readonly PyJsonValue[], path: string): number[] {
  return items.map((item, i) => {
    const where = `${path}:${i + 1}`;
    try {
      return lengthScore(numberField(item, "length", where), numberField(item, "response_length", where));
    } catch (e) {
      if (e instanceof OfficialScorerError) fail(where, e.message);
      throw e;
    }
  });
}

async function mapLimited<T, R>(items: readonly T[], limit: number, f: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

interface JudgedFile {
  /** judge.jsonl: judged lines in input order, then the total_score line. */
  judgeJsonl: string;
  totalScore: Record<Dim | "total", number>;
  judged: number;
  dropped: number;
}

/** eval_quality.py on the parsed lines of pred.jsonl. */
export async function judgeFile(items: readonly PyJsonValue[], path: string, judge: Judge, log: OfficialScoreOptions["log"]): Promise<JudgedFile> {
  const verdicts = await mapLimited(items, JUDGE_CONCURRENCY, async (item, i) => {
    const where = `${path}:${i + 1}`;
    const prompt = stringField(item, "prompt", where);
    const response = stringField(item, "response", where);
    const verdict = await judgeQuality(prompt, response, judge, "official");
    if (verdict.scores === null) {
      log("warn", `longwriter: ${where}: no usable verdict in ${verdict.outputs.length} replies; left out of S_q (eval_quality.py prints: ${JSON.stringify(verdict.outputs.at(-1) ?? "")})`);
    }
    return verdict.scores;
  });
  const lines: string[] = [];
  const values = Object.fromEntries(DIMS.map((d) => [d, [] as number[]])) as Record<Dim, number[]>;
  verdicts.forEach((scores, i) => {
    if (scores === null) return;
    const item = new Map(items[i] as Map<string, PyJsonValue>);
    item.set("scores", scores);
    lines.push(pyJsonDumps(item, { ensureAscii: false }));
    let dims: Record<Dim, number>;
    try {
      dims = verdictDimensions(scores);
    } catch (e) {
      if (e instanceof OfficialScorerError || e instanceof PythonError) fail(`${path}:${i + 1}`, e.message);
      throw e;
    }
    for (const d of DIMS) values[d].push(dims[d]);
  });
  const judged = lines.length;
  if (judged === 0) fail(path, "no line was judged: eval_quality.py divides by zero (sum(scores) / len(scores))");
  const totalScore = {} as Record<Dim | "total", number>;
  for (const d of DIMS) totalScore[d] = dimensionScore(values[d]);
  totalScore.total = totalQuality(DIMS.map((d) => totalScore[d]));
  const totalLine = pyJsonDumps(totalScore, { ensureAscii: false, integers: "float" });
  return { judgeJsonl: [...lines, totalLine].map((l) => l + "\n").join(""), totalScore, judged, dropped: items.length - judged };
}

/** Whether the judge-scored metrics are wanted (option `quality`, default true): without a judge they are refused. */
function wantsQuality(options: OfficialScoreOptions): boolean {
  const quality = options.options?.["quality"] !== false;
  if (quality && !options.judge) {
    throw new LoomError("USAGE", "longwriter: S_q (eval_quality.py) is scored by a judge model and none is bound", {
      hint: "pass --judge <backend:model> (official: gpt-4o-2024-05-13), or --benchmark-opt longwriter.quality=false for S_l alone",
    });
  }
  return quality;
}

export async function scoreOfficialLongWriter(options: OfficialScoreOptions): Promise<OfficialScoreResult> {
  const quality = wantsQuality(options);
  if ((options.protocol ?? "official") === "loom") return scoreLoom(options, quality);
  const dir = options.predictions;
  const out = options.out ?? dir;
  const predPath = join(dir, "pred.jsonl");
  const items = await readJsonLines(predPath);
  const sl = numpyMean(lengthScores(items, predPath));
  const printed: Record<string, PyJsonValue> = { "eval_length.py": new PyFloat(sl) };
  let judged: JudgedFile | undefined;
  if (quality && options.judge) {
    judged = await judgeFile(items, predPath, options.judge, options.log);
    printed["eval_quality.py"] = Object.fromEntries(Object.entries(judged.totalScore).map(([k, v]) => [k, new PyFloat(v)]));
  } else {
    // Dropped on request: written as not computed, never left out silently.
    printed["eval_quality.py"] = null;
  }
  await mkdir(out, { recursive: true });
  const written: string[] = [];
  if (judged) {
    const p = join(out, "judge.jsonl");
    await writeFile(p, judged.judgeJsonl, "utf8");
    written.push(p);
  }
  const scorePath = join(out, "score_official.json");
  await writeFile(scorePath, pyJsonDumps(printed, { ensureAscii: false, indent: 2 }) + "\n", "utf8");
  written.push(scorePath);
  const sq = judged?.totalScore.total;
  const summary = [
    `S_l ${pyFloatRepr(sl)} over ${items.length} responses`,
    sq === undefined
      ? "S_q and S not computed (quality=false: eval_quality.py not run)"
      : `S_q ${pyFloatRepr(sq)} over ${judged?.judged} judged (${judged?.dropped} left out), judge ${options.judge?.id}; S = (S_l + S_q) / 2 = ${pyFloatRepr((sl + sq) / 2)}`,
  ].join("\n");
  return { written, summary };
}

/** LOOM-Scope's eval.py: every `<task>.jsonl` of the folder whose task it knows. */
async function scoreLoom(options: OfficialScoreOptions, quality: boolean): Promise<OfficialScoreResult> {
  const dir = options.predictions;
  const out = options.out ?? dir;
  const result: Record<string, PyJsonValue> = {};
  const lines: string[] = [];
  for (const filename of (await readdir(dir)).sort()) {
    if (!filename.endsWith("jsonl")) continue;
    const task = filename.replace(/\.jsonl$/, "");
    if (!TASK_IDS.includes(task)) continue;
    const path = join(dir, filename);
    const items = await readJsonLines(path);
    const scores = lengthScores(items, path);
    if (quality && options.judge) {
      for (const [i, item] of items.entries()) {
        const where = `${path}:${i + 1}`;
        const verdict = await judgeQuality(stringField(item, "prompt", where), stringField(item, "response", where), options.judge, "loom");
        if (verdict.scores !== null) fail(where, `LOOM-Scope's eval.py raises TypeError here (${LOOM_QUALITY_CRASH}): its quality score cannot be reproduced`);
      }
    }
    const acc = loomTaskScore(scores);
    if (acc === null) fail(path, "no predictions (LOOM-Scope divides by zero)");
    result[task] = { ACC: acc };
    lines.push(`${task}: ACC ${acc}`);
  }
  await mkdir(out, { recursive: true });
  const p = join(out, "score_loom.json");
  await writeFile(p, pyJsonDumps(result, { ensureAscii: false, indent: 2 }) + "\n", "utf8");
  return { written: [p], summary: lines.join("\n") };
}
