/**
 * `loom score longcite --predictions preds/`: LongBench-Cite's eval_cite.py and eval_correct.py on
 * every `<name>.json` prediction file of the folder (pred_sft.py / pred_one_shot.py write them).
 * Writes, under `--out` (default: the folder's parent when the folder is named `preds`, as the
 * scripts run from LongBench-Cite/, else the folder itself):
 * - `scores_cite/<name>.json.json` and `scores_cite/tmp/<name>.json.jsonl` (eval_cite.py: judged items
 *   sorted by idx, then the result dict);
 * - `scores_correct/<name>.json.json` and `scores_correct/tmp/<name>.json.jsonl` (eval_correct.py).
 * (`save_name` keeps the `.json` of the input and the scripts add another.) The judge's token usage
 * is not known through the Judge interface: `gpt_usage` token counts are written as 0.
 * Items eval_cite.py drops (an exception inside `process`) are left out the same way; where
 * eval_correct.py stops (it re-raises), we stop and write nothing.
 */
import { mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { LoomError, type Judge, type OfficialScoreOptions, type OfficialScoreResult } from "@loomscope/spec";
import { OfficialScorerError, PyFloat, numpyMean, pyFloatRepr, pyJsonDumps, pyJsonLoads, pyTypeName, type PyJsonValue } from "@loomscope/metrics";
import { JUDGE_MODEL, citationScores, itemCorrectness, DATASET_CORRECTNESS, UnexpectedVerdictError, type CitedStatement, type FewShot } from "./judge.js";

/** eval_cite.py `datasets`, in order ("multifieldqa" matches both multifieldqa_en and _zh by substring). */
export const CITE_DATASETS = ["longbench-chat", "multifieldqa_en", "multifieldqa_zh", "multifieldqa", "hotpotqa", "dureader", "gov_report"] as const;
/** Left out of the averages (counted through "multifieldqa"). */
export const AVERAGE_EXCLUDED = ["multifieldqa_en", "multifieldqa_zh"];

type Item = Map<string, PyJsonValue>;

function fail(where: string, message: string): never {
  throw new LoomError("OFFICIAL_SCORE", `${where}: ${message}`);
}

function get(item: Item, key: string): PyJsonValue {
  if (!item.has(key)) throw new OfficialScorerError("KeyError", `'${key}'`);
  return item.get(key) as PyJsonValue;
}

function str(item: Item, key: string): string {
  const v = get(item, key);
  if (typeof v !== "string") throw new OfficialScorerError("TypeError", `"${key}" is a ${pyTypeName(v)}`);
  return v;
}

function statementsOf(item: Item): Map<string, PyJsonValue>[] {
  const v = get(item, "statements");
  if (!Array.isArray(v)) throw new OfficialScorerError("TypeError", `"statements" is a ${pyTypeName(v)}`);
  return v as Map<string, PyJsonValue>[];
}

function toCited(s: Map<string, PyJsonValue>): CitedStatement {
  const citation = s.get("citation");
  return {
    statement: typeof s.get("statement") === "string" ? (s.get("statement") as string) : "",
    citation: (Array.isArray(citation) ? citation : []).map((c) => ({ cite: String((c as Map<string, PyJsonValue>).get("cite") ?? "") })),
  };
}

/** `sorted(opts, key=lambda x: x['idx'])` (stable). */
function byIdx(items: Item[]): Item[] {
  const key = (x: Item): number => {
    const v = x.get("idx");
    return typeof v === "number" ? v : v instanceof PyFloat ? v.value : Number(v);
  };
  return items.map((x, i) => [x, i] as const).sort((a, b) => key(a[0]) - key(b[0]) || a[1] - b[1]).map(([x]) => x);
}

/** `np.mean(values)` as json.dump writes it (a float; NaN for an empty list). */
const npMean = (values: number[]): PyFloat => new PyFloat(numpyMean(values));

function numberOf(v: PyJsonValue | undefined): number {
  return typeof v === "number" ? v : v instanceof PyFloat ? v.value : Number.NaN;
}

/** eval_cite.py's `process` on one item: mutates it as get_citation_score does; null when the script drops it. */
export async function citeItem(item: Item, judge: Judge, log: OfficialScoreOptions["log"], where: string): Promise<Item | null> {
  try {
    const question = str(item, "query");
    const prediction = str(item, "prediction");
    const statements = statementsOf(item);
    const judged = await citationScores(question, prediction, statements.map(toCited), judge);
    judged.support.forEach((s, i) => {
      const st = statements[i] as Map<string, PyJsonValue>;
      st.set("support_output", s.output);
      st.set("support_score", Number.isInteger(s.score) ? s.score : new PyFloat(s.score));
    });
    judged.relevant.forEach((row, i) => {
      const cites = (statements[i] as Map<string, PyJsonValue>).get("citation") as Map<string, PyJsonValue>[];
      row.forEach((r, j) => {
        const c = cites[j] as Map<string, PyJsonValue>;
        c.set("relevant_output", r.output);
        c.set("relevant_score", r.score);
      });
    });
    // auto_scorer.py sums usage['prompt_tokens'] over every call; "No matched citation" has usage None.
    if (judged.support.some((s) => s.output === "No matched citation")) {
      throw new OfficialScorerError("TypeError", "'NoneType' object is not subscriptable (usage of a statement whose citations are empty)");
    }
    item.set("citation_recall", judged.recallIsInt ? 0 : new PyFloat(judged.recall));
    item.set("citation_precision", judged.precisionIsInt ? 0 : new PyFloat(judged.precision));
    item.set("citation_f1", new PyFloat(judged.f1));
    item.set("gpt_usage", new Map<string, PyJsonValue>([["prompt_tokens", 0], ["completion_tokens", 0]]));
    get(item, "answer");
    item.delete("answer");
    get(item, "few_shot_scores");
    item.delete("few_shot_scores");
    return item;
  } catch (e) {
    if (e instanceof OfficialScorerError || e instanceof UnexpectedVerdictError) {
      log("warn", `longcite: ${where}: eval_cite.py leaves this item out (${e.message})`);
      return null;
    }
    throw e;
  }
}

/** eval_cite.py's result dict for the judged items `opts` of the inputs `ipts`. */
export function citeResult(opts: readonly Item[], ipts: readonly Item[]): Map<string, PyJsonValue> {
  const ds = (x: Item): string => String(x.get("dataset") ?? "");
  const scores = new Map<string, PyJsonValue>();
  const perDataset = new Map<string, [number, number, number]>();
  for (const dataset of CITE_DATASETS) {
    const parts = opts.filter((x) => ds(x).includes(dataset));
    const r = numpyMean(parts.map((x) => numberOf(x.get("citation_recall"))));
    const p = numpyMean(parts.map((x) => numberOf(x.get("citation_precision"))));
    const f = numpyMean(parts.map((x) => numberOf(x.get("citation_f1"))));
    perDataset.set(dataset, [r, p, f]);
    const finish = opts.filter((x) => ds(x).includes(dataset)).length === ipts.filter((x) => ds(x).includes(dataset)).length;
    scores.set(dataset, new Map<string, PyJsonValue>([
      ["citation_recall", new PyFloat(r)],
      ["citation_precision", new PyFloat(p)],
      ["citation_f1", new PyFloat(f)],
      ["finish", finish],
    ]));
  }
  const kept = CITE_DATASETS.filter((d) => !AVERAGE_EXCLUDED.includes(d)).map((d) => perDataset.get(d) as [number, number, number]);
  return new Map<string, PyJsonValue>([
    ["scores", scores],
    ["avg_citation_recall", npMean(kept.map((x) => x[0]))],
    ["avg_citation_precision", npMean(kept.map((x) => x[1]))],
    ["avg_citation_f1", npMean(kept.map((x) => x[2]))],
    ["finish", opts.length === ipts.length],
    ["gpt_usage", new Map<string, PyJsonValue>([["prompt_tokens", 0], ["completion_tokens", 0], ["gpt_model", JUDGE_MODEL]])],
  ]);
}

/** eval_correct.py's `process` on one item (it re-raises: any failure stops the script). */
export async function correctItem(item: Item, judge: Judge): Promise<Item> {
  const dataset = str(item, "dataset");
  const query = str(item, "query");
  const answers = get(item, "answer");
  const prediction = str(item, "prediction");
  const few = get(item, "few_shot_scores");
  get(item, "statements");
  item.delete("few_shot_scores");
  item.delete("statements");
  const fewShots: FewShot[] = (Array.isArray(few) ? few : []).map((f) => ({
    answer: String((f as Map<string, PyJsonValue>).get("answer") ?? ""),
    score: (f as Map<string, PyJsonValue>).get("score") ?? null,
  }));
  const list = Array.isArray(answers) ? (answers as PyJsonValue[]) : typeof answers === "string" ? Array.from(answers) : [];
  const r = await itemCorrectness(dataset, query, list.map(String), prediction, judge, fewShots);
  item.set("score", r.scoreIsInt ? r.score : new PyFloat(r.score));
  item.set("gpt_usage", new Map<string, PyJsonValue>([["prompt_tokens", 0], ["completion_tokens", 0], ["responses", r.responses]]));
  return item;
}

/** eval_correct.py's result dict. */
export function correctResult(opts: readonly Item[], ipts: readonly Item[]): Map<string, PyJsonValue> {
  const ds = (x: Item): string => String(x.get("dataset") ?? "");
  const scores = new Map<string, PyJsonValue>();
  const perDataset: number[] = [];
  for (const dataset of Object.keys(DATASET_CORRECTNESS)) {
    const parts = opts.filter((x) => ds(x).includes(dataset));
    const score = parts.length > 0 ? numpyMean(parts.map((x) => numberOf(x.get("score")))) : 0;
    if (!AVERAGE_EXCLUDED.includes(dataset)) perDataset.push(score);
    const finish = parts.length === ipts.filter((x) => ds(x).includes(dataset)).length;
    scores.set(dataset, new Map<string, PyJsonValue>([["gpt_score", parts.length > 0 ? new PyFloat(score) : 0], ["finish", finish]]));
  }
  return new Map<string, PyJsonValue>([
    ["scores", scores],
    ["avg_gpt_score", npMean(perDataset)],
    ["finish", opts.length === ipts.length],
    ["gpt_usage", new Map<string, PyJsonValue>([["prompt_tokens", 0], ["completion_tokens", 0], ["gpt_model", JUDGE_MODEL]])],
  ]);
}

async function readPredFile(path: string): Promise<Item[]> {
  let value: PyJsonValue;
  try {
    value = pyJsonLoads(new TextDecoder("utf-8", { fatal: true }).decode(await readFile(path)));
  } catch (e) {
    return fail(path, `json.load fails (${(e as Error).message})`);
  }
  if (!Array.isArray(value) || value.some((x) => !(x instanceof Map))) fail(path, "not a JSON list of objects");
  return value as Item[];
}

const dumpLines = (items: readonly Item[]): string => items.map((x) => pyJsonDumps(x, { ensureAscii: false }) + "\n").join("");
const dumpAll = (items: readonly PyJsonValue[]): string => pyJsonDumps(items, { ensureAscii: false, indent: 2 });

export async function scoreOfficialLongCite(options: OfficialScoreOptions): Promise<OfficialScoreResult> {
  if ((options.protocol ?? "official") === "loom") {
    throw new LoomError("PROTOCOL", "LOOM-Scope has no LongBench-Cite (loom-scope 0.1 lists none): only --protocol official exists for longcite");
  }
  const judge = options.judge;
  if (!judge) throw new LoomError("NO_JUDGE", "longcite: every LongBench-Cite score is judged: pass --judge <backend:model>", { hint: "e.g. --judge openai:gpt-4o-2024-05-13" });
  const dir = options.predictions.replace(/\/+$/, "");
  const out = options.out ?? (basename(dir) === "preds" ? dirname(dir) : dir);
  const files = (await readdir(dir)).filter((f) => f.endsWith(".json")).sort();
  const pending: [string, string][] = [];
  const summary: string[] = [];
  for (const name of files) {
    const path = join(dir, name);
    // eval_cite.py
    const citeInputs = (await readPredFile(path)).filter((x) => (CITE_DATASETS as readonly string[]).includes(String(x.get("dataset"))));
    const cited: Item[] = [];
    for (const [i, item] of citeInputs.entries()) {
      const r = await citeItem(item, judge, options.log, `${path}[${i}]`);
      if (r !== null) cited.push(r);
    }
    const citeOpts = byIdx(cited);
    const citeRes = citeResult(citeOpts, citeInputs);
    pending.push([join(out, "scores_cite", "tmp", `${name}.jsonl`), dumpLines(cited)]);
    pending.push([join(out, "scores_cite", `${name}.json`), dumpAll([...citeOpts, citeRes])]);
    // eval_correct.py (reads the file afresh)
    const correctInputs = (await readPredFile(path)).filter((x) => String(x.get("dataset")) in DATASET_CORRECTNESS);
    const corrected: Item[] = [];
    for (const [i, item] of correctInputs.entries()) {
      try {
        corrected.push(await correctItem(item, judge));
      } catch (e) {
        if (e instanceof OfficialScorerError) fail(`${path}[${i}]`, `eval_correct.py stops: ${e.message}`);
        throw e;
      }
    }
    const correctOpts = byIdx(corrected);
    const correctRes = correctResult(correctOpts, correctInputs);
    pending.push([join(out, "scores_correct", "tmp", `${name}.jsonl`), dumpLines(corrected)]);
    pending.push([join(out, "scores_correct", `${name}.json`), dumpAll([...correctOpts, correctRes])]);
    const f1 = (citeRes.get("avg_citation_f1") as PyFloat).value;
    const gs = (correctRes.get("avg_gpt_score") as PyFloat).value;
    summary.push(`${name}: avg_citation_f1 ${pyFloatRepr(f1)}, avg_gpt_score ${pyFloatRepr(gs)} (judge ${judge.id})`);
  }
  for (const [p, text] of pending) {
    await mkdir(dirname(p), { recursive: true });
    await writeFile(p, text, "utf8");
  }
  return { written: pending.map(([p]) => p), summary: summary.join("\n") };
}
