/**
 * `loom score leval --predictions Predictions/exam_eval/<model>` (or `Predictions/ngram_eval/<model>`):
 * Evaluation/auto_eval.py run on every `*.pred.jsonl` of the folder, one `--pred_file` at a time, as
 * the README does (`python Evaluation/auto_eval.py --pred_file Predictions/exam_eval/<model>/quality.pred.jsonl`).
 *
 * auto_eval.py decides how to read a file from substrings of the path it is given, so each file is
 * evaluated under the path the README passes: `Predictions/<folder's parent name>/<folder name>/<file>`.
 * It reads lines with Tools/jsonl_utils.py `read_jsonl`, which skips every line that is not JSON.
 * It only prints, so `score_official.json` (in `--out`, default the folder) holds, per file name, the
 * printed numbers keyed as printed: the LEvalMetrics dict, or for Topic Retrieval the three
 * "first N sentence retrieval score" dicts and their average, for Sci-Fi the "loyalty score" and
 * "fact score" dicts and their average. A file the script would crash on (no readable line, a
 * Sci-Fi answer without "[fact:", no "_pred" key, …) is an error naming the file; nothing is written.
 *
 * `--protocol loom`: LOOM-Scope's auto_eval.py (benchmarks/General/LEval/utils/evaluation) reads
 * `<task>.jsonl` files with `pred` and `outputs`, scores every line (no evaluation filter), and
 * writes round(mean per task, 2) into results.xlsx; `score_loom.json` holds those numbers.
 */
import { readdir, readFile, mkdir, writeFile, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { LoomError, type OfficialScoreOptions, type OfficialScoreResult } from "@loomscope/spec";
import { PyFloat, pyJsonDumps, pyJsonLoads, type PyJsonValue } from "@loomscope/metrics";
import { evaluateFile } from "./autoeval.js";
import { loomTaskScores } from "./loom.js";

function fail(where: string, message: string): never {
  throw new LoomError("OFFICIAL_SCORE", `${where}: ${message}`);
}

/** Tools/jsonl_utils.py `read_jsonl`: every line that json.loads accepts, others skipped. */
export async function readJsonlLikeLeval(path: string): Promise<PyJsonValue[]> {
  const text = await readFile(path, "utf8");
  const out: PyJsonValue[] = [];
  for (const line of text.split(/\r\n|\r|\n/)) {
    try {
      out.push(pyJsonLoads(line));
    } catch {
      // read_jsonl: `except: continue`
    }
  }
  return out;
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

export async function scoreOfficialDir(options: OfficialScoreOptions): Promise<OfficialScoreResult> {
  const dir = resolve(options.predictions);
  const outDir = options.out ?? dir;
  if ((options.protocol ?? "official") === "loom") return loomTaskScores(dir, outDir, options.log);
  const names = (await readdir(dir)).filter((n) => n.endsWith(".pred.jsonl")).sort();
  const files: string[] = [];
  for (const n of names) if (await isFile(join(dir, n))) files.push(n);
  if (files.length === 0) fail(dir, "no *.pred.jsonl prediction file (auto_eval.py reads Predictions/<exam_eval|ngram_eval>/<model>/<task>.pred.jsonl)");
  const body: Record<string, PyJsonValue> = {};
  const summary: string[] = [];
  for (const name of files) {
    const predFile = `Predictions/${basename(dirname(dir))}/${basename(dir)}/${name}`;
    const lines = await readJsonlLikeLeval(join(dir, name));
    try {
      const result = evaluateFile(predFile, lines);
      body[name] = result.printed;
      summary.push(`${name}: ${describeScore(result.printed)}`);
    } catch (e) {
      fail(join(dir, name), (e as Error).message);
    }
  }
  await mkdir(outDir, { recursive: true });
  const file = join(outDir, "score_official.json");
  await writeFile(file, pyJsonDumps(body, { indent: 4, ensureAscii: false }) + "\n", "utf8");
  return { written: [file], summary: summary.join("\n") };
}

function describeScore(printed: Record<string, PyJsonValue>): string {
  for (const key of ["LEval_score", "average score of the 1st/2nd/3rd sentence retrieval", "average score of fact and loyalty"]) {
    const v = printed[key];
    if (v instanceof PyFloat) return String(v.value);
    if (typeof v === "number") return String(v);
  }
  return "";
}
