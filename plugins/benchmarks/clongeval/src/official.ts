/**
 * `loom score clongeval --predictions inference_results/<model>`: eval.py (zexuanqiu/CLongEval @
 * 81ba789) as eval.sh runs it — one `python eval.py --model_name <model> --datasets <dataset>` per
 * dataset in eval.sh's order, each APPENDING one line to `eval_results/<model>.jsonl` (jsonlines,
 * ensure_ascii=False). `eval_results/` is a sibling of `inference_results/` (default out:
 * `<predictions>/../../eval_results`). Per line:
 * {"dataset", "small", "medium", "large", "all", "metric"} — a set without a file is null, "all"
 * is null unless all three files exist.
 * Kept quirks of get_prediction_answer: a response containing "HTTP_ERROR" or "UNKNOW_ERROR" is
 * skipped (not scored, not counted); for stacked_typo_detection and any model other than
 * gpt4-turbo-128k the answer is rewritten to "，".join([a[0], a[2], a[0]]) of `answer.split("，")`.
 * Official crash cases (a file whose lines are all skipped or empty: ZeroDivisionError; a missing
 * response key: KeyError; a ground truth the news pattern cannot parse: AttributeError; …) are
 * errors that write nothing.
 */
import { readFile, readdir, stat, appendFile, mkdir } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { pyFloat, pyJsonDumps } from "@loomscope/metrics";
import { LoomError, type OfficialScoreOptions, type OfficialScoreResult } from "@loomscope/spec";
import { taskScores } from "./aggregate.js";
import { DATASET_METRIC, isSkippedResponse, scoreSample, type ClongevalDataset } from "./metrics.js";
import { EVAL_SH_ORDER, SIZES } from "./tasks.js";
import { typoAnswerRewrite } from "./data.js";

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

/** get_prediction_answer + scorer's per-sample loop for one file. */
export async function scoreFile(file: string, officialPath: string, dataset: ClongevalDataset, model: string): Promise<number[]> {
  const text = await readFile(file, "utf8");
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  const scores: number[] = [];
  const key = `response_${model}`;
  lines.forEach((line, i) => {
    const where = `${file}:${i + 1}`;
    let obj: Record<string, unknown>;
    try {
      obj = JSON.parse(line) as Record<string, unknown>;
    } catch (e) {
      throw new LoomError("OFFICIAL_SCORE", `${where}: not a JSON line (jsonlines raises InvalidLineError): ${(e as Error).message}`);
    }
    const pred = obj[key];
    if (typeof pred !== "string") throw new LoomError("OFFICIAL_SCORE", `${where}: no string "${key}" (eval.py raises KeyError/TypeError)`);
    if (isSkippedResponse(pred)) return;
    const raw = obj["answer"];
    if (typeof raw !== "string" && typeof raw !== "number") throw new LoomError("OFFICIAL_SCORE", `${where}: "answer" is not a string or number`);
    let answer: string | number = raw;
    if (officialPath.includes("typo_detection") && model !== "gpt4-turbo-128k" && !officialPath.includes("single")) {
      try {
        answer = typoAnswerRewrite(String(answer), where);
      } catch (e) {
        throw new LoomError("OFFICIAL_SCORE", (e as Error).message);
      }
    }
    try {
      scores.push(scoreSample(dataset, pred, answer));
    } catch (e) {
      throw new LoomError("OFFICIAL_SCORE", `${where}: ${(e as Error).message}`);
    }
  });
  if (scores.length === 0) throw new LoomError("OFFICIAL_SCORE", `${file}: nothing to score (eval.py divides by zero)`);
  return scores;
}

export async function scoreOfficialClongeval(options: OfficialScoreOptions): Promise<OfficialScoreResult> {
  if ((options.protocol ?? "official") === "loom") {
    throw new LoomError("OFFICIAL_SCORE", "clongeval: re-scoring LOOM-Scope prediction folders (protocol loom) is not implemented", {
      hint: "use protocol official (the metrics are the same; LOOM-Scope differs in aggregation and skipped lines)",
    });
  }
  const dir = resolve(options.predictions);
  const model = basename(dir);
  const outDir = options.out ?? resolve(dir, "..", "..", "eval_results");
  const lines: string[] = [];
  const summary: string[] = [];
  for (const dataset of EVAL_SH_ORDER) {
    if (!(await exists(join(dir, dataset)))) continue;
    const bySize = new Map<string, number[]>();
    for (const size of SIZES) {
      const file = join(dir, dataset, `${size}.jsonl`);
      if (!(await exists(file))) continue;
      bySize.set(size, await scoreFile(file, `./inference_results/${model}/${dataset}/${size}.jsonl`, dataset, model));
    }
    const s = taskScores(bySize);
    const f = (x: number | null): ReturnType<typeof pyFloat> | null => (x === null ? null : pyFloat(x));
    lines.push(
      pyJsonDumps(
        { dataset, small: f(s.small), medium: f(s.medium), large: f(s.large), all: f(s.all), metric: DATASET_METRIC[dataset].name },
        { ensureAscii: false },
      ) + "\n",
    );
    summary.push(`${dataset}: small ${s.small} medium ${s.medium} large ${s.large} all ${s.all}`);
  }
  if (lines.length === 0) options.log("warn", `clongeval: no dataset folder in ${dir}`);
  await mkdir(outDir, { recursive: true });
  const target = join(outDir, `${model}.jsonl`);
  // eval.py opens the file in append mode: re-scoring adds lines, as the official script does.
  await appendFile(target, lines.join(""), "utf8");
  return { written: [target], summary: summary.join("\n") };
}
