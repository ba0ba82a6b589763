/**
 * `loom score l-citeeval --predictions <L-CITEEVAL checkout>`: script/eval_citation.py on every
 * prediction file `result/<exp>/<task>/<shot>shot_<model>.json` of the folder, with the reference
 * data `data/L-CiteEval/<exp>/<task>.json` beside it, writing
 * `result/<exp>/<task>/deberta_score_<name>.json` (under `--out` when given) as the script does
 * (`json.dumps(final_res, indent=2) + "\n"`, `file_path` as `result/<exp>/<task>/<file>`).
 * The NLI judge is required for all tasks but niah and counting_stars, and nltk's English Punkt
 * parameters (`punkt_tab/english`) are looked up where nltk looks (`$NLTK_DATA`, `~/nltk_data`,
 * `<folder>/nltk_data`, /usr/share/nltk_data, /usr/local/share/nltk_data).
 * eval_correct.py is not run: as committed it raises NameError (`low_bound`) on its first sample
 * (l-citeeval, l-citeeval-length) or `argx` (hardness), so it writes nothing; the summary says so.
 * eval_citation.py raises NameError on l-citeeval-hardness too: those files are reported, not scored.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, readdir, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { LoomError, type OfficialScoreOptions, type OfficialScoreResult } from "@loomscope/spec";
import { OfficialScorerError, punktEnglishParameters, pyJsonDumps, pyJsonLoads, pyJsonToJson, type PunktParameters, type PyJsonValue, PyFloat } from "@loomscope/metrics";
import { CATEGORY, bucketOf, type Experiment } from "./tasks.js";
import { autoaisScores, countingStarsCitationScores, niahCitationScores, NoSentencesError } from "./citation.js";
import { citationReport, type BucketKey, type CitationItem } from "./aggregate.js";
import { findPunktTab } from "./punkt-tab.js";
import type { Doc } from "./prompt.js";

const EXPERIMENTS: Experiment[] = ["l-citeeval", "l-citeeval-length", "l-citeeval-hardness"];
type Item = Map<string, PyJsonValue>;

function fail(where: string, message: string): never {
  throw new LoomError("OFFICIAL_SCORE", `${where}: ${message}`);
}

async function readJson(path: string): Promise<PyJsonValue> {
  try {
    return pyJsonLoads(new TextDecoder("utf-8", { fatal: true }).decode(await readFile(path)));
  } catch (e) {
    return fail(path, (e as Error).message);
  }
}

const plain = (v: PyJsonValue | undefined): unknown => (v === undefined ? undefined : pyJsonToJson(v));

/** eval_citation.py for one prediction file against its reference list. */
export async function citationFile(
  preds: readonly Item[],
  refer: readonly Item[],
  experiment: Experiment,
  dataset: string,
  filePath: string,
  options: Pick<OfficialScoreOptions, "judge">,
  sentenceParams: PunktParameters = punktEnglishParameters(),
): Promise<PyJsonValue[]> {
  if (experiment === "l-citeeval-hardness") throw new OfficialScorerError("NameError", "name 'argx' is not defined");
  if (preds.length !== refer.length) throw new OfficialScorerError("AssertionError", "assert len(lst) == len(refer)");
  const buckets = new Map<BucketKey, { pred: Item; ref: Item }[]>();
  refer.forEach((ref, i) => {
    const length = ref.get("length");
    const n = typeof length === "number" ? length : length instanceof PyFloat ? length.value : Number.NaN;
    const label = bucketOf(experiment, dataset, n);
    if (label === null) return;
    const key: BucketKey = Number.parseInt(label, 10) * 1000;
    buckets.set(key, [...(buckets.get(key) ?? []), { pred: preds[i] as Item, ref }]);
  });
  const items: CitationItem[] = [];
  for (const [bucket, list] of buckets) {
    let gold: number | undefined;
    for (const { pred, ref } of list) {
      const gen = pred.get("generation");
      const generation = Array.isArray(gen) ? String(plain(gen[0]) ?? "") : String(plain(gen) ?? "");
      const docs = plain(ref.get("docs")) as Doc[];
      const answer = plain(pred.get("answer"));
      if (dataset === "niah") {
        const s = niahCitationScores(generation, docs, String(answer), gold);
        gold = s.gold;
        items.push({ bucket, scores: s });
      } else if (dataset === "counting_stars") {
        items.push({ bucket, scores: countingStarsCitationScores(generation, docs, answer, filePath.includes("Llama3-ChatQA-2-70B")) });
      } else {
        if (!options.judge) throw new LoomError("NO_JUDGE", `l-citeeval ${dataset}: citation scores need the NLI judge (--judge <backend:model>; official: ${"tasksource/deberta-base-long-nli"})`);
        try {
          items.push({ bucket, scores: await autoaisScores(generation, docs, options.judge, sentenceParams) });
        } catch (e) {
          if (e instanceof NoSentencesError) items.push({ bucket, scores: null });
          else throw e;
        }
      }
    }
  }
  // Buckets keep the refer order of their first member; citationReport walks them in bucket order.
  return citationReport(items, experiment, filePath);
}

export async function scoreOfficialLCiteEval(options: OfficialScoreOptions): Promise<OfficialScoreResult> {
  if ((options.protocol ?? "official") === "loom") {
    throw new LoomError("PROTOCOL", "l-citeeval: LOOM-Scope's scorer reads its own prediction layout (one jsonl per task); only --protocol official re-scores official result folders");
  }
  const root = options.predictions.replace(/\/+$/, "");
  const out = options.out ?? root;
  const sentenceParams = (await findPunktTab(root)) ?? punktEnglishParameters();
  const pending: [string, string][] = [];
  const summary: string[] = [];
  for (const exp of EXPERIMENTS) {
    const expDir = join(root, "result", exp);
    if (!existsSync(expDir)) continue;
    for (const task of (await readdir(expDir)).sort()) {
      if (!(task in CATEGORY)) continue;
      const taskDir = join(expDir, task);
      if (!(await stat(taskDir)).isDirectory()) continue;
      for (const name of (await readdir(taskDir)).sort()) {
        if (!name.endsWith(".json") || name.startsWith("deberta_score_") || name.startsWith("correct_score_")) continue;
        const rel = `result/${exp}/${task}/${name}`;
        const refPath = join(root, "data", "L-CiteEval", exp, `${task}.json`);
        const preds = await readJson(join(taskDir, name));
        const refer = await readJson(refPath);
        if (!Array.isArray(preds) || !Array.isArray(refer)) fail(rel, "prediction and reference files must be JSON lists");
        try {
          const report = await citationFile(preds as Item[], refer as Item[], exp, task, rel, options, sentenceParams);
          const target = join(out, "result", exp, task, `deberta_score_${name.split(".json")[0]}.json`);
          pending.push([target, pyJsonDumps(report, { indent: 2 }) + "\n"]);
          const total = report.at(-1) as Map<string, PyJsonValue>;
          summary.push(`${rel}: citation F1 ${String(plain(total.get("citation_f1")))} (CR ${String(plain(total.get("citation_rec")))}, CP ${String(plain(total.get("citation_prec")))})`);
        } catch (e) {
          if (e instanceof OfficialScorerError) fail(rel, `eval_citation.py stops: ${e.message}`);
          throw e;
        }
        summary.push(`${rel}: eval_correct.py writes nothing (it raises NameError: name '${exp === "l-citeeval-hardness" ? "argx" : "low_bound"}' is not defined)`);
      }
    }
  }
  for (const [p, text] of pending) {
    await mkdir(join(p, ".."), { recursive: true });
    await writeFile(p, text, "utf8");
  }
  return { written: pending.map(([p]) => p), summary: summary.join("\n") };
}
