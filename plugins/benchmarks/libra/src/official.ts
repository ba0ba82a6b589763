/**
 * `loom score libra --predictions <path>`: eval.py (ai-forever/LIBRA @ 94dcac0), re-done. The
 * official script reads ONE predictions file (`python eval.py -p predictions/<name>.json`, the
 * JSON predict.py writes: {dataset: [{length, model_answer, positive_outputs, negative_outputs}]})
 * and writes `results/<name>.json` (`"results/" + path.split("/")[1]`), a sibling of the
 * predictions folder, with `json.dump(results)`. Here `<path>` is such a file or a folder of them
 * (each `*.json` scored in name order); results go to `--out` or to `<parent>/results/`.
 * Official crash cases are errors that write nothing: a dataset the config does not know
 * (KeyError), a row without positive outputs (max() of an empty list).
 */
import { readFile, readdir, stat, mkdir, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { z } from "zod";
import { pyFloat, pyJsonDumps, pyJsonStr, pyFloatRepr, OfficialScorerError, type PyJsonValue } from "@loomscope/metrics";
import { LoomError, type OfficialScoreOptions, type OfficialScoreResult } from "@loomscope/spec";
import { datasetResult, totalScore } from "./aggregate.js";
import { metricFunction, type LibraMetricName } from "./metrics.js";
import { TASK_IDS, metricNameOf } from "./tasks.js";

/** One prediction as predict.py writes it. */
export const PredictionRowSchema = z
  .object({
    length: z.string(),
    model_answer: z.string(),
    positive_outputs: z.array(z.union([z.string(), z.number()])),
    negative_outputs: z.array(z.string()),
  })
  .passthrough();
export const PredictionsFileSchema = z.record(z.string(), z.array(PredictionRowSchema));

/**
 * eval.py's per-sample score with its Python type: `f1_score` returns the int 0 when nothing
 * overlaps and `max()` keeps the first maximal element, which shows in the output only where a
 * length's raw list is written (lengths the config does not list).
 */
export function officialSampleScore(
  metric: LibraMetricName,
  row: z.infer<typeof PredictionRowSchema>,
): { value: number; isInt: boolean } {
  if (row.positive_outputs.length === 0) {
    throw new OfficialScorerError("ValueError", "positive_outputs is empty: max() arg is an empty sequence");
  }
  const f = metricFunction(metric, "official");
  let best = -Infinity;
  let isInt = false;
  for (const p of row.positive_outputs) {
    const v = f(row.model_answer, pyJsonStr(p));
    if (v > best) {
      best = v;
      isInt = metric === "f1" && v === 0;
    }
  }
  const negatives = row.negative_outputs;
  if (negatives.length > 0) {
    let n = 0;
    for (const neg of negatives) if (row.model_answer.includes(neg)) n++;
    isInt = false;
    if (n === negatives.length) best = 0.0;
    else {
      best -= (1.0 / negatives.length) * n;
      if (best < 0) best = 0.0;
    }
  }
  return { value: best, isInt };
}

/** The results dict eval.py saves for one predictions object, as a JSON text. */
export function officialResults(predictions: z.infer<typeof PredictionsFileSchema>, file = "predictions"): { json: string; total: number; datasets: Record<string, number> } {
  const out: Record<string, PyJsonValue> = {};
  const totals: number[] = [];
  const datasets: Record<string, number> = {};
  for (const [dataset, rows] of Object.entries(predictions)) {
    if (!TASK_IDS.includes(dataset)) {
      throw new LoomError("OFFICIAL_SCORE", `${file}: dataset "${dataset}" is not in configs/datasets_config.json (eval.py raises KeyError)`);
    }
    const metric = metricNameOf(dataset);
    const byLength = new Map<string, number[]>();
    const rawByLength = new Map<string, PyJsonValue[]>();
    rows.forEach((row, i) => {
      let s: { value: number; isInt: boolean };
      try {
        s = officialSampleScore(metric, row);
      } catch (e) {
        throw new LoomError("OFFICIAL_SCORE", `${file}: ${dataset}[${i}]: ${(e as Error).message}`);
      }
      byLength.set(row.length, [...(byLength.get(row.length) ?? []), s.value]);
      rawByLength.set(row.length, [...(rawByLength.get(row.length) ?? []), s.isInt ? s.value : pyFloat(s.value)]);
    });
    const r = datasetResult(dataset, byLength);
    const entry: Record<string, PyJsonValue> = {};
    // Key order: lengths as first seen, then configured lengths with no prediction, then the total.
    for (const l of byLength.keys()) entry[l] = r.lengths.has(l) ? pyFloat(r.lengths.get(l) as number) : (rawByLength.get(l) as PyJsonValue[]);
    for (const [l, v] of r.lengths) if (!byLength.has(l)) entry[l] = v;
    entry["dataset_total_score"] = pyFloat(r.total);
    out[dataset] = entry;
    totals.push(r.total);
    datasets[dataset] = r.total;
  }
  const total = totalScore(totals);
  out["total_score"] = pyFloat(total);
  return { json: pyJsonDumps(out), total, datasets };
}

async function predictionFiles(path: string): Promise<string[]> {
  const s = await stat(path);
  if (s.isFile()) return [path];
  const names = (await readdir(path)).filter((n) => n.endsWith(".json")).sort();
  return names.map((n) => join(path, n));
}

export async function scoreOfficialLibra(options: OfficialScoreOptions): Promise<OfficialScoreResult> {
  if ((options.protocol ?? "official") === "loom") {
    throw new LoomError("OFFICIAL_SCORE", "libra: re-scoring LOOM-Scope prediction folders (protocol loom) is not implemented", {
      hint: "use protocol official, or score a run directory with loom score <run-dir> --protocol loom",
    });
  }
  const path = resolve(options.predictions);
  const files = await predictionFiles(path);
  if (files.length === 0) throw new LoomError("OFFICIAL_SCORE", `libra: no *.json predictions file in ${path}`);
  const base = (await stat(path)).isFile() ? dirname(path) : path;
  const outDir = options.out ?? join(dirname(base), "results");
  // Score everything before writing anything: an official crash writes nothing.
  const outputs: [string, string, string][] = [];
  for (const file of files) {
    let raw: unknown;
    try {
      raw = JSON.parse(await readFile(file, "utf8"));
    } catch (e) {
      throw new LoomError("OFFICIAL_SCORE", `${file}: not JSON (${(e as Error).message})`);
    }
    const parsed = PredictionsFileSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new LoomError("OFFICIAL_SCORE", `${file}: ${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid"}`);
    }
    const { json, total } = officialResults(parsed.data, file);
    outputs.push([join(outDir, basename(file)), json, `${basename(file)}: total_score ${pyFloatRepr(total)}`]);
  }
  await mkdir(outDir, { recursive: true });
  for (const [target, json] of outputs) await writeFile(target, json, "utf8");
  options.log("info", `libra: evaluations were saved in ${outDir}`);
  return { written: outputs.map((o) => o[0]), summary: outputs.map((o) => o[2]).join("\n") };
}
