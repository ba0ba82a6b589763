/**
 * `loom score longbench-v2 --predictions DIR`: result.py (THUDM/LongBench @ 2e00731, repository
 * root), re-done. DIR is the `results/` folder pred.py writes (`<model>.jsonl`, `<model>_cot.jsonl`,
 * …). Every entry of it is read, as result.py reads `os.listdir('results')`: first as one JSON
 * document (`json.load`), and when that fails line by line (`json.loads` per line). Each gives a
 * row `name \t Overall \t Easy \t Hard \t Short \t Medium \t Long` with `name` the file name without
 * its last extension; the rows go to `result.txt` after the header, joined with "\n" and no final
 * newline. result.py writes result.txt into its working directory, the folder holding results/;
 * so do we, unless `out` says otherwise. result.py walks `os.listdir` order, which the file
 * system decides; we walk Python's sorted order.
 *
 * Where result.py stops with an exception (an empty file, a file holding a single JSON object,
 * a `judge` that is null, a missing field, a column without items) this stops too and writes nothing.
 * `compensated` (a constant False in result.py) can be switched on to count 0.25 for an answer
 * that was not extracted.
 */
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { PythonError, pyFloatRepr, pyIntOf, pyJsonLoads, pyReadText, pyStrCompare, pyTextLines, pyTypeName, type PyJsonValue } from "@loomscope/metrics";
import { LoomError, type OfficialScoreOptions, type OfficialScoreResult } from "@loomscope/spec";
import { RESULT_COLUMNS } from "./config.js";
import { EmptyColumnError, resultRow, type JudgedItem } from "./aggregate.js";

export class ResultPyError extends Error {
  constructor(
    readonly pythonError: string,
    message: string,
  ) {
    super(`${message} (result.py stops with ${pythonError} here)`);
    this.name = "ResultPyError";
  }
}

/** `pred_data`: `json.load(f)`, else `[json.loads(line) for line in f]`. */
async function loadPredData(path: string): Promise<PyJsonValue> {
  let text: string;
  try {
    text = await pyReadText(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EISDIR") throw new ResultPyError("IsADirectoryError", `${path} is a directory`);
    if (e instanceof PythonError) throw new ResultPyError(e.pythonError, `${path} is not valid UTF-8`);
    throw e;
  }
  try {
    return pyJsonLoads(text);
  } catch {
    // result.py falls back to one JSON value per line; a blank line is a JSONDecodeError
    return pyTextLines(text).map((line, i) => {
      try {
        return pyJsonLoads(line);
      } catch (e) {
        if (!(e instanceof PythonError)) throw e;
        throw new ResultPyError(e.pythonError === "JSONDecodeError" ? "json.JSONDecodeError" : e.pythonError, `${path}:${i + 1}: not JSON (${e.message})`);
      }
    });
  }
}

/** `int(pred['judge'])` on a JSON value. */
function judgeInt(v: PyJsonValue, where: string): number {
  try {
    return Number(pyIntOf(v));
  } catch (e) {
    if (e instanceof PythonError) throw new ResultPyError(e.pythonError, `${where}: judge is ${pyTypeName(v)} ${JSON.stringify(v)}`);
    throw e;
  }
}

function field(item: PyJsonValue, key: string, where: string): PyJsonValue {
  if (!(item instanceof Map)) throw new ResultPyError("TypeError", `${where}: an item is a JSON ${pyTypeName(item)}, not an object`);
  if (!item.has(key)) throw new ResultPyError("KeyError", `${where}: no "${key}" field`);
  return item.get(key) as PyJsonValue;
}

/** The judged items of one results file, as result.py's loop reads them. */
export async function judgedItems(path: string, compensated = false): Promise<JudgedItem[]> {
  const data = await loadPredData(path);
  let items: readonly PyJsonValue[];
  if (Array.isArray(data)) items = data as readonly PyJsonValue[];
  else if (typeof data === "string") items = Array.from(data);
  else if (data instanceof Map) items = [...data.keys()];
  else throw new ResultPyError("TypeError", `${path}: a JSON ${pyTypeName(data)} is not iterable`);
  return items.map((item, i) => {
    const where = `${path} item ${i + 1}`;
    let acc = judgeInt(field(item, "judge", where), where);
    if (compensated && field(item, "pred", where) === null) acc = 0.25;
    const difficulty = field(item, "difficulty", where);
    const length = field(item, "length", where);
    return { acc, difficulty: typeof difficulty === "string" ? difficulty : "", length: typeof length === "string" ? length : "" };
  });
}

export interface ResultTxt {
  header: string;
  rows: { name: string; values: number[] }[];
  text: string;
}

/** result.py over a results folder, without the write. */
export async function resultTxt(dir: string, options: { compensated?: boolean } = {}): Promise<ResultTxt> {
  const header = ["Model", ...RESULT_COLUMNS].join("\t");
  const rows: ResultTxt["rows"] = [];
  const names = (await readdir(dir)).sort(pyStrCompare);
  for (const file of names) {
    const path = join(dir, file);
    const items = await judgedItems(path, options.compensated ?? false);
    let row;
    try {
      row = resultRow(items);
    } catch (e) {
      if (e instanceof EmptyColumnError) throw new ResultPyError("ZeroDivisionError", `${path}: ${e.message}`);
      throw e;
    }
    const parts = file.split(".");
    const name = parts.slice(0, -1).join(".");
    rows.push({ name, values: RESULT_COLUMNS.map((c) => row[c]) });
  }
  const lines = [header, ...rows.map((r) => [r.name, ...r.values.map(pyFloatRepr)].join("\t"))];
  return { header, rows, text: lines.join("\n") };
}

/** `Benchmark.scoreOfficial` for LongBench v2. */
export async function scoreOfficialDir(
  options: OfficialScoreOptions & { compensated?: boolean },
): Promise<OfficialScoreResult> {
  const dir = resolve(options.predictions);
  if ((options.protocol ?? "official") === "loom") {
    throw new LoomError(
      "OFFICIAL_SCORE",
      "LOOM-Scope's LongBench v2 scorer cannot be reproduced: its evaluation file (benchmarks/Reasoning/LongBench_v2/utils/evaluation/eval.py in loom_scope 0.1) is not available to us",
      { hint: "score with --protocol official (result.py); LOOM-Scope's prompts, budgets and extraction are reproduced in the task table" },
    );
  }
  let result: ResultTxt;
  try {
    result = await resultTxt(dir, { compensated: options.compensated ?? false });
  } catch (e) {
    if (e instanceof ResultPyError) throw new LoomError("OFFICIAL_SCORE", e.message);
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") {
      throw new LoomError("OFFICIAL_SCORE", `cannot list ${dir}`, { hint: "give the results/ folder pred.py writes" });
    }
    throw e;
  }
  const out = resolve(options.out ?? dirname(dir));
  await mkdir(out, { recursive: true });
  const path = join(out, "result.txt");
  await writeFile(path, result.text, "utf8");
  if (result.rows.length === 0) options.log("warn", `longbench-v2: ${dir} holds no results files`);
  return { written: [path], summary: result.text };
}
