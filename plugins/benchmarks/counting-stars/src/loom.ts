/**
 * LOOM-Scope's Counting-Stars scorer (loom-scope 0.1, benchmarks/Reasoning/Counting_Stars/utils/
 * evaluation/metrics.py and eval.py), for `--protocol loom`: every answer (English too) goes through
 * json_repair; an answer that still fails counts as `[""]` (English) or `[]` (Chinese) instead of
 * raising; `reduce_duplicate` returns `[]` where it would raise; a sample's score is
 * `round(score / 32, 2)`, a task's `round(100 * sum / len, 2)`.
 */
import { readdir, readFile, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { LoomError, type OfficialScoreOptions, type OfficialScoreResult } from "@loomscope/spec";
import { pyFloatRepr, pyStrip, pythonRound } from "@loomscope/metrics";
import { A_STARS_32, ANSWER_KEY, M, type Language, type Variant } from "./constants.js";
import { reasoningScore, reduceDuplicate, repairJson } from "./score.js";

/** The predicted list as metrics.py extracts it (never raises). */
export function loomPredicted(response: string, language: Language): unknown[] {
  const key = ANSWER_KEY[language];
  const failed = language === "EN" ? [""] : [];
  let obj: unknown;
  try {
    obj = repairJson(response.includes("```") ? pyStrip(response.replaceAll("```", "").replaceAll("json", "")) : response);
  } catch {
    return failed;
  }
  if (obj === null || typeof obj !== "object" || Array.isArray(obj) || !(key in obj)) return failed;
  return reduceDuplicate((obj as Record<string, unknown>)[key], M) ?? [];
}

/** metrics.py's per-sample score: the 32 star scores summed, `round(score / 32, 2)`. */
export function loomSampleScore(response: string, language: Language, variant: Variant, references: readonly unknown[] = A_STARS_32): number {
  const predicted = loomPredicted(response, language);
  let score = 0;
  for (let i = 1; i <= M; i++) {
    if (variant === "searching") {
      const ref = references[i - 1];
      score += ref !== undefined && predicted.some((x) => x === ref || (typeof x === "boolean" && Number(x) === ref)) ? 1 : 0;
    } else score += reasoningScore(i - 1, predicted);
  }
  return pythonRound(score / 32, 2);
}

/** eval.py save_results: a task's ACC, `round(100 * sum(scores) / len(scores), 2)`. */
export function loomTaskAcc(scores: readonly number[]): number {
  let sum = 0;
  for (const s of scores) sum += s;
  return pythonRound((100 * sum) / scores.length, 2);
}

/** `loom score counting-stars --predictions DIR --protocol loom`: eval.py's evaluate over LOOM-Scope's prediction files. */
export async function scoreLoomDir(options: OfficialScoreOptions): Promise<OfficialScoreResult> {
  const dir = options.predictions;
  const files = (await readdir(dir)).filter((f) => f.endsWith("jsonl")).sort();
  if (files.length === 0) throw new LoomError("OFFICIAL_SCORE", `${dir}: no .jsonl prediction files`);
  const acc: Record<string, number> = {};
  for (const file of files) {
    const task = file.split("_").slice(1).join("_").replace(/\.jsonl$/, "");
    const variant: Variant = file.includes("reasoning") ? "reasoning" : "searching";
    const language: Language = file.includes("en") ? "EN" : "ZH";
    const scores: number[] = [];
    (await readFile(join(dir, file), "utf8")).split("\n").forEach((line, i) => {
      if (line.trim() === "") return;
      let item: { response?: unknown; reference_counting_results?: unknown };
      try {
        item = JSON.parse(line) as typeof item;
      } catch (e) {
        throw new LoomError("OFFICIAL_SCORE", `${join(dir, file)}:${i + 1}: not JSON (${(e as Error).message})`);
      }
      if (typeof item.response !== "string") throw new LoomError("OFFICIAL_SCORE", `${join(dir, file)}:${i + 1}: response: expected a string`);
      const refs = Array.isArray(item.reference_counting_results) ? item.reference_counting_results : [];
      scores.push(loomSampleScore(item.response, language, variant, refs));
    });
    if (scores.length) acc[task] = loomTaskAcc(scores);
  }
  const outDir = options.out ?? dir;
  await mkdir(outDir, { recursive: true });
  const out = join(outDir, "counting_stars_loom_scores.json");
  await writeFile(out, JSON.stringify(Object.fromEntries(Object.entries(acc).map(([k, v]) => [k, { ACC: v }])), null, 2) + "\n", "utf8");
  return { written: [out], summary: Object.entries(acc).map(([k, v]) => `${k}  ACC ${pyFloatRepr(v)}`).join("\n") };
}
