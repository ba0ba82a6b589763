/**
 * `loom score loogle --predictions DIR`: LooGLE's Evaluation/ scripts, re-done over an `Output/`
 * folder. Every `<task>_<model>.jsonl` (task one of the four) is one official run:
 * `automatic_eval.py --task <task> --model_name <model> --eval_metric automatic_sim` for QA and
 * summaries, `--eval_metric automatic_match` for cloze, and, with a judge, `llm_eval.py`. The
 * scripts only print a dict; `score_official.json` holds those dicts keyed by file, with the
 * printed keys. BERTScore (part of automatic_sim) is not computed: its key is absent and named
 * under "not_computed". Where a script would stop (empty file, a line without qa_pairs, an empty
 * side for rouge, a judge reply int() cannot read, ...), this stops and writes nothing.
 *
 * Protocol loom follows LOOM-Scope 0.1's automatic_eval.py instead (see `scoreLoom`).
 *
 * The METEOR set order follows the declared option `pythonHashSeed` (default 0), recorded in the
 * output as `python_hash_seed`.
 */
import { createReadStream } from "node:fs";
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { z } from "zod";
import { OfficialScorerError, categorizeLength, pyJsonDumps, type PyJsonValue } from "@loomscope/metrics";
import { LoomError, type OfficialScoreOptions, type OfficialScoreResult } from "@loomscope/spec";
import { judgeAccuracy, loomMean, loomPerSample, matchScore, semanticMatching } from "./aggregate.js";
import { BERTSCORE_REFUSAL, getBleuScore, getExactMatch, getMeteorScore, getPartialMatch, getRougeScore, judgeVerdict, officialHypothesis } from "./metrics.js";
import { TASK_IDS, type LoogleTaskId } from "./tasks.js";

/** One line of a prediction file as Prediction/*.py write it. */
export const OutputLineSchema = z
  .object({
    qa_pairs: z.union([z.literal("none"), z.array(z.object({ Q: z.string() }).passthrough())]).optional(),
    llm_output: z.array(z.union([z.string(), z.record(z.string(), z.unknown())])),
    output: z.array(z.union([z.string(), z.record(z.string(), z.string())])),
  })
  .passthrough();
export type OutputLine = z.infer<typeof OutputLineSchema>;

const FILE_RE = new RegExp(`^(${TASK_IDS.join("|")})_(.+)\\.jsonl$`);

function fail(where: string, message: string, hint?: string): never {
  throw new LoomError("OFFICIAL_SCORE", `${where}: ${message}`, hint === undefined ? undefined : { hint });
}

async function readLines(path: string): Promise<OutputLine[]> {
  const rl = createInterface({ input: createReadStream(path, { encoding: "utf8" }), crlfDelay: Infinity });
  const out: OutputLine[] = [];
  let n = 0;
  for await (const text of rl) {
    n++;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      fail(`${path}:${n}`, `not JSON (${(e as Error).message}); json.loads raises`);
    }
    const parsed = OutputLineSchema.safeParse(raw);
    if (!parsed.success) fail(`${path}:${n}`, `not a LooGLE prediction line: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
    out.push(parsed.data);
  }
  return out;
}

/** The (question, reference, hypothesis) triples `evaluation()` walks, with its crash cases. */
function triples(path: string, lines: readonly OutputLine[]): { question: string; ref: string | Record<string, string>; hyp: string | Record<string, unknown>; where: string }[] {
  const out: { question: string; ref: string | Record<string, string>; hyp: string | Record<string, unknown>; where: string }[] = [];
  lines.forEach((line, k) => {
    const where = `${path}:${k + 1}`;
    line.output.forEach((ref, i) => {
      if (line.qa_pairs === undefined) fail(where, "no qa_pairs key, so `question` is unbound (UnboundLocalError)");
      const hyp = line.llm_output[i];
      if (hyp === undefined) fail(where, `llm_output has no item ${i} (IndexError)`);
      const question = line.qa_pairs === "none" ? "" : (line.qa_pairs[i]?.Q ?? fail(where, `qa_pairs has no item ${i} (IndexError)`));
      out.push({ question, ref, hyp, where: `${where} item ${i}` });
    });
  });
  return out;
}

async function scoreFile(path: string, task: LoogleTaskId, options: OfficialScoreOptions, hashSeed: number): Promise<Record<string, PyJsonValue>> {
  const lines = await readLines(path);
  const items = triples(path, lines);
  if (items.length === 0) fail(path, "no QA pair to score: the official script's score_result stays empty and it raises KeyError");
  const result: Record<string, PyJsonValue> = {};
  const guard = <T>(where: string, f: () => T): T => {
    try {
      return f();
    } catch (e) {
      if (e instanceof OfficialScorerError) fail(where, e.message);
      throw e;
    }
  };
  if (task === "shortdep_cloze") {
    const exact: [number, number][] = [];
    const partial: [number, number][] = [];
    for (const it of items) {
      if (typeof it.ref === "string") fail(it.where, "a cloze reference must be a dict (len() of a str counts characters)");
      const hyp = typeof it.hyp === "string" ? officialHypothesis(it.hyp) : (it.hyp as Record<string, never>);
      exact.push(getExactMatch(it.ref, hyp));
      partial.push(guard(it.where, () => getPartialMatch(it.ref as Record<string, string>, hyp)));
    }
    result["automatic_match"] = { get_exact_match: matchScore(exact), get_partial_match: matchScore(partial) };
  } else {
    const bleu: [number, number][] = [];
    const rouge: [number, number, number][] = [];
    const meteor: number[] = [];
    for (const it of items) {
      if (typeof it.ref !== "string" || typeof it.hyp !== "string") fail(it.where, "reference and prediction must be str (.replace fails otherwise)");
      const hyp = officialHypothesis(it.hyp);
      const ref = it.ref;
      bleu.push(getBleuScore(ref, hyp));
      rouge.push(guard(it.where, () => getRougeScore(ref, hyp)));
      meteor.push(getMeteorScore(ref, hyp, hashSeed));
    }
    const sim = semanticMatching({ bleu, rouge, meteor });
    result["automatic_sim"] = { get_bleu_score: sim.get_bleu_score, get_rouge_score: sim.get_rouge_score, get_meteor_score: sim.get_meteor_score };
    result["not_computed"] = [`get_bertscore: ${BERTSCORE_REFUSAL}`];
    if (options.judge) {
      const replies: (string | number)[] = [];
      for (const it of items) {
        const v = await judgeVerdict(options.judge, task, it.question, it.ref as string, it.hyp as string).catch((e: unknown) => {
          if (e instanceof OfficialScorerError) fail(it.where, e.message);
          throw e;
        });
        replies.push(v);
      }
      result["llm"] = { get_gpt4_score: guard(path, () => judgeAccuracy(task, replies)), judge: options.judge.id };
    }
  }
  return result;
}

/** The METEOR hash seed of a scoring call: the declared option `pythonHashSeed` (default 0). */
function hashSeedOf(options: OfficialScoreOptions): number {
  const seed = options.options?.["pythonHashSeed"];
  return typeof seed === "number" ? seed : 0;
}

export async function scoreOfficial(options: OfficialScoreOptions): Promise<OfficialScoreResult> {
  const protocol = options.protocol ?? "official";
  const outDir = options.out ?? options.predictions;
  const hashSeed = hashSeedOf(options);
  const names = (await readdir(options.predictions)).sort();
  if (protocol === "loom") return scoreLoom(options.predictions, outDir, names, hashSeed);
  const files = names.filter((n) => FILE_RE.test(n));
  if (files.length === 0) fail(options.predictions, "no <task>_<model>.jsonl prediction file", `tasks: ${TASK_IDS.join(", ")}`);
  const out: Record<string, PyJsonValue> = {};
  for (const name of files) {
    const [, task, model] = FILE_RE.exec(name) as RegExpExecArray;
    options.log("info", `scoring ${name}`);
    out[name] = { task: task as string, model: model as string, ...(await scoreFile(join(options.predictions, name), task as LoogleTaskId, options, hashSeed)) };
  }
  out["python_hash_seed"] = hashSeed;
  await mkdir(outDir, { recursive: true });
  const target = join(outDir, "score_official.json");
  await writeFile(target, pyJsonDumps(out, { indent: 2 }) + "\n");
  return { written: [target], summary: summarize(out, hashSeed, options.judge?.id) };
}

/** The printed dicts, one line per file, for the terminal. */
function summarize(out: Record<string, PyJsonValue>, hashSeed: number, judge: string | undefined): string {
  const lines = [`LooGLE (METEOR set order of PYTHONHASHSEED=${hashSeed}; BERTScore not computed${judge ? `; judge ${judge}` : ""})`];
  for (const [name, v] of Object.entries(out)) {
    if (typeof v !== "object" || v === null || Array.isArray(v)) continue;
    const fields = v as Readonly<Record<string, PyJsonValue>>;
    const parts: string[] = [];
    for (const key of ["automatic_sim", "automatic_match", "llm"]) if (fields[key] !== undefined) parts.push(`${key} ${JSON.stringify(fields[key])}`);
    lines.push(`${name}: ${parts.join("; ")}`);
  }
  return lines.join("\n");
}

/** One line of LOOM-Scope's LooGLE prediction files: `evaluation()` reads llm_output, output and LEN. */
const LoomLineSchema = z.object({ llm_output: z.string(), output: z.string(), LEN: z.number() }).passthrough();
const LOOM_KEYS = ["bleu1", "bleu4", "rouge1", "rouge4", "rougeL", "meteor_score"] as const;
type LoomValues = Record<(typeof LOOM_KEYS)[number], number[]>;
const emptyLoom = (): LoomValues => ({ bleu1: [], bleu4: [], rouge1: [], rouge4: [], rougeL: [], meteor_score: [] });

/**
 * LOOM-Scope 0.1's LooGLE automatic_eval.py `evaluate`: every `*jsonl` file of DIR is a task
 * (name less ".jsonl"), scored per line; per task and per `categorize_length(LEN)` bucket (over all
 * files) `round(sum / len, 2)` of each metric's values, where only METEOR is ×100 (see
 * `loomPerSample`). Files are taken in sorted order (LOOM-Scope takes `os.listdir` order, which
 * only changes float sums in the buckets). Writes `length.json` as LOOM-Scope does
 * (`json.dump(count_length, f, indent=2)`) and `score_loom.json` with the numbers of its
 * results.xlsx and results_length.xlsx; BERTScore and therefore Total.txt are not computed.
 */
async function scoreLoom(dir: string, outDir: string, names: readonly string[], hashSeed: number): Promise<OfficialScoreResult> {
  const tasks: Record<string, PyJsonValue> = {};
  const counts: Record<string, PyJsonValue> = {};
  const buckets = new Map<string, LoomValues>();
  for (const name of names.filter((n) => n.endsWith("jsonl"))) {
    const task = name.endsWith(".jsonl") ? name.slice(0, -".jsonl".length) : name;
    const path = join(dir, name);
    const rl = createInterface({ input: createReadStream(path, { encoding: "utf8" }), crlfDelay: Infinity });
    const v = emptyLoom();
    let n = 0;
    for await (const text of rl) {
      n++;
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch (e) {
        fail(`${path}:${n}`, `not JSON (${(e as Error).message}); json.loads raises`);
      }
      const parsed = LoomLineSchema.safeParse(raw);
      if (!parsed.success) fail(`${path}:${n}`, `not a LOOM-Scope LooGLE prediction line {llm_output, output, LEN} (${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")})`);
      const hyp = officialHypothesis(parsed.data.llm_output);
      const ref = parsed.data.output;
      const [b1, b4] = getBleuScore(ref, hyp);
      let r: [number, number, number];
      try {
        r = getRougeScore(ref, hyp);
      } catch (e) {
        if (e instanceof OfficialScorerError) fail(`${path}:${n}`, e.message);
        throw e;
      }
      const bucketName = categorizeLength(parsed.data.LEN);
      const bucket = buckets.get(bucketName) ?? emptyLoom();
      buckets.set(bucketName, bucket);
      const scores: Record<(typeof LOOM_KEYS)[number], number> = { bleu1: b1, bleu4: b4, rouge1: r[0], rouge4: r[1], rougeL: r[2], meteor_score: getMeteorScore(ref, hyp, hashSeed) };
      for (const k of LOOM_KEYS) {
        v[k].push(loomPerSample(k, scores[k]));
        bucket[k].push(loomPerSample(k, scores[k]));
      }
    }
    if (n === 0) fail(path, "empty file: LOOM-Scope's bulit_new_score raises KeyError");
    tasks[task] = Object.fromEntries(LOOM_KEYS.map((k) => [k, loomMean(v[k])]));
    counts[task] = Object.fromEntries(LOOM_KEYS.map((k) => [k, v[k].length]));
  }
  if (Object.keys(tasks).length === 0) fail(dir, "no *jsonl prediction file: LOOM-Scope's ConstructResultTable2 fails on an empty table");
  const byLength: Record<string, PyJsonValue> = {};
  const countLength: Record<string, PyJsonValue> = {};
  for (const [bucketName, v] of buckets) {
    byLength[bucketName] = Object.fromEntries(LOOM_KEYS.map((k) => [k, loomMean(v[k])]));
    // get_bertscore's list is counted too (it is scored for every line), so its count is listed.
    countLength[bucketName] = Object.fromEntries([...LOOM_KEYS, "bertscore"].map((k) => [k, v[k === "bertscore" ? "bleu1" : (k as (typeof LOOM_KEYS)[number])].length]));
  }
  await mkdir(outDir, { recursive: true });
  const lengthFile = join(outDir, "length.json");
  await writeFile(lengthFile, pyJsonDumps(countLength, { indent: 2 }));
  const target = join(outDir, "score_loom.json");
  const body = {
    LooGLE: tasks,
    LooGLE_length: byLength,
    count: counts,
    not_computed: ["bertscore: " + BERTSCORE_REFUSAL, "Average/Overall and Total.txt: LOOM-Scope averages bertscore into them"],
    python_hash_seed: hashSeed,
  };
  await writeFile(target, pyJsonDumps(body, { indent: 2 }) + "\n");
  return { written: [lengthFile, target], summary: `LooGLE (LOOM-Scope protocol): ${Object.keys(tasks).length} task file(s); BLEU/ROUGE as fractions and METEOR ×100, as its scorer gives them` };
}
