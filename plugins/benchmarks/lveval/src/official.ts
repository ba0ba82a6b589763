/**
 * `loom score lveval --predictions <dir>`: evaluation.py re-done. Every file of the directory whose
 * name ends in "jsonl", in its `custom_sort` order, scored with its dataset's official metric into
 * `eval_result/result.json` (`json.dump(..., ensure_ascii=False, indent=4)`) and `result.csv` (as
 * pandas writes it). Where evaluation.py stops with an exception (an empty file, a line that is not
 * JSON, a dataset it has no metric for), this stops too, naming file and line, and writes nothing.
 */
import { createReadStream } from "node:fs";
import { mkdir, readdir, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { z } from "zod";
import { LoomError, type OfficialScoreOptions, type OfficialScoreResult } from "@loomscope/spec";
import { pandasCsv, pyJsonDumps } from "@loomscope/metrics";
import { datasetNameOf, isDataset } from "./config.js";
import { datasetScore } from "./aggregate.js";
import { scoreSample } from "./metrics.js";

/** One line of an official prediction file (prediction.py writes pred, answers, gold_ans, ...). */
const PredictionLineSchema = z.object({ pred: z.string(), answers: z.union([z.array(z.unknown()), z.string()]), gold_ans: z.string().nullable().optional() }).passthrough();

/** evaluation.py `custom_sort`: (all ASCII letter runs, first integer or 0). */
export function customSortKey(name: string): { letters: string[]; number: bigint } {
  const digits = /\d+/.exec(name);
  return { letters: name.match(/[a-zA-Z]+/g) ?? [], number: digits ? BigInt(digits[0]) : 0n };
}

/** Sort file names the way evaluation.py does (ties broken by name, for a stable order). */
export function officialFileOrder(names: readonly string[]): string[] {
  const compare = (a: ReturnType<typeof customSortKey>, b: ReturnType<typeof customSortKey>): number => {
    for (let i = 0; i < Math.min(a.letters.length, b.letters.length); i++) if (a.letters[i] !== b.letters[i]) return a.letters[i]! < b.letters[i]! ? -1 : 1;
    if (a.letters.length !== b.letters.length) return a.letters.length - b.letters.length;
    return a.number < b.number ? -1 : a.number > b.number ? 1 : 0;
  };
  return [...names].sort().sort((a, b) => compare(customSortKey(a), customSortKey(b)));
}

const fail = (where: string, message: string, hint?: string): never => {
  throw new LoomError("OFFICIAL_SCORE", `${where}: ${message}`, hint === undefined ? undefined : { hint });
};

/** Score one prediction file; returns the dataset score and the per-sample scores. */
export async function scorePredictionFile(path: string, dataset: string): Promise<{ score: number; scores: number[] }> {
  const name = datasetNameOf(dataset);
  if (!isDataset(name)) fail(path, `no LV-Eval metric for dataset "${name}" (evaluation.py raises KeyError)`, "prediction files are named <dataset>_<length>.jsonl with an official dataset name");
  const scores: number[] = [];
  let line = 0;
  for await (const text of createInterface({ input: createReadStream(path, { encoding: "utf8" }), crlfDelay: Infinity })) {
    line++;
    let parsed;
    try {
      parsed = PredictionLineSchema.safeParse(JSON.parse(text));
    } catch (e) {
      return fail(`${path}:${line}`, `not JSON (${(e as Error).message})`);
    }
    if (!parsed.success) fail(`${path}:${line}`, `${parsed.error.issues[0]?.path.join(".") || "line"}: ${parsed.error.issues[0]?.message ?? "invalid"}`);
    const { pred, answers, gold_ans } = parsed.data!;
    // Python iterates `answers`: a string yields its characters, so its first character counts.
    const first = (typeof answers === "string" ? Array.from(answers) : answers)[0];
    if (first !== undefined && typeof first !== "string") fail(`${path}:${line}`, "answers[0] is not a string");
    try {
      scores.push(scoreSample(name as Parameters<typeof scoreSample>[0], pred, first === undefined ? [] : [first as string], gold_ans ?? null));
    } catch (e) {
      fail(`${path}:${line}`, (e as Error).message);
    }
  }
  const score = datasetScore(scores);
  return score === null ? fail(path, "no predictions (evaluation.py divides by zero)") : { score, scores };
}

export async function scoreOfficialDir(options: OfficialScoreOptions): Promise<OfficialScoreResult> {
  const dir = options.predictions.replace(/\/+$/, "") || "/";
  const outDir = options.out ?? join(dir, "eval_result");
  const files: string[] = [];
  for (const e of await readdir(dir)) if ((await stat(join(dir, e))).isFile() && e.endsWith("jsonl")) files.push(e);
  const scores = new Map<string, number>();
  const byDataset = new Map<string, Map<string, number>>();
  for (const filename of officialFileOrder(files)) {
    const dataset = filename.split(".")[0]!;
    const { score } = await scorePredictionFile(join(dir, filename), dataset);
    scores.set(dataset, score);
    const name = datasetNameOf(dataset);
    byDataset.set(name, (byDataset.get(name) ?? new Map<string, number>()).set(dataset.split("_").at(-1)!, score));
  }
  if (scores.size === 0) options.log("warn", `lveval: no *.jsonl prediction files in ${dir}`);
  const columns = ["dataset_name", ...new Set([...byDataset.values()].flatMap((row) => [...row.keys()]))];
  const rows = [...byDataset].map(([name, row]) => [name, ...columns.slice(1).map((l) => row.get(l) ?? null)]);
  await mkdir(outDir, { recursive: true });
  const jsonPath = join(outDir, "result.json");
  const csvPath = join(outDir, "result.csv");
  await writeFile(jsonPath, pyJsonDumps(Object.fromEntries(scores), { ensureAscii: false, indent: 4, integers: "float" }), "utf8");
  await writeFile(csvPath, pandasCsv(columns, rows), "utf8");
  const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((r) => String(r[i] ?? "").length)));
  const line = (cells: readonly (string | number | null)[]) => cells.map((c, i) => String(c ?? "").padStart(widths[i] ?? 0)).join("  ");
  return { written: [jsonPath, csvPath], summary: [line(columns), ...rows.map(line)].join("\n") };
}
