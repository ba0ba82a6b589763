/**
 * The manifest while a run writes: usage totals saved as the run goes (a kill -9 keeps what the
 * killed process spent), data provenance saved the moment a file is opened, and a resumed run
 * refused when a data file it already used has changed.
 */
import { LoomError, type JsonObject, type RunManifest } from "@loomscope/spec";
import { redactJson, type Redactor } from "../redact.js";
import type { RunStore } from "./store.js";

export interface RunUsage {
  promptTokens: number;
  completionTokens: number;
  requests: number;
  costUsd: number;
  priced: boolean;
  /** Samples answered from the response cache (no request sent). */
  cached: number;
  /** Prompt tokens the server reported serving from its prefix cache. */
  cachedPromptTokens: number;
}

/** Totals are saved at most this often while samples finish (and always at the end). */
export const TOTALS_FLUSH_MS = 1000;

export function addTotals(previous: RunManifest["totals"], run: RunUsage): NonNullable<RunManifest["totals"]> {
  return {
    promptTokens: (previous?.promptTokens ?? 0) + run.promptTokens,
    completionTokens: (previous?.completionTokens ?? 0) + run.completionTokens,
    requests: (previous?.requests ?? 0) + run.requests,
    costUsd: run.priced || previous?.costUsd != null ? (previous?.costUsd ?? 0) + run.costUsd : null,
    cached: (previous?.cached ?? 0) + run.cached,
    cachedPromptTokens: (previous?.cachedPromptTokens ?? 0) + run.cachedPromptTokens,
  };
}

const SHA256 = /^[0-9a-f]{64}$/i;

/** The checksums a provenance entry holds: its `sha256`, and any `name: <sha256>` pairs. */
function checksumsOf(value: JsonObject): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, inner] of Object.entries(value)) {
    if (typeof inner === "string" && (key === "sha256" || SHA256.test(inner))) out.set(key, inner.toLowerCase());
  }
  return out;
}

export interface KeeperOptions {
  store: RunStore;
  manifest: RunManifest;
  /** The provenance of the run as it was on disk before this invocation. */
  previousProvenance: RunManifest["provenance"];
  /** Benchmarks that already have records: their data must not change under them. */
  resumedBenchmarks: ReadonlySet<string>;
  /** This invocation's usage, updated by the pipeline. */
  usage: RunUsage;
  redact: Redactor;
  runDir: string;
  /** Called once when a changed data file refuses the resume (the run stops). */
  onRefuse(error: LoomError): void;
}

export class ManifestKeeper {
  private readonly o: KeeperOptions;
  private readonly baseTotals: RunManifest["totals"];
  private lastFlush = 0;
  /** Set when a changed data file refused the resume. */
  refusal: LoomError | undefined;

  constructor(options: KeeperOptions) {
    this.o = options;
    this.baseTotals = options.manifest.totals;
  }

  get manifest(): RunManifest {
    return this.o.manifest;
  }

  /**
   * A benchmark opened a data file (or generated data): note it, and refuse the resume when a file
   * the finished records came from now has another checksum. Saved at once, before any record of
   * that data, so a killed run still knows what its records were made from.
   */
  recordProvenance(benchmark: string, key: string, value: JsonObject): void {
    const before = this.o.previousProvenance[benchmark]?.[key];
    if (before && this.o.resumedBenchmarks.has(benchmark)) {
      const was = checksumsOf(before);
      for (const [field, now] of checksumsOf(value)) {
        const old = was.get(field);
        if (old !== undefined && old !== now) {
          const file = field === "sha256" ? (typeof value.path === "string" ? value.path : key.replace(/^data:/, "")) : field;
          const error = new LoomError(
            "DATA_CHANGED",
            `${benchmark}: the data changed since this run started, so it cannot be resumed: ${file} had sha256 ${old} and now has ${now}`,
            {
              hint: `resume with the data the run started with, or start a new run for this data: pass another --run-dir (or move ${this.o.runDir} aside)`,
            },
          );
          if (!this.refusal) {
            this.refusal = error;
            this.o.onRefuse(error);
          }
          throw error;
        }
      }
    }
    const provenance = this.o.manifest.provenance;
    const previous = provenance[benchmark]?.[key];
    (provenance[benchmark] ??= {})[key] = value;
    if (JSON.stringify(previous) !== JSON.stringify(value)) this.flush();
  }

  /** A record was written: save the totals if the last save is old enough. */
  noteRecord(): void {
    if (Date.now() - this.lastFlush >= TOTALS_FLUSH_MS) this.flush();
  }

  /** Write the manifest with the totals so far (previous invocations' plus this one's). */
  flush(): void {
    this.lastFlush = Date.now();
    this.o.manifest.totals = addTotals(this.baseTotals, this.o.usage);
    this.o.store.writeManifest(redactJson(this.o.manifest, this.o.redact));
  }
}
