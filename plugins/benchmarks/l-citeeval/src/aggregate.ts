/**
 * L-CiteEval's reports from per-sample values:
 * - eval_citation.py: per length bucket (in bucket order, empty ones left out) and in total,
 *   `round(100 * np.mean(x), 2)` (numpy's round) of recall / precision / F1, `np.mean` of the
 *   citation counts, the file path and the sample count; samples compute_autoais skips (no
 *   sentence) are in no list but in the bucket's sample_num; the total's sample_num counts scored ones;
 * - eval_correct.py: per bucket `round(100 * sum / n, 2)` (Python's round; counting_stars:
 *   `round(np.mean(acc), 2)`), "all" = `round(100 * (sum of the bucket sums) / len(all samples), 2)`
 *   where all samples includes those in no bucket. The script as committed raises NameError
 *   (`low_bound`) on its first sample; we assign buckets as it does with `low_bound = 0`, which is
 *   eval_citation.py's `lower <= length < upper` for every positive length.
 */
import type { AggregateCell, BenchmarkAggregate, JsonObject, ResultTable } from "@loomscope/spec";
import { PyFloat, numpyMean, numpyRound, pythonRound, type PyJsonValue } from "@loomscope/metrics";
import { LENGTH_BUCKETS, type Experiment } from "./tasks.js";
import { QA_TASKS, SUMMARY_TASKS } from "./correctness.js";
import { loomTaskScore } from "./loom.js";

/** LOOM-Scope: per task `round(100 * sum / n, 2)` of its citation F1 (and of its correctness metric in groups). */
function aggregateLoom(cells: readonly AggregateCell[]): BenchmarkAggregate {
  const byTask = new Map<string, AggregateCell[]>();
  for (const c of cells) byTask.set(c.task, [...(byTask.get(c.task) ?? []), c]);
  const tasks: Record<string, number | null> = {};
  const groups: Record<string, number | null> = {};
  const cellsOut: Record<string, Record<string, number | null>> = {};
  for (const [task, list] of byTask) {
    tasks[task] = loomTaskScore(list.flatMap((c) => c.values["citation_f1"] ?? []));
    for (const m of ["f1", "rouge-l", "rouge-1", "acc"]) {
      const v = list.flatMap((c) => c.values[m] ?? []);
      if (v.length > 0) groups[`${m}:${task}`] = loomTaskScore(v);
    }
    cellsOut[task] = {};
  }
  const present = Object.values(tasks).filter((v): v is number => v !== null);
  return { score: present.length ? present.reduce((a, b) => a + b, 0) / present.length : null, tasks, cells: cellsOut, groups };
}

export type BucketKey = number | string;

export interface CitationItem {
  bucket: BucketKey | null;
  /** null: compute_autoais skipped the sample (no sentence). citeNum null: counting_stars appended none. */
  scores: { recall: number; precision: number; f1: number; citeNum: number | null } | null;
}

const f = (x: number): PyFloat => new PyFloat(x);

/** eval_citation.py's `final_res` for one prediction file. */
export function citationReport(items: readonly CitationItem[], experiment: Experiment, filePath: string): PyJsonValue[] {
  const out: PyJsonValue[] = [];
  const all = { rec: [] as number[], prec: [] as number[], f1: [] as number[], num: [] as number[] };
  for (const b of LENGTH_BUCKETS[experiment]) {
    const inBucket = items.filter((x) => x.bucket === b);
    if (inBucket.length === 0) continue;
    const scored = inBucket.flatMap((x) => (x.scores ? [x.scores] : []));
    const rec = scored.map((s) => s.recall);
    const prec = scored.map((s) => s.precision);
    const f1 = scored.map((s) => s.f1);
    const num = scored.flatMap((s) => (s.citeNum === null ? [] : [s.citeNum]));
    all.rec.push(...rec);
    all.prec.push(...prec);
    all.f1.push(...f1);
    all.num.push(...num);
    out.push(new Map<string, PyJsonValue>([
      ["length", b],
      ["citation_rec", f(numpyRound(100 * numpyMean(rec), 2))],
      ["citation_prec", f(numpyRound(100 * numpyMean(prec), 2))],
      ["citation_f1", f(numpyRound(100 * numpyMean(f1), 2))],
      ["cite_num", f(numpyMean(num))],
      ["file_path", filePath],
      ["sample_num", inBucket.length],
    ]));
  }
  out.push(new Map<string, PyJsonValue>([
    ["length", "total"],
    ["citation_rec", f(numpyRound(100 * numpyMean(all.rec), 2))],
    ["citation_prec", f(numpyRound(100 * numpyMean(all.prec), 2))],
    ["citation_f1", f(numpyRound(100 * numpyMean(all.f1), 2))],
    ["cite_num", f(numpyMean(all.num))],
    ["file_path", filePath],
    ["sample_num", all.rec.length],
  ]));
  return out;
}

export interface CorrectnessItem {
  bucket: BucketKey | null;
  values: Record<string, number>;
  /**
   * counting_stars: the answer was not JSON, so eval_correct.py appended 0 and `continue`d before
   * updating `res['acc'][leng]`: the bucket's value is the mean as of its last other sample (and the
   * bucket is missing from "acc" when it has no other sample).
   */
  continued?: boolean;
}

/** Buckets as eval_correct.py assigns them with `low_bound = 0`: the first upper bound above a positive length. */
export function correctnessBucket(experiment: Experiment, dataset: string, length: number, hardness?: string): BucketKey | null {
  if (experiment === "l-citeeval-hardness") return hardness ?? null;
  for (const upper of LENGTH_BUCKETS[experiment] as number[]) {
    if (experiment === "l-citeeval" && dataset === "multi_news" && length > 40000) return 40000;
    if (0 < length && length < upper) return upper;
  }
  return null;
}

/** eval_correct.py's `res` for one task. */
export function correctnessReport(dataset: string, items: readonly CorrectnessItem[], experiment: Experiment): Map<string, PyJsonValue> {
  const buckets = LENGTH_BUCKETS[experiment].filter((b) => items.some((x) => x.bucket === b));
  const res = new Map<string, PyJsonValue>();
  const metrics = QA_TASKS.includes(dataset) ? ["f1", "precision", "recall"] : SUMMARY_TASKS.includes(dataset) ? ["rouge-l"] : dataset === "niah" ? ["rouge-1"] : ["acc"];
  const tables = new Map(metrics.map((m) => [m, new Map<string, PyJsonValue>()] as const));
  for (const m of metrics) res.set(m, tables.get(m) as Map<string, PyJsonValue>);
  const totals = new Map<string, number>(metrics.map((m) => [m, 0]));
  for (const b of buckets) {
    const inBucket = items.filter((x) => x.bucket === b);
    for (const m of metrics) {
      if (m === "acc") {
        const vals = inBucket.map((x) => x.values[m] as number);
        let last = -1;
        inBucket.forEach((x, i) => {
          if (!x.continued) last = i;
        });
        if (last >= 0) (tables.get(m) as Map<string, PyJsonValue>).set(String(b), f(numpyRound(numpyMean(vals.slice(0, last + 1)), 2)));
        let s = 0;
        for (const v of vals) s += v;
        totals.set(m, (totals.get(m) as number) + s);
      } else {
        let s = 0;
        for (const x of inBucket) s += x.values[m] as number;
        (tables.get(m) as Map<string, PyJsonValue>).set(String(b), f(pythonRound((100 * s) / inBucket.length, 2)));
        totals.set(m, (totals.get(m) as number) + s);
      }
    }
  }
  for (const m of metrics) {
    const t = totals.get(m) as number;
    (tables.get(m) as Map<string, PyJsonValue>).set("all", f(pythonRound(m === "acc" ? t / items.length : (100 * t) / items.length, 2)));
  }
  // The QA branch fills precision, recall, f1 per bucket but creates f1, precision, recall first.
  return res;
}

const bucketOfLabel = (experiment: Experiment, label: string | null): BucketKey | null =>
  label === null ? null : (LENGTH_BUCKETS[experiment].find((b) => (typeof b === "number" ? `${b / 1000}k` : b) === label) ?? null);

/** A cell's samples as (meta, scores), from its aligned rows (or, without rows, from its value lists). */
function samplesOf(cell: AggregateCell, metrics: readonly string[]): { meta: JsonObject | null; scores: Record<string, number | null> }[] {
  if (cell.rows) {
    const index = (meta: JsonObject | null): number => (typeof meta?.["index"] === "number" ? meta["index"] : Number.MAX_SAFE_INTEGER);
    return cell.rows
      .map((r, order) => ({ r, order }))
      .sort((a, b) => index(a.r.meta) - index(b.r.meta) || a.order - b.order)
      .map(({ r }) => ({ meta: r.meta, scores: r.scores }));
  }
  const n = Math.max(0, ...metrics.map((m) => cell.values[m]?.length ?? 0));
  return Array.from({ length: n }, (_, i) => ({ meta: cell.meta?.[i] ?? null, scores: Object.fromEntries(metrics.map((m) => [m, cell.values[m]?.[i] ?? null])) }));
}

const num = (v: PyJsonValue | undefined): number | null => {
  const x = v instanceof PyFloat ? v.value : typeof v === "number" ? v : Number.NaN;
  return Number.isNaN(x) ? null : x;
};

export interface LCiteEvalAggregateOptions {
  protocol?: "official" | "loom";
  /** Which citation metrics the run scored: the NLI model's (official) or the LLM substitute (`_llm` ids). */
  citationJudge?: "nli" | "llm";
}

/**
 * The benchmark numbers from run cells. Per task the total citation F1 (0–100, eval_citation.py's
 * report over its buckets), per cell the bucket's; groups: citation recall / precision and the
 * correctness "all" of eval_correct.py with `low_bound = 0` (a labelled repair: the script as
 * committed raises NameError), per task.
 */
export function aggregateLCiteEval(
  cells: readonly AggregateCell[],
  experimentOf: (task: string) => Experiment,
  options: LCiteEvalAggregateOptions | "official" | "loom" = {},
): BenchmarkAggregate {
  const { protocol = "official", citationJudge = "nli" } = typeof options === "string" ? { protocol: options } : options;
  if (protocol === "loom") return aggregateLoom(cells);
  const sfx = citationJudge === "llm" ? "_llm" : "";
  const [F1, REC, PREC] = [`citation_f1${sfx}`, `citation_rec${sfx}`, `citation_prec${sfx}`];
  const tasks: Record<string, number | null> = {};
  const cellsOut: Record<string, Record<string, number | null>> = {};
  const groups: Record<string, number | null> = {};
  const byTask = new Map<string, AggregateCell[]>();
  for (const c of cells) byTask.set(c.task, [...(byTask.get(c.task) ?? []), c]);
  const rows: string[] = [];
  const tableCells: (number | null)[][] = [];
  const correctRows: string[] = [];
  const correctCells: (number | null)[][] = [];
  for (const [task, list] of byTask) {
    const exp = experimentOf(task);
    const dataset = task.replace(/^(length_|hardness_)/, "");
    const citationItems: CitationItem[] = [];
    const correctItems: CorrectnessItem[] = [];
    const correctMetrics = QA_TASKS.includes(dataset) ? ["f1", "precision", "recall"] : SUMMARY_TASKS.includes(dataset) ? ["rouge-l"] : dataset === "niah" ? ["rouge-1"] : ["acc"];
    for (const c of list) {
      for (const { meta, scores } of samplesOf(c, [F1, REC, PREC, "cite_num", ...correctMetrics])) {
        const f1 = scores[F1];
        // A sample compute_autoais skipped (no sentence) is in the bucket's count but in no list.
        citationItems.push({
          bucket: bucketOfLabel(exp, c.length),
          scores: f1 === null || f1 === undefined ? null : { recall: scores[REC] as number, precision: scores[PREC] as number, f1, citeNum: scores["cite_num"] ?? null },
        });
        if (correctMetrics.every((m) => typeof scores[m] === "number")) {
          const length = typeof meta?.["length"] === "number" ? meta["length"] : Number.NaN;
          const hardness = typeof meta?.["hardness"] === "string" ? meta["hardness"] : undefined;
          correctItems.push({ bucket: correctnessBucket(exp, dataset, length, hardness), values: Object.fromEntries(correctMetrics.map((m) => [m, scores[m] as number])) });
        }
      }
    }
    const report = citationReport(citationItems, exp, task);
    const total = report.at(-1) as Map<string, PyJsonValue>;
    tasks[task] = num(total.get("citation_f1"));
    groups[`citation_rec:${task}`] = num(total.get("citation_rec"));
    groups[`citation_prec:${task}`] = num(total.get("citation_prec"));
    cellsOut[task] = {};
    for (const r of report.slice(0, -1) as Map<string, PyJsonValue>[]) {
      const b = r.get("length") as BucketKey;
      cellsOut[task][typeof b === "number" ? `${b / 1000}k` : b] = num(r.get("citation_f1"));
    }
    rows.push(task);
    tableCells.push([num(total.get("citation_rec")), num(total.get("citation_prec")), num(total.get("citation_f1")), num(total.get("cite_num"))]);
    if (correctItems.length > 0) {
      const res = correctnessReport(dataset, correctItems, exp);
      const headline = correctMetrics[0] as string;
      const all = num(((res.get(headline) as Map<string, PyJsonValue>).get("all")));
      groups[`${headline}:${task}`] = all;
      correctRows.push(task);
      correctCells.push([all]);
    }
  }
  const present = Object.values(tasks).filter((v): v is number => v !== null);
  const judged = sfx ? "an LLM judge standing in for the NLI model (a substitute, not the official metric)" : "NLI-judged";
  const tables: ResultTable[] = [
    { title: `L-CiteEval citation quality (eval_citation.py totals; ${judged}, rule-based for niah and counting_stars)`, rows, columns: [REC, PREC, F1, "cite_num"], cells: tableCells },
  ];
  if (correctRows.length) {
    tables.push({
      title: "L-CiteEval generation quality (eval_correct.py \"all\", × 100; a labelled repair: the script as committed raises NameError, here low_bound = 0)",
      rows: correctRows,
      columns: ["headline (f1 / rouge-l / rouge-1 / acc)"],
      cells: correctCells,
    });
  }
  return { score: present.length ? present.reduce((a, b) => a + b, 0) / present.length : null, tasks, cells: cellsOut, groups, tables };
}
