import type { PluginRegistry } from "@loomscope/core";
import type { LoomBenchLock } from "@loomscope/suite-loombench";

/** Complete `lock` from a snapshot folder of the dataset: each file's sha256 and its units' sample ids. */
export function completeLock(lock: LoomBenchLock, snapshot: string, options?: { registry?: PluginRegistry; cwd?: string }): Promise<{ lock: LoomBenchLock; missing: string[] }>;
