/**
 * LooGLE's data: the Hugging Face dataset `bigainlco/LooGLE` (loader script LooGLE.py: data.zip
 * holding `<task>.json`, JSON lines with input/title/qa_pairs/output), as read by
 * `load_dataset('bigainlco/LooGLE', task, split='test')` in the official Prediction/ scripts.
 * The repository's LooGLE-testdata/<task>.jsonl are 5-document samples in the same format.
 */
import { z } from "zod";
import { PythonError, UnsupportedLiteralError, literalEval, pyValueToJson, type PyValue } from "@loomscope/metrics";
import type { JsonObject, JsonValue, Protocol, Sample } from "@loomscope/spec";
import { isTask, type LoogleTaskId } from "./tasks.js";

export const HF_SOURCE = { repo: "bigainlco/LooGLE", revision: "main", archive: "data.zip", member: (task: LoogleTaskId) => `${task}.json` } as const;

/** One line of `<task>.json`. `qa_pairs` is a Python literal (a list of dicts) or "none". */
export const LoogleRecordSchema = z
  .object({
    input: z.string(),
    title: z.string(),
    qa_pairs: z.string(),
    output: z.string(),
  })
  .passthrough();
export type LoogleRecord = z.infer<typeof LoogleRecordSchema>;

export interface QaPair {
  Q: string;
  /** A str for QA, a {"<mask-n>": entity} dict for cloze. */
  A: string | Record<string, string>;
  S?: unknown;
  type?: string;
}

/** `eval(data_instance['qa_pairs'])` as the prediction scripts do, or null for "none". */
export function parseQaPairs(text: string): QaPair[] | null {
  if (text === "none") return null;
  let value: PyValue;
  try {
    value = literalEval(text, { mode: "eval" });
  } catch (e) {
    if (e instanceof PythonError || e instanceof UnsupportedLiteralError) throw new Error(`qa_pairs is not a Python literal (${e.message})`);
    throw e;
  }
  let json: JsonValue;
  try {
    json = pyValueToJson(value);
  } catch (e) {
    throw new Error(`qa_pairs has no JSON form (${(e as Error).message})`);
  }
  const parsed = z.array(z.object({ Q: z.string(), A: z.union([z.string(), z.record(z.string(), z.string())]) }).passthrough()).safeParse(json);
  if (!parsed.success) throw new Error(`qa_pairs is not a list of {Q, A} dicts: ${parsed.error.issues[0]?.message ?? ""}`);
  return parsed.data as QaPair[];
}

/** A row as the kit reads it: the official schema, and `qa_pairs` a literal the scripts' `eval` would read. */
export const LoogleRowSchema = LoogleRecordSchema.superRefine((row, ctx) => {
  try {
    parseQaPairs(row.qa_pairs);
  } catch (e) {
    ctx.addIssue({ code: "custom", path: ["qa_pairs"], message: (e as Error).message });
  }
});

export interface SampleOptions {
  task: LoogleTaskId;
  /** Row index in `<task>.json`. */
  index: number;
  protocol: Protocol;
  /** PYTHONHASHSEED the METEOR set order follows (0 unless told). */
  pythonHashSeed?: number;
}

/**
 * The samples of one record: one per QA pair (ids `<task>-<row>-<pair>`), or one for a
 * summarization record (`<task>-<row>`), in the order the prediction scripts ask them. Under
 * `--protocol loom` the question is the `question` field LOOM-Scope's prompt names.
 */
export function sampleBodies(raw: unknown, options: SampleOptions): (Omit<Sample, "task"> & { id: string })[] {
  if (!isTask(options.task)) throw new Error(`unknown LooGLE task "${options.task}"`);
  const record = LoogleRecordSchema.parse(raw);
  const seed = options.pythonHashSeed ?? 0;
  const pairs = parseQaPairs(record.qa_pairs);
  if (pairs === null) {
    return [
      {
        id: `${options.task}-${options.index}`,
        input: { input: record.input },
        references: [record.output],
        scoring: { question: "", pythonHashSeed: seed },
        meta: { title: record.title },
      },
    ];
  }
  return pairs.map((pair, k) => {
    const cloze = typeof pair.A !== "string";
    return {
      id: `${options.task}-${options.index}-${k}`,
      input: (options.protocol === "loom" ? { input: record.input, question: pair.Q } : { input: record.input, Q: pair.Q }) as Record<string, string>,
      references: [cloze ? JSON.stringify(pair.A) : (pair.A as string)],
      scoring: { question: pair.Q, pythonHashSeed: seed, ...(cloze ? { answer: pair.A as Record<string, string> } : {}) },
      meta: {
        title: record.title,
        ...(pair.type !== undefined ? { type: pair.type } : {}),
        // get_match_score sums hits and masks over the file: the aggregate needs each sample's masks.
        ...(cloze ? { masks: Object.keys(pair.A).length } : {}),
      },
    };
  });
}

/** `sampleBodies` with the task filled in. */
export function toSamples(raw: unknown, options: SampleOptions): Sample[] {
  return sampleBodies(raw, options).map((body) => ({ ...body, task: options.task }));
}
