/**
 * The task table: one row per task, holding everything the official repository fixes for it —
 * language, length levels, generation budget, prompt template and how it is fitted and templated,
 * and the metric objects that score it. Core builds prompts from the row; a benchmark writes code
 * only for what a row cannot say.
 */
import { LoomError, type Language, type LengthLevel, type PromptParts, type Protocol, type Sample, type TaskGeneration, type TaskSpec } from "@loomscope/spec";
import { pyFormat, pyFormatFields, type AnyMetric } from "@loomscope/metrics";

export interface TaskPrompt {
  /** Python `str.format` template, byte for byte the official one. */
  template: string;
  /** The field holding the long document(s): cut by truncation, replaced by RAG (default `context`). */
  contextKey?: string;
  /** The field holding the question: RAG's retrieval query. */
  queryKey?: string;
  /** A system message, outside the truncated text. */
  system?: string;
  /** Text the assistant turn starts with (RULER's answer prefix); never truncated. */
  assistantPrefix?: string;
  /**
   * How the formatted prompt is fitted to the max length: `middle` (LongBench rule), `middle-joined`
   * (LongBench v2: one decode), `keep-head` / `keep-tail` (the end / the start cut), `none` (never cut).
   */
  truncation?: "middle" | "middle-joined" | "keep-head" | "keep-tail" | "none";
  /**
   * Render with Python `str.replace` in this order instead of `str.format` (placeholders such as
   * `$DOC$`); each entry replaces `placeholder` by the sample's `input[key]`.
   */
  replacements?: readonly { placeholder: string; key: string }[];
  /** `model`: apply the model's chat template; `raw`: send the text as it is (official scripts do for some tasks). */
  chat?: "model" | "raw";
  /** The role of the message holding the prompt (default `user`; LooGLE's GPT script sends it as `system`). */
  role?: "user" | "system";
  /** Fixed turns between the system message and the prompt (a worked example), sent as messages. */
  history?: readonly { role: "user" | "assistant" | "system"; content: string }[];
}

export interface TaskRow {
  id: string;
  language: Language;
  tags?: readonly string[];
  description?: string;
  /** Length level labels; omit (or leave empty) when length is not a dimension of the task. */
  lengths?: readonly string[];
  /** What each level measures; when given, `lengths` defaults to their labels. */
  levels?: readonly LengthLevel[];
  /** The official generation limit. */
  maxNewTokens: number;
  prompt: TaskPrompt;
  /** Metric objects; the first is the task's headline metric. */
  metrics: readonly AnyMetric[];
  retrieval?: "suitable" | "unsuitable";
  /** Official generation settings beyond the budget (stop strings, min tokens, sampling); greedy otherwise. */
  generation?: TaskGeneration;
  /** What differs when reproducing LOOM-Scope's code (`--protocol loom`). */
  loom?: Partial<Omit<TaskRow, "id" | "loom" | "prompt" | "protocols">> & { prompt?: Partial<TaskPrompt> };
  /**
   * The protocols whose code has this task (default: every protocol of the benchmark). A task
   * LOOM-Scope cannot run or score (LongBench-E: its eval.py has no metric for `qasper_e`) is
   * simply not there under `--protocol loom`.
   */
  protocols?: readonly Protocol[];
}

/** A row with the protocol's overrides applied. */
export interface ResolvedTask extends Omit<TaskRow, "loom"> {
  lengths: readonly string[];
  prompt: Required<Pick<TaskPrompt, "template" | "contextKey" | "truncation" | "chat">> & TaskPrompt;
}

/** Checks a task table once, at definition time: ids unique, metrics present, templates parseable. */
export function defineTasks<const Rows extends readonly TaskRow[]>(rows: Rows): Rows {
  const seen = new Set<string>();
  for (const row of rows) {
    if (seen.has(row.id)) throw new LoomError("TASK_TABLE", `task "${row.id}" is declared twice`);
    seen.add(row.id);
    if (row.protocols?.length === 0) throw new LoomError("TASK_TABLE", `task "${row.id}" is in no protocol`);
    for (const protocol of row.protocols ?? (["official", "loom"] as const)) {
      const task = resolveTask(row, protocol);
      if (task.metrics.length === 0) throw new LoomError("TASK_TABLE", `task "${row.id}" declares no metric`);
      if (task.levels && task.levels.length !== task.lengths.length) {
        throw new LoomError("TASK_TABLE", `task "${row.id}": ${task.levels.length} levels for ${task.lengths.length} lengths`);
      }
      if (!task.prompt.replacements) checkTemplate(row.id, task.prompt.template);
    }
  }
  return rows;
}

/** A template `str.format` would refuse (a lone brace, a positional or formatted field) fails at definition time. */
function checkTemplate(task: string, template: string): void {
  try {
    pyFormat(template, Object.fromEntries(pyFormatFields(template).map((f) => [f, ""])));
  } catch (error) {
    throw new LoomError("TASK_TABLE", `task "${task}": its template cannot be formatted: ${(error as Error).message}`);
  }
}

/** Whether the protocol's code has this task. */
export const taskInProtocol = (row: TaskRow, protocol: Protocol): boolean => row.protocols === undefined || row.protocols.includes(protocol);

/** The row as the protocol sees it. */
export function resolveTask(row: TaskRow, protocol: Protocol): ResolvedTask {
  const { loom, protocols: _protocols, ...base } = row;
  const merged = protocol === "loom" && loom ? { ...base, ...loom, prompt: { ...base.prompt, ...(loom.prompt ?? {}) } } : base;
  const levels = merged.levels;
  return {
    ...merged,
    lengths: merged.lengths ?? levels?.map((l) => l.label) ?? [],
    prompt: { contextKey: "context", truncation: "middle", chat: "model", ...merged.prompt },
  };
}

/** The spec's view of a resolved row (metric ids instead of objects). */
export function toTaskSpec(task: ResolvedTask): TaskSpec {
  return {
    id: task.id,
    language: task.language,
    lengths: task.lengths,
    ...(task.levels ? { levels: task.levels } : {}),
    maxNewTokens: task.maxNewTokens,
    metrics: task.metrics.map((m) => m.id),
    ...(task.tags ? { tags: task.tags } : {}),
    ...(task.description ? { description: task.description } : {}),
    ...(task.retrieval ? { retrieval: task.retrieval } : {}),
    ...(task.generation ? { generation: task.generation } : {}),
  };
}

/** Prompt parts for a sample from its task row: the template's fields come from `sample.input`. */
export function promptFromRow(task: ResolvedTask, sample: Sample): PromptParts {
  const p = task.prompt;
  return {
    template: p.template,
    values: sample.input,
    contextKey: p.contextKey,
    ...(p.queryKey !== undefined ? { queryKey: p.queryKey } : {}),
    ...(p.system !== undefined ? { system: p.system } : {}),
    ...(p.assistantPrefix !== undefined ? { assistantPrefix: p.assistantPrefix } : {}),
    ...(p.replacements ? { replacements: p.replacements.map((r) => ({ ...r })) } : {}),
    ...(p.role !== undefined ? { role: p.role } : {}),
    ...(p.history ? { history: p.history.map((t) => ({ ...t })) } : {}),
    truncation: p.truncation,
    chat: p.chat === "model",
  };
}

/** Length levels given in tokens with the usual k/M labels (`4k` = 4,096). */
export const tokenLevels = (...labels: readonly string[]): LengthLevel[] => labels.map((label) => ({ label, unit: "tokens", value: parseLevel(label, 1024) }));
/** Length levels whose labels count words (`16k` = 16,000 words, as LV-Eval names them). */
export const wordLevels = (...labels: readonly string[]): LengthLevel[] => labels.map((label) => ({ label, unit: "words", value: parseLevel(label, 1000) }));

function parseLevel(label: string, k: number): number {
  const m = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(label);
  if (!m) throw new LoomError("TASK_TABLE", `length level "${label}" is not a number with an optional k/M suffix`);
  const n = Number(m[1]);
  const unit = m[2]?.toLowerCase();
  return Math.round(unit === "k" ? n * k : unit === "m" ? n * k * k : n);
}
