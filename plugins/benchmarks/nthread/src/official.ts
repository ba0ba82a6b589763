/**
 * `loom score nthread --predictions DIR`.
 *
 * Official (the README's evaluation loop): `DIR/<Task>.jsonl`, one line per question with
 * `Question_ID`, `Output` (the model's raw response text; a non-text JSON value is taken as the
 * already parsed response) and `Answer` (the record's `values`). Each file is scored as the README
 * scores a split and its line `f"{model_name} {task}: {100 * accuracy:.2f}%"` is written to
 * `score_official.json` (`{"<task>": "<accuracy>%"}`, the task named as the file). A response the
 * README code cannot score (literal_eval or the slice raises) stops the run with that Python
 * exception and nothing is written.
 *
 * LOOM-Scope (`--protocol loom`, benchmarks/Retrieve/NThread/utils/evaluation/eval.py):
 * `DIR/<Task>.jsonl` with `Output`, `Answer` (list answers as Python repr strings) and `LEN`;
 * writes `length.json` and `Total.txt` as it does, and `score_loom.json` with the two tables
 * ConstructResultTable2 prints (tasks keyed by file name, `.jsonl` included, as eval.py keys them;
 * length buckets by `categorize_length(LEN)`, metric "AVG").
 */
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import {
  OfficialScorerError,
  categorizeLength,
  loomScopeSaveResults,
  pyFormatFixed,
  fromJson,
  pyFloatRepr,
  pyJsonDumps,
} from "@loomscope/metrics";
import { writeOfficialFiles } from "@loomscope/benchmark-kit";
import type { OfficialScoreOptions, OfficialScoreResult } from "@loomscope/spec";
import { loomScore, officialCorrect, prefixEquals } from "./metrics.js";

interface Line {
  record: Record<string, unknown>;
  where: string;
}

async function jsonlLines(path: string, name: string): Promise<Line[]> {
  const text = await readFile(path, "utf8");
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines.map((line, n) => {
    try {
      return { record: JSON.parse(line) as Record<string, unknown>, where: `${name} line ${n + 1}` };
    } catch (e) {
      throw new OfficialScorerError("JSONDecodeError", `${name} line ${n + 1}: ${(e as Error).message}`);
    }
  });
}

function field(line: Line, key: string): unknown {
  if (!(key in line.record)) throw new OfficialScorerError("KeyError", `${line.where}: no '${key}'`);
  return line.record[key];
}

/** One README-style evaluation of a prediction file: correct count, total, printed accuracy. */
export function scoreLinesOfficial(lines: readonly Line[]): { correct: number; total: number; printed: string } {
  let correct = 0;
  for (const line of lines) {
    const output = field(line, "Output");
    const answer = field(line, "Answer");
    const answerValue = typeof answer === "string" ? answer : fromJson(answer);
    let ok: boolean;
    try {
      ok = typeof output === "string" ? officialCorrect(output, answerValue) : prefixEquals(fromJson(output), fromJson(answer));
    } catch (e) {
      if (e instanceof OfficialScorerError) throw new OfficialScorerError(e.pythonError, `${line.where}: ${e.message}`);
      throw e;
    }
    if (ok) correct++;
  }
  const total = lines.length;
  return { correct, total, printed: `${pyFormatFixed(total === 0 ? NaN : 100 * (correct / total), 2)}%` };
}

async function scoreOfficialProtocol(options: OfficialScoreOptions): Promise<OfficialScoreResult> {
  const dir = resolve(options.predictions);
  const out = resolve(options.out ?? options.predictions);
  const files = (await readdir(dir)).filter((f) => f.endsWith(".jsonl")).sort();
  if (files.length === 0) throw new OfficialScorerError("FileNotFoundError", `${dir}: no <Task>.jsonl prediction files`);
  const printed: Record<string, string> = {};
  for (const f of files) {
    const { printed: p } = scoreLinesOfficial(await jsonlLines(join(dir, f), f));
    printed[f.replace(/\.jsonl$/, "")] = p;
  }
  await mkdir(out, { recursive: true });
  const path = join(out, "score_official.json");
  await writeFile(path, pyJsonDumps(printed, { indent: 2 }) + "\n");
  const summary = Object.entries(printed).map(([t, p]) => `${t}: ${p}`).join("\n");
  options.log("info", summary);
  return { written: [path], summary };
}

async function scoreLoomProtocol(options: OfficialScoreOptions): Promise<OfficialScoreResult> {
  const dir = resolve(options.predictions);
  const out = resolve(options.out ?? options.predictions);
  const files = (await readdir(dir)).filter((f) => f.endsWith("jsonl")).sort();
  const byTask = new Map<string, boolean[]>();
  const byLength = new Map<string, boolean[]>();
  for (const f of files) {
    for (const line of await jsonlLines(join(dir, f), f)) {
      const output = field(line, "Output");
      const answer = field(line, "Answer");
      const len = field(line, "LEN");
      if (typeof answer !== "string") throw new OfficialScorerError("TypeError", `${line.where}: Answer must be text`);
      if (output !== null && typeof output !== "string") throw new OfficialScorerError("TypeError", `${line.where}: Output must be text`);
      if (typeof len !== "number") throw new OfficialScorerError("TypeError", `${line.where}: LEN must be a number`);
      let s: boolean;
      try {
        s = loomScore(answer, output);
      } catch (e) {
        if (e instanceof OfficialScorerError) throw new OfficialScorerError(e.pythonError, `${line.where}: ${e.message}`);
        throw e;
      }
      (byTask.get(f) ?? byTask.set(f, []).get(f)!).push(s);
      const bucket = categorizeLength(len);
      (byLength.get(bucket) ?? byLength.set(bucket, []).get(bucket)!).push(s);
    }
  }
  if (byTask.size === 0) throw new OfficialScorerError("UnboundLocalError", `${dir}: no <Task>.jsonl predictions`);
  const saved = loomScopeSaveResults(
    "NThread",
    new Map([...byTask].map(([k, v]) => [k, v.map(Number)])),
    new Map([...byLength].map(([k, v]) => [k, v.map(Number)])),
    { lengthMetric: "AVG" },
  );
  const written = await writeOfficialFiles(out, saved.files);
  const summary = `NThread (LOOM-Scope): Overall ${pyFloatRepr(saved.tasks.overall)}; ${[...saved.tasks.scores].map(([k, v]) => `${k} ${v}`).join(", ")}`;
  options.log("info", summary);
  return { written, summary };
}

export async function scoreOfficial(options: OfficialScoreOptions): Promise<OfficialScoreResult> {
  return (options.protocol ?? "official") === "loom" ? scoreLoomProtocol(options) : scoreOfficialProtocol(options);
}
