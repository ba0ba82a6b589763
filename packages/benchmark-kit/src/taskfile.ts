/**
 * A benchmark without a package: `loom run ./my-task.yaml` (or `.json`), the way lm-eval users
 * write a YAML task. The file names the data, a Python `str.format` template over the record's
 * fields, which field is the context and which the references, and registry metrics. Mistakes are
 * reported with file:line — in the task file, and in the data (as data issues).
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { LoomError, CAPABILITIES, PinnedDataFileSchema, type Capability, type Suite, type SuiteEntry } from "@loomscope/spec";
import { closest, metricById, METRICS, pyFormatFields, type Metric } from "@loomscope/metrics";
import { parseDocument, isMap, isScalar, type Document } from "yaml";
import { z } from "zod";
import type { KitBenchmark } from "./base.js";
import { defineDatasetBenchmark } from "./dataset.js";
import { formatOf, hfFile, type DataFile, type LocalFile } from "./sources.js";
import { defineTasks } from "./tasks.js";

const TaskFileSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, "ids are lower-case letters, digits, '.', '_' or '-'"),
    description: z.string().optional(),
    data: z.string().min(1),
    template: z.string().min(1),
    context_field: z.string().min(1),
    query_field: z.string().min(1).optional(),
    references: z.string().min(1),
    metrics: z.array(z.string()).min(1),
    max_new_tokens: z.number().int().positive(),
    system: z.string().optional(),
    capability: z.enum(CAPABILITIES).optional(),
    length_field: z.string().min(1).optional(),
    /** Length levels, required with `length_field` when the data is not a local file. */
    lengths: z.array(z.string()).min(1).optional(),
    language: z.enum(["en", "zh", "ru", "multi", "code"]).optional(),
    truncation: z.enum(["middle", "none"]).optional(),
    chat: z.enum(["model", "raw"]).optional(),
  })
  .strict();
export type TaskFile = z.infer<typeof TaskFileSchema>;


/** The 1-based line of a top-level key in a YAML/JSON document. */
function lineOfKey(doc: Document, text: string, key: string): number | undefined {
  if (!isMap(doc.contents)) return undefined;
  for (const pair of doc.contents.items) {
    if (isScalar(pair.key) && pair.key.value === key && pair.key.range) return text.slice(0, pair.key.range[0]).split("\n").length;
  }
  return undefined;
}

/** The line of the deepest node of `path` the document has (an issue inside entries[3].data[0] names that entry's line). */
function lineOfPath(doc: Document, text: string, path: readonly PropertyKey[]): number | undefined {
  for (let n = path.length; n >= 1; n--) {
    const node = doc.getIn(path.slice(0, n) as (string | number)[], true) as { range?: [number, number, number] } | undefined;
    if (node && typeof node === "object" && node.range) return text.slice(0, node.range[0]).split("\n").length;
  }
  return undefined;
}

interface ReadDocument {
  path: string;
  text: string;
  doc: Document;
  raw: Record<string, unknown>;
}

/** A YAML or JSON file as a mapping, with parse errors naming file:line. */
function readDocument(path: string, what: string): ReadDocument {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new LoomError("TASK_FILE", `cannot read ${what} ${path}: ${(error as Error).message}`);
  }
  const doc = parseDocument(text);
  const first = doc.errors[0];
  if (first) {
    const line = first.linePos?.[0]?.line;
    throw new LoomError("TASK_FILE", `${path}${line ? `:${line}` : ""}: ${first.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "")}`);
  }
  const raw: unknown = doc.toJS();
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new LoomError("TASK_FILE", `${path}: a ${what} is a mapping of keys`);
  return { path, text, doc, raw: raw as Record<string, unknown> };
}

/** Validate a read document against a strict schema: unknown keys (with a guess) and bad values name file:line. */
function validate<T>(d: ReadDocument, schema: z.ZodObject, what: string): T {
  const known = Object.keys(schema.shape);
  for (const key of Object.keys(d.raw)) {
    if (!known.includes(key)) {
      const guess = closest(key, known);
      const line = lineOfKey(d.doc, d.text, key);
      throw new LoomError("TASK_FILE", `${d.path}${line ? `:${line}` : ""}: unknown key "${key}"${guess ? ` (did you mean "${guess}"?)` : ""}`, { hint: `${what} keys: ${known.join(", ")}` });
    }
  }
  const parsed = schema.safeParse(d.raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = String(issue.path[0] ?? "");
    const line = (issue.path.length > 1 ? lineOfPath(d.doc, d.text, issue.path) : undefined) ?? (key ? lineOfKey(d.doc, d.text, key) : undefined);
    const problem = issue.code === "invalid_type" && issue.message.includes("undefined") && issue.path.length === 1 ? `missing required key "${key}"` : `${issue.path.join(".") || "(file)"}: ${issue.message}`;
    throw new LoomError("TASK_FILE", `${d.path}${line ? `:${line}` : ""}: ${problem}`, { hint: `${what} keys: ${known.join(", ")}` });
  }
  return parsed.data as T;
}

function readTaskFile(path: string): TaskFile {
  return validate<TaskFile>(readDocument(path, "task file"), TaskFileSchema, "task file");
}

/** `hf:<owner>/<repo>[@<revision>]/<path>` or a path relative to the task file. */
function dataSource(spec: string, baseDir: string): { local: LocalFile | undefined; remote: DataFile | undefined } {
  const hf = /^hf:([^/@]+\/[^/@]+)(?:@([^/]+))?\/(.+)$/.exec(spec);
  if (hf) return { local: undefined, remote: hfFile(hf[1]!, hf[3]!, hf[2] ? { revision: hf[2] } : {}) };
  if (/^[a-z]+:/i.test(spec) && !/^[a-z]:[\\/]/i.test(spec)) throw new LoomError("TASK_FILE", `data "${spec}": use a local path or hf:<owner>/<repo>/<file>`);
  const path = isAbsolute(spec) ? spec : resolve(baseDir, spec);
  return { local: { path, format: formatOf(path) }, remote: undefined };
}

const asText = (value: unknown): string => (typeof value === "string" ? value : typeof value === "number" || typeof value === "boolean" ? String(value) : JSON.stringify(value));

/** Read a task file into a benchmark. */
export async function loadTaskFile(path: string): Promise<KitBenchmark> {
  return taskFileBenchmark(path, readTaskFile(path));
}

async function taskFileBenchmark(path: string, file: TaskFile): Promise<KitBenchmark> {
  const metrics: Metric[] = file.metrics.map((id) => {
    try {
      return metricById(id);
    } catch {
      const guess = closest(id, Object.keys(METRICS));
      throw new LoomError("TASK_FILE", `${path}: unknown metric "${id}"${guess ? ` (did you mean "${guess}"?)` : ""}`, { hint: `metrics: ${Object.keys(METRICS).join(", ")}` });
    }
  });
  let fields: string[];
  try {
    fields = pyFormatFields(file.template);
  } catch (error) {
    throw new LoomError("TASK_FILE", `${path}: template: ${(error as Error).message}`);
  }
  if (!fields.includes(file.context_field)) throw new LoomError("TASK_FILE", `${path}: the template never uses the context field {${file.context_field}}`);
  if (file.query_field && !fields.includes(file.query_field)) throw new LoomError("TASK_FILE", `${path}: the template never uses the query field {${file.query_field}}`);
  const { local, remote } = dataSource(file.data, dirname(path));
  if (local && !existsSync(local.path)) throw new LoomError("TASK_FILE", `${path}: data file ${local.path} does not exist`, { hint: "data paths are relative to the task file" });
  let lengths = file.lengths;
  if (file.length_field && !lengths) {
    if (!local) throw new LoomError("TASK_FILE", `${path}: with length_field and hub data, list the length levels under "lengths"`);
    lengths = await distinctValues(local.path, file.length_field);
  }
  const needed = [...new Set([...fields, file.references, ...(file.length_field ? [file.length_field] : [])])];
  const record = z.record(z.string(), z.unknown()).superRefine((row, ctx) => {
    for (const field of needed) if (row[field] === undefined || row[field] === null) ctx.addIssue({ code: "custom", message: `missing field "${field}"`, path: [field] });
    const refs = row[file.references];
    if (refs !== undefined && typeof refs !== "string" && !(Array.isArray(refs) && refs.every((r) => typeof r === "string"))) {
      ctx.addIssue({ code: "custom", message: `references field "${file.references}" must be a string or a list of strings`, path: [file.references] });
    }
  });
  const tasks = defineTasks([
    {
      id: file.id,
      language: file.language ?? "en",
      ...(lengths ? { lengths } : {}),
      maxNewTokens: file.max_new_tokens,
      prompt: {
        template: file.template,
        contextKey: file.context_field,
        ...(file.query_field ? { queryKey: file.query_field } : {}),
        ...(file.system !== undefined ? { system: file.system } : {}),
        truncation: file.truncation ?? "middle",
        chat: file.chat ?? "model",
      },
      metrics,
    },
  ]);
  return defineDatasetBenchmark({
    id: file.id,
    version: "0.0.0",
    capability: (file.capability ?? "general") as Capability,
    description: file.description ?? `task file ${path}`,
    tasks,
    source: {
      local: () => (local ? [local] : []),
      remote: () => (remote ? [remote] : []),
    },
    record,
    ...(file.length_field ? { filter: (row: Record<string, unknown>, ref: { length: string | undefined }) => asText(row[file.length_field!]) === ref.length } : {}),
    toSample: (row: Record<string, unknown>) => {
      const refs = row[file.references];
      return {
        input: Object.fromEntries(fields.map((f) => [f, asText(row[f])])),
        references: typeof refs === "string" ? [refs] : [...(refs as string[])],
      };
    },
  });
}

async function distinctValues(path: string, field: string): Promise<string[]> {
  const { openRows } = await import("./sources.js");
  const { createReadStream } = await import("node:fs");
  const { createInterface } = await import("node:readline");
  const values: string[] = [];
  const ctx = {
    data: {
      local: (p: string) => p,
      lines: async function* (source: string) {
        let line = 0;
        for await (const text of createInterface({ input: createReadStream(source), crlfDelay: Infinity })) yield { line: ++line, text };
      },
    },
    recordProvenance: () => undefined,
    signal: new AbortController().signal,
  } as unknown as Parameters<typeof openRows>[0];
  const opened = await openRows(ctx, [path], []);
  for await (const raw of opened.rows) {
    let value: unknown = raw.value;
    if (raw.text !== undefined) {
      if (raw.text.trim() === "") continue;
      try {
        value = JSON.parse(raw.text);
      } catch {
        continue; // reported when the task runs
      }
    }
    const v = (value as Record<string, unknown> | null)?.[field];
    if (v !== undefined && v !== null && !values.includes(asText(v))) values.push(asText(v));
  }
  if (values.length === 0) throw new LoomError("TASK_FILE", `${path}: no row has the length field "${field}"`);
  return values;
}

const SuiteEntrySchema = z
  .object({
    /** An installed benchmark, by id… */
    benchmark: z.string().min(1).optional(),
    /** …or a task file, relative to the suite file. */
    task: z.string().min(1).optional(),
    tasks: z.array(z.string()).min(1).optional(),
    lengths: z.array(z.string()).min(1).optional(),
    limit: z.number().int().positive().optional(),
    sampleIds: z.array(z.string()).min(1).optional(),
    weight: z.number().positive().optional(),
    protocol: z.enum(["official", "loom"]).optional(),
    options: z.record(z.string(), z.unknown()).optional(),
    /** Pinned data files, one per unit: `{task, length?, file: {source, repo, revision, path, sha256}, ids?: {count, sha256}}`; `[]`: pinned, none listed yet (every unit refused). */
    data: z.array(PinnedDataFileSchema.strict()).optional(),
  })
  .strict()
  .refine((e) => (e.benchmark === undefined) !== (e.task === undefined), { message: "an entry names either a benchmark or a task file" });

const SuiteFileSchema = z
  .object({
    suite: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, "suite ids are lower-case letters, digits, '.', '_' or '-'"),
    version: z.string().optional(),
    description: z.string().optional(),
    aggregation: z.enum(["mean", "weighted-mean", "capability-mean"]).optional(),
    capabilityMeans: z.boolean().optional(),
    defaults: z.object({ model: z.string().optional(), maxLength: z.number().int().positive().optional() }).strict().optional(),
    entries: z.array(SuiteEntrySchema).min(1),
  })
  .strict();

/** What a task or suite file given as a target holds (`loom run ./x.yaml`). */
export type FileTarget =
  | { kind: "benchmark"; benchmark: KitBenchmark }
  | { kind: "suite"; suite: Suite; benchmarks: ReadonlyMap<string, { benchmark: KitBenchmark; file: string }> };

/**
 * A task file or a suite file: a file with `entries` is a suite (entries name installed benchmarks
 * or task files, with tasks, lengths, limit or pinned sample ids, weight, protocol and options, and
 * an aggregation rule); anything else is a task file.
 */
export async function loadFileTarget(path: string): Promise<FileTarget> {
  const d = readDocument(path, "task or suite file");
  if (!("entries" in d.raw) && !("suite" in d.raw)) return { kind: "benchmark", benchmark: await taskFileBenchmark(path, validate<TaskFile>(d, TaskFileSchema, "task file")) };
  const file = validate<z.infer<typeof SuiteFileSchema>>(d, SuiteFileSchema, "suite file");
  const benchmarks = new Map<string, { benchmark: KitBenchmark; file: string }>();
  const entries: SuiteEntry[] = [];
  for (const e of file.entries) {
    let id = e.benchmark;
    if (e.task !== undefined) {
      const taskPath = isAbsolute(e.task) ? e.task : resolve(dirname(path), e.task);
      const benchmark = await loadTaskFile(taskPath);
      benchmarks.set(benchmark.id, { benchmark, file: taskPath });
      id = benchmark.id;
    }
    const { task: _task, benchmark: _b, options, ...rest } = e;
    entries.push({ benchmark: id!, ...rest, ...(options ? { options: options as SuiteEntry["options"] } : {}) });
  }
  const suite: Suite = {
    kind: "suite",
    apiVersion: 1,
    id: file.suite,
    version: file.version ?? "0.0.0",
    description: file.description ?? `suite file ${path}`,
    entries,
    aggregation: { rule: file.aggregation ?? "mean", capabilityMeans: file.capabilityMeans ?? true },
    ...(file.defaults ? { defaults: file.defaults } : {}),
  };
  return { kind: "suite", suite, benchmarks };
}
