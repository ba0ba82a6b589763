/**
 * LongBench-Cite's data: `LongBench-Cite/LongBench-Cite.json` in the GitHub repository (one JSON
 * list; over 4 MB, so its checksum is not pinned here: the git blob id is). Each record:
 * `{"idx", "dataset", "language"?, "query", "answer": [...], "few_shot_scores": [{"answer", "score"}…], "context"}`
 * (fields pred_sft.py / pred_one_shot.py / eval_*.py read).
 */
import { z } from "zod";
import type { JsonObject, RemoteFile, Sample } from "@loomscope/spec";
import { chunkedPassage, textSplitByPunctuation } from "./citations.js";

export const REPO = "THUDM/LongCite";
export const COMMIT = "d7d772e39fb15357749f54a2fe1e2dce77df5255";
export const DATA_PATH = "LongBench-Cite/LongBench-Cite.json";
/** `git ls-tree` blob id of the data file at COMMIT (sha1 of the git blob, not a sha256 of the file). */
export const DATA_GIT_BLOB = "2d89480acf84af20df2bea1db745b760afe59d46";

/** LongBench-Cite.json in the repository at the commit. */
export const OFFICIAL_DATA_URL = `https://raw.githubusercontent.com/${REPO}/${COMMIT}/${DATA_PATH}`;

/** The data file (its checksum is recorded in provenance; the repository pins only its git blob id). */
export function remoteFile(dataUrl: string = OFFICIAL_DATA_URL): RemoteFile {
  return { source: "url", url: dataUrl, path: "longcite/LongBench-Cite.json" };
}

/** Where the file is looked for under `--data-dir`: as the scripts open it (cwd = LongBench-Cite/), or a checkout. */
export const LOCAL_CANDIDATES = ["LongBench-Cite.json", "LongBench-Cite/LongBench-Cite.json", "LongCite/LongBench-Cite/LongBench-Cite.json"];

export const FewShotSchema = z.object({ answer: z.string(), score: z.union([z.number(), z.string()]) }).passthrough();

/** One record. Unknown fields are kept. */
export const LongCiteRecordSchema = z
  .object({
    idx: z.number().int(),
    dataset: z.string(),
    query: z.string(),
    answer: z.array(z.string()),
    few_shot_scores: z.array(FewShotSchema),
    context: z.string(),
    language: z.string().optional(),
  })
  .passthrough();
export type LongCiteRecord = z.infer<typeof LongCiteRecordSchema>;

/**
 * A record as a sample. The official code keys by `idx`: ids are `<dataset>-<idx>`. `input.context`
 * is the `<C{i}>`-chunked passage the one-shot prompt shows; `scoring.context` keeps the raw context
 * (citations quote its sentences), with the query and the few-shot answers correctness needs.
 */
export function toSample(record: LongCiteRecord): Sample {
  const meta: JsonObject = { idx: record.idx };
  if (record.language !== undefined) meta["language"] = record.language;
  return {
    id: `${record.dataset}-${record.idx}`,
    task: record.dataset,
    input: { context: chunkedPassage(record.context, textSplitByPunctuation(record.context)), question: record.query },
    references: record.answer,
    scoring: {
      query: record.query,
      context: record.context,
      few_shot_scores: record.few_shot_scores.map((f) => ({ answer: f.answer, score: f.score })),
    },
    meta,
  };
}
