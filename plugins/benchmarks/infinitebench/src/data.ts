/**
 * InfiniteBench's data: one jsonl file per task at the root of the Hugging Face dataset
 * `xinrongzhang2022/InfiniteBench` (scripts/download_dataset.sh downloads
 * `resolve/main/<task>.jsonl`), read by eval_utils.py `load_data` from `<data_dir>/<task>.jsonl`
 * (DATA_NAME_TO_PATH). Records: `{id, context, input, answer, options}`; `answer` is a str, a
 * number or a list depending on the task and the data version (the repository's results/ files
 * show both `"71432"` and `["71432"]`), so it is kept exactly as `json.loads` returns it.
 */
import { z } from "zod";
import { PyFloat, pyDictsToObjects, pyIndex, pyJsonLoads, pyTypeName, type PyJsonValue } from "@loomscope/metrics";

const isPyList = (v: PyJsonValue): v is readonly PyJsonValue[] => Array.isArray(v);
import type { JsonObject, JsonValue, Protocol, Sample } from "@loomscope/spec";
import { type ModelFamily, type TaskId } from "./tasks.js";
import { CreatePromptError, promptValues } from "./prompt.js";

export const HF_REPO = "xinrongzhang2022/InfiniteBench";
export const HF_REVISION = "main";

/** eval_utils.py `DATA_NAME_TO_PATH`: `<task>.jsonl`, at the repository root and under `--data_dir`. */
export function dataFile(task: TaskId): string {
  return `${task}.jsonl`;
}

/** Where a task's file is looked for under `--data-dir`: the official `data/` layout first. */
export function localCandidates(task: TaskId): string[] {
  return [dataFile(task), `data/${dataFile(task)}`, `InfiniteBench/${dataFile(task)}`];
}

/** README "Task Composition" (# Examples). The repository's gpt4 results hold 189 Zh.QA rows, an older data version. */
export const OFFICIAL_COUNTS: Readonly<Record<TaskId, number>> = {
  passkey: 590,
  number_string: 590,
  kv_retrieval: 500,
  longdialogue_qa_eng: 200,
  longbook_sum_eng: 103,
  longbook_choice_eng: 229,
  longbook_qa_eng: 351,
  longbook_qa_chn: 175,
  math_find: 350,
  math_calc: 50,
  code_run: 400,
  code_debug: 394,
};

const JsonLike: z.ZodType<PyJsonValue> = z.lazy(() =>
  z.union([z.string(), z.number(), z.bigint(), z.boolean(), z.null(), z.instanceof(PyFloat), z.array(JsonLike), z.record(z.string(), JsonLike)]),
);

/**
 * One line of a task file. `context` may be called `content` (create_prompt renames it for the
 * retrieval tasks). Unknown fields are kept.
 */
export const InfiniteBenchRecordSchema = z
  .object({
    id: z.union([z.number(), z.string()]).optional(),
    context: z.string().optional(),
    content: z.string().optional(),
    input: z.string(),
    answer: JsonLike,
    options: z.array(z.string()).optional(),
  })
  .passthrough()
  .refine((r) => r.context !== undefined || r.content !== undefined, { message: "needs a context (or content) string" });
export type InfiniteBenchRecord = z.infer<typeof InfiniteBenchRecordSchema>;

/** One line of a task file read as the official code reads it (`json.loads`: 88 and 88.0 stay apart), checked. */
export function parseRecord(line: string): InfiniteBenchRecord {
  return InfiniteBenchRecordSchema.parse(pyDictsToObjects(pyJsonLoads(line)));
}

/**
 * eval_utils.py `get_answer(eg, data_name)`: for code_debug and longbook_choice_eng the answer
 * becomes `[text, letter]` (the letter looked up in `options`); every other task keeps `answer`.
 */
export function getAnswer(record: InfiniteBenchRecord, task: TaskId): PyJsonValue {
  const answer = record.answer as PyJsonValue;
  if (task !== "code_debug" && task !== "longbook_choice_eng") return answer;
  const options = record.options ?? [];
  const letterOf = (text: PyJsonValue): PyJsonValue => {
    const i = typeof text === "string" ? options.indexOf(text) : -1;
    if (i < 0) throw new Error(`ValueError: ${JSON.stringify(text)} is not in list (get_answer looks the answer up in options)`);
    if (i > 3) throw new Error(`IndexError: string index out of range (option ${i} has no letter in "ABCD")`);
    return "ABCD"[i] as string;
  };
  if (typeof answer === "string") return [answer, letterOf(answer)];
  if (isPyList(answer)) {
    if (answer.length === 1) return [pyIndex(answer, 0), letterOf(pyIndex(answer, 0))];
    if (answer.length === 2 && typeof answer[1] === "string" && ["A", "B", "C", "D"].includes(answer[1])) return answer;
  }
  throw new Error(`ValueError: get_answer cannot read a ${pyTypeName(answer)} answer ${JSON.stringify(String(answer))}`);
}

/** A label as stored in a sample's `scoring`: JSON, with Python floats tagged so `88.0` stays a float. */
export type StoredLabel = JsonValue;

export function encodeLabel(v: PyJsonValue): StoredLabel {
  if (v instanceof PyFloat) return { "py/float": Number.isFinite(v.value) ? v.value : String(v.value) };
  if (typeof v === "bigint") return { "py/int": v.toString() };
  if (Array.isArray(v)) return (v as readonly PyJsonValue[]).map(encodeLabel);
  if (v instanceof Map) return Object.fromEntries([...(v as ReadonlyMap<string, PyJsonValue>)].map(([k, x]) => [k, encodeLabel(x)]));
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v as Record<string, PyJsonValue>).map(([k, x]) => [k, encodeLabel(x)]));
  return v;
}

export function decodeLabel(v: StoredLabel | undefined): PyJsonValue {
  if (v === undefined) throw new Error("the sample has no stored label");
  if (Array.isArray(v)) return v.map(decodeLabel);
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, StoredLabel>;
    if ("py/float" in o) return new PyFloat(Number(o["py/float"]));
    if ("py/int" in o) return BigInt(o["py/int"] as string);
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, decodeLabel(x)]));
  }
  return v;
}

/** Plain-text forms of the label, for reports: strings as they are, anything else as JSON. */
function referenceTexts(label: PyJsonValue): string[] {
  const one = (v: PyJsonValue): string =>
    typeof v === "string" ? v : JSON.stringify(encodeLabel(v), (_k, x: unknown) => (typeof x === "bigint" ? x.toString() : x));
  return isPyList(label) ? label.map(one) : [one(label)];
}

/** The sample field holding LOOM-Scope's retrieval query. */
export const LOOM_QUERY_KEY = "loom_query";

export interface ToSampleOptions {
  task: TaskId;
  /** 0-based row of the record in its file: the official `id` of the prediction line (`"id": i`). */
  index: number;
  protocol: Protocol;
  /** The model family whose scoring branch applies (benchmark option `family`; LOOM-Scope's own under --protocol loom). */
  family: ModelFamily;
}

/**
 * Build a Sample: `input` holds the values create_prompt formats the template with (or, where it
 * raises for this record, `meta.create_prompt_error`, which the prompt hook raises for this sample
 * alone); `scoring` the label get_answer returns and the family compute_scores.py is run with.
 * Ids are `<task>-<index>`, the row index the official prediction files carry as `id`.
 */
export function toSample(record: InfiniteBenchRecord, options: ToSampleOptions): Sample {
  const { task, index } = options;
  const label = getAnswer(record, task);
  const meta: JsonObject = { row: index };
  if (record.id !== undefined) meta["record_id"] = record.id;
  let input: Record<string, string> = {};
  try {
    input = promptValues({ context: record.context ?? record.content ?? "", input: record.input, ...(record.options ? { options: record.options } : {}) }, task);
    // LOOM-Scope's retrieval query is the record's `input` for every task (extract_contextAndquestion).
    if (options.protocol === "loom") input[LOOM_QUERY_KEY] = record.input;
  } catch (e) {
    if (!(e instanceof CreatePromptError)) throw e;
    meta["create_prompt_error"] = e.message;
  }
  const scoring: JsonObject = { label: encodeLabel(label), model_family: options.protocol === "loom" ? "loom" : options.family };
  return { id: `${task}-${index}`, task, input, references: referenceTexts(label), scoring, meta };
}
