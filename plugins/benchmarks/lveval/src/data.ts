/**
 * Reading LV-Eval records: the official per-dataset zip of the Hugging Face repo
 * (`Infinigence/LVEval`, `<dataset>.zip` holding `<dataset>/<dataset>_<len>.jsonl`), or a local
 * folder the way the official scripts read one (`<data_path>/<dataset>_<len>.jsonl`, or the
 * unzipped `<dataset>/<dataset>_<len>.jsonl`). Streamed line by line; every record validated.
 */
import { z } from "zod";
import { LoomError, type BenchmarkContext, type JsonObject, type Sample, type SampleRequest } from "@loomscope/spec";
import {
  DATASET_LANGUAGE,
  DATASETS,
  HF_REPO,
  LENGTH_LEVELS,
  isDataset,
  jsonlName,
  zipPath,
  type DatasetName,
} from "./config.js";

/** One line of an LV-Eval jsonl file (README "Data Format"). Unknown fields are kept. */
export const LvevalRecordSchema = z
  .object({
    input: z.string(),
    context: z.string(),
    answers: z.array(z.string()),
    length: z.number().optional(),
    dataset: z.string().optional(),
    language: z.string().optional(),
    answer_keywords: z.string().nullable().optional(),
    confusing_facts: z.unknown().optional(),
  })
  .passthrough();
export type LvevalRecord = z.infer<typeof LvevalRecordSchema>;

/** Where a level's records are looked for under `--data-dir`, in this order. */
export function localCandidates(dataset: DatasetName, length: string): string[] {
  const file = jsonlName(dataset, length);
  return [file, `${dataset}/${file}`, `LVEval/${file}`, `LVEval/${dataset}/${file}`];
}

/** Records per length level in the official data (README "#QA pairs"; factrecall: 200 contexts). */
export const OFFICIAL_COUNTS: Record<DatasetName, number> = {
  hotpotwikiqa_mixup: 124,
  loogle_SD_mixup: 160,
  loogle_CR_mixup: 99,
  loogle_MIR_mixup: 139,
  multifieldqa_en_mixup: 101,
  multifieldqa_zh_mixup: 133,
  factrecall_en: 200,
  factrecall_zh: 200,
  cmrc_mixup: 200,
  lic_mixup: 197,
  dureader_mixup: 176,
};

interface RawLine {
  file: string;
  line: number;
  text: string;
}

function resolveTask(request: SampleRequest): { dataset: DatasetName; lengths: readonly string[] } {
  if (!isDataset(request.task)) {
    throw new LoomError("UNKNOWN_TASK", `lveval has no task "${request.task}"`, {
      hint: `tasks: ${DATASETS.join(", ")}`,
    });
  }
  if (request.length !== undefined && !(LENGTH_LEVELS as readonly string[]).includes(request.length)) {
    throw new LoomError("UNKNOWN_LENGTH", `lveval has no length level "${request.length}"`, {
      hint: `length levels: ${LENGTH_LEVELS.join(", ")}`,
    });
  }
  return { dataset: request.task, lengths: request.length === undefined ? LENGTH_LEVELS : [request.length] };
}

function isWanted(name: string, dataset: DatasetName, length: string): boolean {
  if (name.startsWith("__MACOSX/")) return false;
  const file = jsonlName(dataset, length);
  return name === `${dataset}/${file}` || name === file || name.endsWith(`/${file}`);
}

async function* levelLines(dataset: DatasetName, length: string, ctx: BenchmarkContext): AsyncGenerator<RawLine> {
  for (const rel of localCandidates(dataset, length)) {
    const found = ctx.data.local(rel);
    if (found === undefined) continue;
    ctx.log("debug", `lveval: reading ${found}`);
    // A local file's checksum goes in the manifest too: a resume on changed --data-dir content is refused.
    const sha256 = await ctx.data.checksum?.(found);
    ctx.recordProvenance(`data:${rel}`, { path: found, origin: "data-dir", ...(sha256 ? { sha256 } : {}) });
    for await (const { line, text } of ctx.data.lines(found)) yield { file: found, line, text };
    return;
  }
  const fetched = await ctx.data.fetch(
    { source: "huggingface", repo: HF_REPO, repoType: "dataset", path: zipPath(dataset) },
    { signal: ctx.signal },
  );
  ctx.recordProvenance(`data:${zipPath(dataset)}`, {
    repo: HF_REPO,
    path: zipPath(dataset),
    sha256: fetched.sha256,
    bytes: fetched.bytes,
    origin: fetched.origin,
  });
  for await (const entry of ctx.data.zipEntries(fetched.path)) {
    if (!isWanted(entry.name, dataset, length)) continue;
    const stream = await entry.open();
    const file = `${fetched.path}!${entry.name}`;
    try {
      for await (const { line, text } of ctx.data.lines(stream)) yield { file, line, text };
    } finally {
      stream.destroy();
    }
    return;
  }
  throw new LoomError("DATA_MISSING", `${zipPath(dataset)} has no ${dataset}/${jsonlName(dataset, length)}`, {
    hint: `the archive at ${fetched.path} may be incomplete; delete it from the cache to download it again`,
  });
}

function describeZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length > 0 ? i.path.join(".") : "record"}: ${i.message}`)
    .join("; ");
}

/** Build a Sample from a validated record; `index` is the record's 0-based position in its file. */
export function toSample(dataset: DatasetName, length: string, index: number, record: LvevalRecord, line: number): Sample {
  const meta: JsonObject = { line, language: record.language ?? DATASET_LANGUAGE[dataset] };
  if (record.length !== undefined) meta["words"] = record.length;
  return {
    id: `${dataset}_${length}-${index}`,
    task: dataset,
    length,
    input: { context: record.context, input: record.input },
    references: [...record.answers],
    scoring: { answer_keywords: record.answer_keywords ?? null },
    meta,
  };
}

/** `Benchmark.samples`: records in file order, malformed lines reported and skipped. */
export async function* lvevalSamples(request: SampleRequest, ctx: BenchmarkContext): AsyncGenerator<Sample> {
  const { dataset, lengths } = resolveTask(request);
  const wanted = request.sampleIds ? new Set(request.sampleIds) : undefined;
  let emitted = 0;
  if (request.limit !== undefined && request.limit <= 0) return;
  for (const length of lengths) {
    let index = 0;
    for await (const raw of levelLines(dataset, length, ctx)) {
      if (ctx.signal.aborted) return;
      if (raw.text.trim().length === 0) continue;
      const current = index++;
      const id = `${dataset}_${length}-${current}`;
      if (wanted && !wanted.has(id)) continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw.text);
      } catch (e) {
        ctx.reportDataIssue({ file: raw.file, line: raw.line, message: `invalid JSON: ${(e as Error).message}` });
        continue;
      }
      const result = LvevalRecordSchema.safeParse(parsed);
      if (!result.success) {
        ctx.reportDataIssue({ file: raw.file, line: raw.line, message: describeZodError(result.error) });
        continue;
      }
      yield toSample(dataset, length, current, result.data, raw.line);
      emitted++;
      if (request.limit !== undefined && emitted >= request.limit) return;
      if (wanted) {
        wanted.delete(id);
        if (wanted.size === 0) return;
      }
    }
  }
}

/** `Benchmark.count`: the official per-level counts, capped by limit / sample ids. */
export async function lvevalCount(request: SampleRequest, ctx: BenchmarkContext): Promise<number | undefined> {
  const { dataset, lengths } = resolveTask(request);
  // A local folder may hold a subset; counting it would mean reading it twice.
  if (lengths.some((l) => localCandidates(dataset, l).some((rel) => ctx.data.local(rel) !== undefined))) {
    return undefined;
  }
  let n = OFFICIAL_COUNTS[dataset] * lengths.length;
  if (request.sampleIds) n = Math.min(n, request.sampleIds.length);
  if (request.limit !== undefined) n = Math.min(n, Math.max(0, request.limit));
  return n;
}
