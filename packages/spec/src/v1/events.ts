import type { BenchmarkResult, RunManifest, RunResults, SampleRecord } from "./results.js";
import type { LogLevel } from "./common.js";

export interface PlannedTask {
  benchmark: string;
  task: string;
  length: string | null;
  /** Samples expected, when the benchmark can count them cheaply. */
  total: number | undefined;
  /** Already recorded by an earlier run in the same directory. */
  resumed: number;
}

/** Every event on the run's bus. The progress display, the store and reporters only subscribe. */
export interface LoomEvents {
  "run:start": { runId: string; runDir: string; manifest: RunManifest; plan: PlannedTask[] };
  "task:start": { benchmark: string; task: string; length: string | null; total: number | undefined; resumed: number };
  "sample:start": { benchmark: string; task: string; length: string | null; sampleId: string };
  "sample:prompt": {
    benchmark: string;
    task: string;
    length: string | null;
    sampleId: string;
    tokens: number | null;
    truncated: boolean;
  };
  "request:retry": {
    sampleId: string;
    attempt: number;
    delayMs: number;
    reason: string;
    status?: number;
  };
  "concurrency:change": { backend: string; limit: number; reason: string };
  "sample:done": { record: SampleRecord };
  "sample:error": { record: SampleRecord };
  /** Never sent: the prompt cannot fit the model's window (the record says by how much). */
  "sample:skipped": { record: SampleRecord };
  "data:issue": { benchmark: string; file: string; line?: number; message: string };
  "task:done": { benchmark: string; task: string; length: string | null; ok: number; errors: number };
  "benchmark:done": { result: BenchmarkResult };
  "run:done": { results: RunResults; interrupted: boolean; runDir: string };
  log: { level: LogLevel; message: string; source?: string };
}
export type LoomEventName = keyof LoomEvents;
