/**
 * `loom score nolima --predictions DIR`: evaluation/gather_results.ipynb on a results directory.
 *
 * The notebook walks DIR (`os.walk`), skips files whose name contains "direct", loads every other
 * file as one tester output (async_evaluate.py writes `<results_dir>/<test_name>/<eval_name>.json`),
 * summarises it (`get_summarized_result`: `result = np.round(np.mean(metrics), 4)`, token totals,
 * `test_hash`, `seed`, `result_dir` and `results` dropped, `result_name` =
 * `os.path.join(results_dir, root, filename)`), replaces "\n" by " " in string values and writes
 * `gathered_results.csv` with `csv.DictWriter` (header = the first file's keys, `\r\n` line ends,
 * values as Python's `str`). The stored per-sample `metric` values are used, not recomputed.
 * Files are taken in sorted order (Python: file-system order). A file that is not JSON, lacks a
 * field the notebook reads, or has a key the first file lacks (DictWriter raises ValueError) stops
 * everything with an error and nothing is written. Our own gathered_results.csv is not read back.
 * LOOM-Scope's NoLiMa scorer is not reproduced (its files were not in the package index).
 */
import { mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { OfficialScorerError, PyJsonDecodeError, fromJson, numpyMean, numpyRound, pyCsvField, pyJsonLoads, pyRepr, pyStr, pyStrText, type PyValue } from "@loomscope/metrics";
import type { OfficialScoreOptions, OfficialScoreResult } from "@loomscope/spec";

// ---------------------------------------------------------------------------------------------
// The notebook

type Entries = [string, PyValue][];
const keyText = (k: PyValue): string => (k.kind === "str" ? pyStrText(k) : pyRepr(k));

/** posixpath.join. */
export function pyJoin(...parts: string[]): string {
  let out = "";
  for (const p of parts) {
    if (p.startsWith("/")) out = p;
    else if (out === "" || out.endsWith("/")) out += p;
    else out += "/" + p;
  }
  return out;
}

function get(entries: Entries, key: string, where: string): PyValue {
  const e = entries.find(([k]) => k === key);
  if (!e) throw new OfficialScorerError("KeyError", `${where}: '${key}'`);
  return e[1];
}
function del(entries: Entries, key: string, where: string): void {
  const at = entries.findIndex(([k]) => k === key);
  if (at < 0) throw new OfficialScorerError("KeyError", `${where}: '${key}'`);
  entries.splice(at, 1);
}
function set(entries: Entries, key: string, value: PyValue): void {
  const e = entries.find(([k]) => k === key);
  if (e) e[1] = value;
  else entries.push([key, value]);
}

const pyNumber = (v: PyValue, where: string): number => {
  if (v.kind === "int") return Number(v.value);
  if (v.kind === "float") return v.value;
  if (v.kind === "bool") return v.value ? 1 : 0;
  throw new OfficialScorerError("TypeError", `${where}: not a number`);
};

/** `get_summarized_result(data)` plus `result_name`. */
export function summarize(data: PyValue, resultName: string, where: string): Entries {
  if (data.kind !== "dict") throw new OfficialScorerError("TypeError", `${where}: not a JSON object`);
  const entries: Entries = data.entries.map(([k, v]) => [keyText(k), v]);
  const results = get(entries, "results", where);
  if (results.kind !== "list") throw new OfficialScorerError("TypeError", `${where}: results is not a list`);
  const field = (r: PyValue, key: string): PyValue => {
    if (r.kind !== "dict") throw new OfficialScorerError("TypeError", `${where}: a result is not an object`);
    const e = r.entries.find(([k]) => keyText(k) === key);
    if (!e) throw new OfficialScorerError("KeyError", `${where}: '${key}'`);
    return e[1];
  };
  const metrics = results.items.map((r) => pyNumber(field(r, "metric"), where));
  const mean = metrics.length === 0 ? NaN : numpyMean(metrics);
  set(entries, "result", { kind: "float", value: Number.isNaN(mean) ? NaN : numpyRound(mean, 4) });
  const total = (key: string): PyValue => {
    let sum = 0n;
    for (const r of results.items) {
      const v = field(r, key);
      if (v.kind === "int") sum += v.value;
      else if (v.kind === "bool") sum += v.value ? 1n : 0n;
      else throw new OfficialScorerError("TypeError", `${where}: ${key} is not an int`);
    }
    return { kind: "int", value: sum };
  };
  set(entries, "total_input_tokens", total("prompt_tokens"));
  set(entries, "total_output_tokens", total("completion_tokens"));
  if (entries.some(([k]) => k === "test_hash")) {
    del(entries, "test_hash", where);
    del(entries, "seed", where);
  }
  del(entries, "result_dir", where);
  del(entries, "results", where);
  set(entries, "result_name", pyStr(resultName));
  return entries;
}

/** csv's `str(value)` after clean_dict (top-level strings have "\n" replaced by " "). */
function cell(v: PyValue): string {
  if (v.kind === "str") return pyStrText(v).replace(/\n/g, " ");
  if (v.kind === "none") return "";
  return pyRepr(v);
}
/** csv QUOTE_MINIMAL with the excel dialect. */

/** gathered_results.csv for summarised rows (in order). */
export function gatheredCsv(rows: readonly Entries[]): string {
  if (rows.length === 0) throw new OfficialScorerError("IndexError", "no results (cleaned_results[0])");
  const keys = (rows[0] as Entries).map(([k]) => k);
  const lines = [keys.map(pyCsvField).join(",")];
  for (const row of rows) {
    const extra = row.map(([k]) => k).filter((k) => !keys.includes(k));
    if (extra.length > 0) throw new OfficialScorerError("ValueError", `dict contains fields not in fieldnames: ${extra.map((k) => `'${k}'`).join(", ")}`);
    lines.push(keys.map((k) => {
      const e = row.find(([rk]) => rk === k);
      return e ? pyCsvField(cell(e[1])) : "";
    }).join(","));
  }
  return lines.join("\r\n") + "\r\n";
}

/** `gather_results(results_dir)`: files under DIR in sorted walk order, "direct" ones skipped. */
export async function gatherResults(resultsDir: string): Promise<Entries[]> {
  const out: Entries[] = [];
  const walk = async (root: string): Promise<void> => {
    const names = (await readdir(root)).sort();
    const files: string[] = [];
    const dirs: string[] = [];
    for (const n of names) ((await stat(join(root, n))).isDirectory() ? dirs : files).push(n);
    for (const f of files) {
      if (f.includes("direct")) continue;
      if (root === resultsDir && f === "gathered_results.csv") continue;
      const where = pyJoin(root, f);
      let data: PyValue;
      try {
        data = fromJson(pyJsonLoads(await readFile(join(root, f), "utf8")));
      } catch (e) {
        if (e instanceof PyJsonDecodeError) throw new OfficialScorerError(e.pythonError, `${where}: ${e.message}`);
        throw e;
      }
      out.push(summarize(data, pyJoin(resultsDir, root, f), where));
    }
    for (const d of dirs) await walk(pyJoin(root, d));
  };
  await walk(resultsDir);
  return out;
}

export async function scoreOfficial(options: OfficialScoreOptions): Promise<OfficialScoreResult> {
  if ((options.protocol ?? "official") === "loom") {
    throw new OfficialScorerError(
      "NotImplementedError",
      "LOOM-Scope's NoLiMa scorer (benchmarks/Retrieve/NoLiMa/utils/evaluation/eval.py) was not available to port; use protocol official",
    );
  }
  const rows = await gatherResults(options.predictions);
  const csv = gatheredCsv(rows);
  const out = options.out ?? options.predictions;
  await mkdir(out, { recursive: true });
  const path = join(out, "gathered_results.csv");
  await writeFile(path, csv);
  const results = rows.map((r) => r.find(([k]) => k === "result")?.[1]);
  const summary = `NoLiMa: ${rows.length} result files gathered (mean result ${
    results.length ? (results.reduce((a, v) => a + (v && v.kind === "float" ? v.value : 0), 0) / results.length).toFixed(4) : "n/a"
  })`;
  options.log("info", summary);
  return { written: [path], summary };
}
