import { mkdtempSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ResponseCache, cacheKey, canonicalJson } from "../src/run/cache.js";

describe("response cache", () => {
  it("keys by content whatever the key order, stores, counts hits and misses", () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe('{"a":[{"c":3,"d":2}],"b":1}');
    expect(cacheKey({ x: 1, y: 2 })).toBe(cacheKey({ y: 2, x: 1 }));
    expect(cacheKey({ x: 1 })).not.toBe(cacheKey({ x: 2 }));
    const cache = new ResponseCache(mkdtempSync(join(tmpdir(), "loom-cache-")));
    const key = cacheKey({ prompt: "hi" });
    expect(cache.get(key)).toBeUndefined();
    cache.put(key, { text: "hello" });
    expect(cache.get(key)).toEqual({ text: "hello" });
    expect(cache.stats).toEqual({ hits: 1, misses: 1, writes: 1 });
  });

  it("prunes the oldest entries down to a size", () => {
    const dir = mkdtempSync(join(tmpdir(), "loom-cache-"));
    const cache = new ResponseCache(dir);
    const keys = Array.from({ length: 10 }, (_, i) => cacheKey({ i }));
    keys.forEach((k, i) => {
      cache.put(k, { text: "x".repeat(100) });
      const file = join(dir, k.slice(0, 2), `${k}.json`);
      utimesSync(file, new Date(1_000_000 + i * 1000), new Date(1_000_000 + i * 1000));
    });
    const { entries, bytes } = cache.usage();
    expect(entries).toBe(10);
    const result = cache.prune(bytes / 2);
    expect(result.removed).toBe(5);
    expect(cache.usage().entries).toBe(5);
    // The newest survive.
    expect(cache.get(keys[9]!)).toEqual({ text: "x".repeat(100) });
    expect(cache.get(keys[0]!)).toBeUndefined();
  });
});
