/**
 * Needle Threading's tasks (jonathan-roberts1/needle-threading @ 006f8f57310cad9f84d5a8104c939abc86c96fa8,
 * README.md "Data" and "Evaluation"; data jonathan-roberts1/needle-threading on Hugging Face).
 *
 * The repository holds no evaluation code but its README's "Single Needle example inference": the
 * prompt is `haystack + '\n' + question`, generation `max_output_tokens` 100, temperature 0, top_k 1,
 * and the answer is checked by `literal_eval` and a prefix comparison (src/metrics.ts).
 */
import { defineTasks, type TaskRow } from "@loomscope/benchmark-kit";
import { nthreadAccuracy } from "./metrics.js";

export type { TaskRow };

/** The README's task names (its `splits = [...]` comment), our task ids. */
export const TASKS = ["Single_Needle", "Multi_Needle", "Conditional_Needle", "Single_Thread", "Multi_Thread"] as const;
export type NThreadTask = (typeof TASKS)[number];
export const isTask = (t: string): t is NThreadTask => (TASKS as readonly string[]).includes(t);

/**
 * The names the data uses: the Hugging Face splits (dataset card `dataset_info.splits`), the files
 * of `json_data.zip` (`json_data/<name>.json`, README "Expected structure") and LOOM-Scope's
 * instruction keys and prediction files are all these; only Single_Needle is spelled alike.
 */
export const DATA_NAMES: Readonly<Record<NThreadTask, string>> = {
  Single_Needle: "Single_Needle",
  Multi_Needle: "Multiple_Needles",
  Conditional_Needle: "Conditional_Needles",
  Single_Thread: "Single_Threads",
  Multi_Thread: "Multi_Threads",
};

/** Task id from a file or split name in either spelling (`Multiple_Needles.jsonl` → Multi_Needle). */
export function taskFromName(name: string): NThreadTask | undefined {
  const stem = name.replace(/\.jsonl?$/, "");
  if (isTask(stem)) return stem;
  return TASKS.find((t) => DATA_NAMES[t] === stem);
}

/** Rows per split where the dataset card states them (Single_Threads / Multi_Threads: not recorded here). */
export const OFFICIAL_COUNTS: Readonly<Partial<Record<NThreadTask, number>>> = {
  Single_Needle: 660,
  Multi_Needle: 1080,
  Conditional_Needle: 1080,
};

/** The README's `config` for `generate_content`: greedy (temperature 0, top_k 1), 100 output tokens. */
export const GENERATION = { maxNewTokens: 100, temperature: 0, topK: 1 } as const;

/** The README's prompt: `prompt = haystack + '\n' + question` (the question holds the instruction and key). */
export const PROMPT_TEMPLATE = "{haystack}\n{question}";

/** Official truncation: none (the prompt is sent whole; context_length is fixed by the data). */
export const TRUNCATION = { official: "none" } as const;

/**
 * LOOM-Scope's instructions (loom-scope 0.1 `benchmarks/Retrieve/NThread/utils/instruction.py`, keyed
 * by its data names): a lead sentence and a tail with `{key}`, byte for byte. How NThread.py puts them
 * around the haystack is not known here (that file is not in the package index).
 */
export const LOOM_INSTRUCTIONS: Readonly<Record<string, readonly [string, string]>> = {
  Single_Needle: [
    "Extract the value corresponding to the specified key in the JSON object below.",
    "Only write the corresponding value, nothing else. Key: {key}\nCorresponding value:",
  ],
  Multiple_Needles: [
    "Extract the values corresponding to the specified keys in the JSON object below.",
    "Only write the list of corresponding values in square brackets, nothing else. Keys: {key}\nCorresponding values:",
  ],
  Conditional_Needles: [
    "Extract the values corresponding to the keys that contain the character '*' in the JSON object below",
    "Only write the list of corresponding values in square brackets, nothing else.\nCorresponding values:",
  ],
  Single_Threads: [
    "The specified key corresponds to a value in the JSON object below. However, that value might equal another key in the JSON object. The value corresponding to this new key might also equal another key in the JSON object. This chain could continue beyond. Extract the final value in the chain. If the value corresponding to the first key does not equal another key, then the final value is the value corresponding to the first key.",
    "Only write the corresponding value at the end of the chain, nothing else. Key: {key}\nCorresponding fina value:",
  ],
  Multi_Threads: [
    "The specified keys each correspond to values in the JSON object below. However, the values might equal others key in the JSON object. The value corresponding to each new key might also equal another key in the JSON object. This chain could continue beyond. Extract the final values in each the chain. If the value corresponding to the first key does not equal another key, then the final value is the value corresponding to the first key.",
    "Only write the corresponding values at the end of each chain in square brackets, nothing else. Keys:{key}\n Corresponding final values:",
  ],
};

/**
 * One kit row per task. No length levels: a record's `context_length` (characters) is known only from
 * the record, so it is kept in the sample's meta and the aggregate groups by it. The prompt is sent
 * whole (`generate_content(contents=prompt)`: one user message, no truncation), greedy, 100 tokens.
 * Under `--protocol loom` only the scorer changes: LOOM-Scope's NThread.py, which builds its prompt,
 * truncates and sets its budget, is not available to port, so the README's prompt is used there too.
 */
export const TASK_TABLE: readonly TaskRow[] = defineTasks(
  TASKS.map((id) => ({
    id,
    language: "en",
    tags: [id.includes("Thread") ? "thread" : "needle", DATA_NAMES[id]],
    maxNewTokens: GENERATION.maxNewTokens,
    prompt: { template: PROMPT_TEMPLATE, contextKey: "haystack", queryKey: "question", truncation: "none", chat: "model" },
    generation: { temperature: GENERATION.temperature, topK: GENERATION.topK },
    metrics: [nthreadAccuracy],
    // The question names the key(s) literally, so retrieving chunks of the JSON haystack is meaningful.
    retrieval: "suitable",
  }) satisfies TaskRow),
);
