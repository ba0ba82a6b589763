/**
 * @loomscope/suite-loombench: LOOMBench, LOOM-Scope's light suite — twelve benchmarks on the data of
 * the Hugging Face dataset LCM-Lab/LOOMBench, one folder per benchmark, pinned by the lock
 * (src/lock.ts): a revision, each file's sha256 and the sample-id list its rows yield. Each member is
 * scored by its own aggregation; the suite score is the unweighted mean of the twelve benchmark
 * scores with per-capability means beside it (the LOOMBench card's rule, see README).
 */
import { readFileSync } from "node:fs";
import { LoomError, defineSuite, type PinnedDataFile, type Suite, type SuiteEntry } from "@loomscope/spec";
import { LOOMBENCH_LOCK, LockSchema, type LoomBenchLock } from "./lock.js";

export { LOOMBENCH_LOCK, LOOMBENCH_REVISION, LockSchema, type LoomBenchLock } from "./lock.js";

/** The environment variable naming a lock file to use instead of the shipped one (a completed lock, a mirror). */
export const LOCK_ENV = "LOOMBENCH_LOCK";

/** The LOOMBench card's column names, in its order, by benchmark id. */
export function leaderboardColumns(lock: LoomBenchLock = LOOMBENCH_LOCK): { benchmark: string; column: string }[] {
  return lock.members.map((m) => ({ benchmark: m.benchmark, column: m.column }));
}

/** Read and validate a lock file (JSON), naming the file and the first problem. */
export function readLock(path: string): LoomBenchLock {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new LoomError("SUITE", `cannot read the LOOMBench lock ${path}: ${(error as Error).message}`, { hint: `${LOCK_ENV} names a JSON lock file` });
  }
  const parsed = LockSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new LoomError("SUITE", `${path}: ${issue.path.join(".") || "(file)"}: ${issue.message}`, { hint: "the lock's shape is the shipped one (src/lock.ts of @loomscope/suite-loombench)" });
  }
  return parsed.data;
}

/** The suite's entries from a lock: each member's pinned files become its entry's `data`. */
export function suiteFromLock(lock: LoomBenchLock): Suite {
  const entries: SuiteEntry[] = lock.members.map((m) => {
    const data: PinnedDataFile[] | undefined =
      m.files === "generated"
        ? undefined
        : m.files.map((f) => ({
            task: f.task,
            ...(f.length !== undefined ? { length: f.length } : {}),
            file: { source: lock.source, repo: lock.repo, revision: lock.revision, path: f.path, ...(f.sha256 ? { sha256: f.sha256 } : {}) } as PinnedDataFile["file"],
            ...(f.ids ? { ids: f.ids } : {}),
            ...(f.idsByLength ? { idsByLength: f.idsByLength } : {}),
          }));
    return {
      benchmark: m.benchmark,
      ...(m.tasks ? { tasks: m.tasks } : {}),
      ...(m.lengths ? { lengths: m.lengths } : {}),
      ...(m.protocol ? { protocol: m.protocol } : {}),
      ...(m.options ? { options: m.options } : {}),
      ...(data ? { data } : {}),
      weight: 1,
    };
  });
  return defineSuite({
    kind: "suite",
    apiVersion: 1,
    id: "loombench",
    version: "0.1.0",
    description: `LOOMBench: twelve long-context benchmarks on ${lock.repo}@${lock.revision.slice(0, 7)} (one folder each, files and sample ids pinned); the unweighted mean of the twelve scores, with per-capability means.`,
    entries,
    aggregation: { rule: "mean", capabilityMeans: true },
  });
}

const lockPath = process.env[LOCK_ENV];
const loombench: Suite = suiteFromLock(lockPath ? readLock(lockPath) : LOOMBENCH_LOCK);
export default loombench;
