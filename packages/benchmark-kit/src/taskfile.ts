/**
 * A benchmark without a package: `loom run ./my-task.yaml` (or `.json`), the way lm-eval users
 * write a YAML task. The file names the data, a Python `str.format` template over the record's
 * fields, which field is the context and which the references, and registry metrics. Mistakes are
 * reported with file:line — in the task file, and in the data (as data issues).
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { LoomError, CAPABILITIES, type Capability } from "@loomscope/spec";
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

const KNOWN_KEYS = Object.keys(TaskFileSchema.shape);

/** The 1-based line of a top-level key in a YAML/JSON document. */
function lineOfKey(doc: Document, text: string, key: string): number | undefined {
  if (!isMap(doc.contents)) return undefined;
  for (const pair of doc.contents.items) {
    if (isScalar(pair.key) && pair.key.value === key && pair.key.range) return text.slice(0, pair.key.range[0]).split("\n").length;
  }
  return undefined;
}

function readTaskFile(path: string): TaskFile {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new LoomError("TASK_FILE", `cannot read task file ${path}: ${(error as Error).message}`);
  }
  const doc = parseDocument(text);
  const first = doc.errors[0];
  if (first) {
    const line = first.linePos?.[0]?.line;
    throw new LoomError("TASK_FILE", `${path}${line ? `:${line}` : ""}: ${first.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "")}`);
  }
  const raw: unknown = doc.toJS();
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new LoomError("TASK_FILE", `${path}: a task file is a mapping of keys (id, data, template, …)`);
  for (const key of Object.keys(raw)) {
    if (!KNOWN_KEYS.includes(key)) {
      const guess = closest(key, KNOWN_KEYS);
      const line = lineOfKey(doc, text, key);
      throw new LoomError("TASK_FILE", `${path}${line ? `:${line}` : ""}: unknown key "${key}"${guess ? ` (did you mean "${guess}"?)` : ""}`, { hint: `keys: ${KNOWN_KEYS.join(", ")}` });
    }
  }
  const parsed = TaskFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = String(issue.path[0] ?? "");
    const line = key ? lineOfKey(doc, text, key) : undefined;
    const what = issue.code === "invalid_type" && issue.message.includes("undefined") ? `missing required key "${key}"` : `${issue.path.join(".") || "(file)"}: ${issue.message}`;
    throw new LoomError("TASK_FILE", `${path}${line ? `:${line}` : ""}: ${what}`, { hint: `keys: ${KNOWN_KEYS.join(", ")}` });
  }
  return parsed.data;
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
  const file = readTaskFile(path);
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
