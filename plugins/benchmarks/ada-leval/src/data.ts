/**
 * Ada-LEval's data. Official (fetch_data.sh): `http://opencompass.openxlab.space/utils/AdaLEval/
 * <name>.json` saved as `data/<name>.json`, for stackselect_{1k,2k,4k,6k,8k,12k,16k,32k,64k,128k}
 * and textsort_{1k,2k,4k,8k,16k,32k,64k,128k}. Each file is one JSON list. dataset.py reads, for
 * StackSelect: `question_id`, `question`, `answer`, `all_answers`, `tags`; for TextSort:
 * `book_id`, `para_offset`, `answer`, `prompt`. The first `sampleCount(setting, mode)` items are
 * used. Read from `--data-dir` (`data/<name>.json`, `<name>.json`), else downloaded from that URL
 * (or a mirror: the `dataUrl` option).
 *
 * Sample ids are `<task>_<setting>-<index>` with run.py's index (the key of its prediction pickle):
 * StackSelect `f"{question_id}_{answer}"`, TextSort `f"{book_id}_{'_'.join(str(x) for x in para_offset)}"`.
 */
import { z } from "zod";
import { pyJsonStr, type PyJsonValue } from "@loomscope/metrics";
import type { JsonObject, JsonValue, Sample } from "@loomscope/spec";
import type { AdaTask } from "./tasks.js";

const JsonValueSchema: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(JsonValueSchema), z.record(z.string(), JsonValueSchema)]),
);
const Scalar = z.union([z.string(), z.number()]);

export const StackSelectRecordSchema = z
  .object({
    question_id: Scalar,
    question: z.string(),
    answer: z.string(),
    all_answers: z.array(z.string()).min(1),
    tags: z.array(JsonValueSchema).optional(),
  })
  .passthrough();
export type StackSelectRecord = z.infer<typeof StackSelectRecordSchema>;

export const TextSortRecordSchema = z
  .object({
    book_id: Scalar,
    para_offset: z.array(Scalar),
    answer: z.union([z.array(JsonValueSchema), z.string()]),
    prompt: z.string(),
  })
  .passthrough();
export type TextSortRecord = z.infer<typeof TextSortRecordSchema>;

export const officialDataPath = (task: AdaTask, setting: string): string => `data/${task}_${setting}.json`;
export const dataDirLayouts = (task: AdaTask, setting: string): string[] => [
  officialDataPath(task, setting),
  `${task}_${setting}.json`,
  `Ada-LEval/data/${task}_${setting}.json`,
];

/** run.py's index of an item (its key in the prediction pickle). */
export function officialIndex(task: AdaTask, record: Record<string, PyJsonValue | JsonValue>): string {
  if (task === "stackselect") return `${pyJsonStr(record["question_id"] as PyJsonValue)}_${pyJsonStr(record["answer"] as PyJsonValue)}`;
  const offsets = record["para_offset"];
  if (!Array.isArray(offsets)) throw new TypeError("para_offset is not a list");
  return `${pyJsonStr(record["book_id"] as PyJsonValue)}_${(offsets as PyJsonValue[]).map(pyJsonStr).join("_")}`;
}

/** `'A' + str(j) + ':\n\n' + answer + '\n\n'` for every answer: the `{answers}` field of the prompt. */
export function stackselectAnswersBlock(allAnswers: readonly string[]): string {
  return allAnswers.map((a, i) => `A${i + 1}:\n\n${a}\n\n`).join("");
}

export interface ToSampleOptions {
  task: AdaTask;
  length: string;
  /** 0-based position in the data file (kept in meta). */
  index: number;
  protocol: "official" | "loom";
}

export function toSample(record: StackSelectRecord | TextSortRecord, options: ToSampleOptions): Sample {
  const key = officialIndex(options.task, record as Record<string, JsonValue>);
  const base = { id: `${options.task}_${options.length}-${key}`, task: options.task, length: options.length };
  if (options.task === "stackselect") {
    const r = StackSelectRecordSchema.parse(record);
    const scoring: JsonObject = { answer: r.answer, num_choice: r.all_answers.length };
    return {
      ...base,
      input: { question: r.question, answers: stackselectAnswersBlock(r.all_answers) },
      references: [r.answer],
      scoring,
      meta: { position: options.index, question_id: r.question_id },
    };
  }
  const r = TextSortRecordSchema.parse(record);
  return {
    ...base,
    input: { prompt: r.prompt },
    references: [typeof r.answer === "string" ? r.answer : JSON.stringify(r.answer)],
    scoring: { answer: r.answer },
    meta: { position: options.index, book_id: r.book_id },
  };
}
