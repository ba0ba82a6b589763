/**
 * A content-addressed cache of model responses on disk, shared by all runs: the key is a hash of
 * everything that determines the response (model identity, the exact prompt, generation
 * parameters), the value the response. Judge calls and generations both go through it, so
 * re-scoring, a larger `--limit`, an added task or a moved server cost nothing for what was asked before.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { JsonValue } from "@loomscope/spec";

/** JSON with object keys sorted, so equal values hash equally. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

export const cacheKey = (parts: unknown): string => createHash("sha256").update(canonicalJson(parts)).digest("hex");

export interface CacheStats {
  hits: number;
  misses: number;
  writes: number;
}

export class ResponseCache {
  readonly dir: string;
  readonly stats: CacheStats = { hits: 0, misses: 0, writes: 0 };

  constructor(dir: string) {
    this.dir = dir;
  }

  private file(key: string): string {
    return join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  get<T extends JsonValue>(key: string): T | undefined {
    const file = this.file(key);
    if (!existsSync(file)) {
      this.stats.misses++;
      return undefined;
    }
    try {
      const value = (JSON.parse(readFileSync(file, "utf8")) as { value: T }).value;
      this.stats.hits++;
      return value;
    } catch {
      // A torn or foreign file: treat as a miss; the next put replaces it.
      this.stats.misses++;
      return undefined;
    }
  }

  /** Whether an entry exists, without reading it or counting a hit or miss (`loom plan`). */
  has(key: string): boolean {
    return existsSync(this.file(key));
  }

  put(key: string, value: JsonValue): void {
    const file = this.file(key);
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ value, at: new Date().toISOString() }));
    renameSync(tmp, file);
    this.stats.writes++;
  }

  /** Entries and bytes on disk. */
  usage(): { entries: number; bytes: number } {
    let entries = 0;
    let bytes = 0;
    for (const { size } of this.files()) {
      entries++;
      bytes += size;
    }
    return { entries, bytes };
  }

  /** Remove the least recently written entries until at most `maxBytes` remain. */
  prune(maxBytes: number): { removed: number; bytes: number } {
    const files = this.files().sort((a, b) => a.mtimeMs - b.mtimeMs);
    let total = files.reduce((a, f) => a + f.size, 0);
    let removed = 0;
    for (const f of files) {
      if (total <= maxBytes) break;
      rmSync(f.path, { force: true });
      total -= f.size;
      removed++;
    }
    return { removed, bytes: total };
  }

  private files(): { path: string; size: number; mtimeMs: number }[] {
    if (!existsSync(this.dir)) return [];
    const out: { path: string; size: number; mtimeMs: number }[] = [];
    for (const shard of readdirSync(this.dir)) {
      const sub = join(this.dir, shard);
      if (!statSync(sub).isDirectory()) continue;
      for (const name of readdirSync(sub)) {
        if (!name.endsWith(".json")) continue;
        const path = join(sub, name);
        const st = statSync(path);
        out.push({ path, size: st.size, mtimeMs: st.mtimeMs });
      }
    }
    return out;
  }
}
