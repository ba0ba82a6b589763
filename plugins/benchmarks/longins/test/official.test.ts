/**
 * `scoreOfficial`: a LongIns-Bench root (data/, results/, an earlier f1.json) in, f1.json out,
 * byte for byte what eval.py wrote when run once per results file (fixture made by
 * scripts/make-parity-fixture.py).
 */
import { cp, mkdtemp, readFile, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { scoreOfficial } from "../src/index.js";
import { fixturePath } from "./helpers.js";

const dirs: string[] = [];
async function copyRoot(name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "longins-"));
  dirs.push(dir);
  await cp(fixturePath(name), dir, { recursive: true });
  return dir;
}
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});
const log = (): void => {};

describe("loom score longins --predictions (official)", () => {
  it("writes the f1.json eval.py writes, byte for byte", async () => {
    const dir = await copyRoot("official");
    const result = await scoreOfficial({ predictions: dir, log });
    expect(result.written).toEqual([join(dir, "f1.json")]);
    expect(await readFile(join(dir, "f1.json"), "utf8")).toBe(await readFile(fixturePath("official-f1.json"), "utf8"));
    expect(result.summary).toContain("model_x_1024_GIST");
  });

  it("writes to --out, reading the f1.json there (none: starts from {})", async () => {
    const dir = await copyRoot("official");
    const out = join(dir, "elsewhere");
    await scoreOfficial({ predictions: dir, out, log });
    const written = JSON.parse(await readFile(join(out, "f1.json"), "utf8")) as Record<string, number>;
    expect(Object.keys(written)).toEqual(["modelA_256_GIST", "modelA_512_LIST", "model_x_1024_GIST", "model_x_1024_LIST", "model_x_16384_LIST"]);
  });

  it("refuses, writing nothing, where eval.py raises AttributeError (key already scored)", async () => {
    const dir = await copyRoot("official-crash");
    const before = await readFile(join(dir, "f1.json"), "utf8");
    await expect(scoreOfficial({ predictions: dir, log })).rejects.toThrow(/AttributeError/);
    expect(await readFile(join(dir, "f1.json"), "utf8")).toBe(before);
  });

  it("refuses an id missing from the data file and a response that is not a string", async () => {
    const dir = await copyRoot("official-crash");
    await rm(join(dir, "f1.json"));
    await writeFile(join(dir, "results", "m_256_GIST.jsonl"), '{"id": "nope", "response": "[1]"}\n');
    await expect(scoreOfficial({ predictions: dir, log })).rejects.toThrow(/KeyError/);
    await writeFile(join(dir, "results", "m_256_GIST.jsonl"), '{"id": "a", "response": null}\n');
    await expect(scoreOfficial({ predictions: dir, log })).rejects.toThrow(/TypeError/);
    await writeFile(join(dir, "results", "m_256_GIST.jsonl"), '{"id": "a", "response": "[1]"}\n\n');
    await expect(scoreOfficial({ predictions: dir, log })).rejects.toThrow(/not JSON/);
  });
});

describe("loom score longins --predictions --protocol loom", () => {
  it("scores LOOM-Scope's prediction folder: ACC per file, the weighted total, a bad line re-scores the previous record", async () => {
    const dir = await mkdtemp(join(tmpdir(), "longins-loom-"));
    dirs.push(dir);
    await mkdir(dir, { recursive: true });
    const line = (response: string, error: number[]): string => JSON.stringify({ response, error, LEN: 300 });
    await writeFile(join(dir, "GIST_256.jsonl"), [line("[1, 2]", [1, 2]), line("[3]", [1]), "not json"].join("\n") + "\n");
    await writeFile(join(dir, "LIST_512.jsonl"), [line("[1]", [1, 2])].join("\n") + "\n");
    const result = await scoreOfficial({ predictions: dir, protocol: "loom", log });
    const body = JSON.parse(await readFile(join(dir, "score_loom.json"), "utf8")) as {
      LongIns: Record<string, { ACC: number }>;
      count: Record<string, number>;
      Total: number;
    };
    // GIST_256: F1s 1, 0, 0 (the bad line repeats the record before it) → 33.33; LIST_512: 2/3 → 66.67.
    expect(body.LongIns).toEqual({ GIST_256: { ACC: 33.33 }, LIST_512: { ACC: 66.67 } });
    expect(body.count).toEqual({ GIST_256: 3, LIST_512: 1 });
    // (33.33*3 + 66.67) / 4 = 41.665 (just below, in binary); numpy: round(np.float64(41.665), 2) == 41.66
    expect(body.Total).toBe(41.66);
    expect(await readFile(join(dir, "Total.txt"), "utf8")).toBe("41.66");
    expect(result.written).toHaveLength(3);
  });

  it("writes length.json (categorize_length bucket counts, first-seen order) and the per-length table, as save_results does", async () => {
    const dir = await mkdtemp(join(tmpdir(), "longins-loom-len-"));
    dirs.push(dir);
    const line = (response: string, error: number[], LEN: unknown): string => JSON.stringify({ response, error, LEN });
    await writeFile(join(dir, "GIST_16384.jsonl"), [line("[1]", [1], 17000), line("[2]", [1], 9000)].join("\n") + "\n");
    await writeFile(join(dir, "LIST_256.jsonl"), [line("[1]", [1], 300), line("[1]", [1, 2], 128001)].join("\n") + "\n");
    const result = await scoreOfficial({ predictions: dir, protocol: "loom", log });
    expect(result.written.map((w) => w.slice(dir.length + 1))).toEqual(["length.json", "Total.txt", "score_loom.json"]);
    expect(await readFile(join(dir, "length.json"), "utf8")).toBe('{\n  "16k-32k": 1,\n  "8k-16k": 1,\n  "0-8k": 1,\n  "64k-128k": 1\n}');
    const body = JSON.parse(await readFile(join(dir, "score_loom.json"), "utf8")) as { length: Record<string, { ACC: number }>; Total_length: number };
    expect(body.length).toEqual({ "16k-32k": { ACC: 100 }, "8k-16k": { ACC: 0 }, "0-8k": { ACC: 100 }, "64k-128k": { ACC: 66.67 } });
    expect(body.Total_length).toBe(66.67);
    await writeFile(join(dir, "LIST_256.jsonl"), line("[1]", [1], "300") + "\n");
    await expect(scoreOfficial({ predictions: dir, protocol: "loom", log })).rejects.toThrow(/LEN is a str .*TypeError/);
  });
});
