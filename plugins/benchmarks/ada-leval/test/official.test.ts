/**
 * `scoreOfficial`: an Ada-LEval root (data/, results/*.pkl as run.py pickles them, an earlier
 * result.json) in, result.json out, byte for byte what dataset.py's evaluate + smp.dump wrote
 * (test/fixtures/official*, scripts/make-parity-fixture.py).
 */
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { scoreOfficial } from "../src/index.js";
import { fixturePath } from "./helpers.js";

const dirs: string[] = [];
async function copyRoot(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "ada-"));
  dirs.push(dir);
  await cp(fixturePath("official"), dir, { recursive: true });
  return dir;
}
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});
const log = (): void => {};

/** A protocol-4 pickle of {key: value} with string keys and values (what pickle.dump writes for small dicts). */
function pickleDict(entries: [string, string][]): Buffer {
  const parts: Buffer[] = [Buffer.from([0x80, 0x04, 0x7d, 0x94, 0x28])];
  for (const [k, v] of entries) {
    for (const s of [k, v]) {
      const b = Buffer.from(s, "utf8");
      parts.push(Buffer.from([0x8c, b.length]), b, Buffer.from([0x94]));
    }
  }
  parts.push(Buffer.from([0x75, 0x2e]));
  return Buffer.concat(parts);
}

describe("loom score ada-leval --predictions (official)", () => {
  it("writes the result.json run.py writes, byte for byte (rank pickles merged, API model on 'less')", async () => {
    const dir = await copyRoot();
    const result = await scoreOfficial({ predictions: dir, log });
    expect(result.written).toEqual([join(dir, "result.json")]);
    expect(await readFile(join(dir, "result.json"), "utf8")).toBe(await readFile(fixturePath("official-result.json"), "utf8"));
    expect(result.summary).toContain("gpt-4-0125: StackSelect 32k Accuracy: 18.0% (50 items, less)");
  });

  it("refuses, writing nothing, where run.py raises: a missing prediction, a non-iterable TSort answer", async () => {
    const dir = await copyRoot();
    const before = await readFile(join(dir, "result.json"), "utf8");
    await writeFile(join(dir, "results", "internlm2-7b_textsort_2k.pkl"), pickleDict([["300_0_1_2_3", "Answer: [1, 2, 3, 4]"]]));
    await expect(scoreOfficial({ predictions: dir, log })).rejects.toThrow(/KeyError/);
    const data = JSON.parse(await readFile(join(dir, "data", "textsort_2k.json"), "utf8")) as { book_id: number; para_offset: number[] }[];
    const all = data.map((d): [string, string] => [`${d.book_id}_${d.para_offset.join("_")}`, "Answer: 2143"]);
    await writeFile(join(dir, "results", "internlm2-7b_textsort_2k.pkl"), pickleDict(all));
    await expect(scoreOfficial({ predictions: dir, log })).rejects.toThrow(/TypeError/);
    expect(await readFile(join(dir, "result.json"), "utf8")).toBe(before);
  });

  it("refuses a pickle that would run code", async () => {
    const dir = await copyRoot();
    // {"x": os.system("echo pwned")} as protocol 2 would write it: GLOBAL then REDUCE.
    const evil = Buffer.concat([Buffer.from([0x80, 0x02, 0x7d, 0x71, 0x00, 0x58, 0x01, 0, 0, 0]), Buffer.from("x"), Buffer.from("cposix\nsystem\nq\x01X\n\0\0\0echo pwnedq\x02\x85q\x03Rq\x04s.", "latin1")]);
    await writeFile(join(dir, "results", "internlm2-7b_textsort_2k.pkl"), evil);
    await expect(scoreOfficial({ predictions: dir, log })).rejects.toThrow(/refused opcode GLOBAL/);
  });
});

describe("loom score ada-leval --predictions --protocol loom", () => {
  it("scores LOOM-Scope's prediction folder: per-file ACC, weighted total, whole-list TSort comparison", async () => {
    const dir = await mkdtemp(join(tmpdir(), "ada-loom-"));
    dirs.push(dir);
    const ss = (response: string, answer: string): string => JSON.stringify({ response, answer, all_answers: ["a", "b", "c"], LEN: 1000 });
    const ts = (response: string, answer: unknown): string => JSON.stringify({ response, answer, LEN: 2000 });
    await writeFile(join(dir, "stackselect_1k.jsonl"), [ss("A2", "A2"), ss("Answer: 3", "A3"), ss("A1 or A3", "A1")].join("\n") + "\n");
    await writeFile(join(dir, "textsort_2k.jsonl"), [ts("Answer: [2, 1]", [2, 1, 4, 3]), ts("Answer: [2, 1, 4, 3]", "[2, 1, 4, 3]"), ts("Answer: 5", [1, 2, 3, 4])].join("\n") + "\n");
    await scoreOfficial({ predictions: dir, protocol: "loom", log });
    const body = JSON.parse(await readFile(join(dir, "score_loom.json"), "utf8")) as { Ada_LEval: Record<string, { ACC: number }>; Total: number };
    expect(body.Ada_LEval).toEqual({ stackselect_1k: { ACC: 66.67 }, textsort_2k: { ACC: 33.33 } });
    expect(body.Total).toBe(50);
    expect(await readFile(join(dir, "Total.txt"), "utf8")).toBe("50.0");
  });

  it("writes length.json (categorize_length bucket counts, first-seen order) and the per-length AVG table, as save_results does", async () => {
    const dir = await mkdtemp(join(tmpdir(), "ada-loom-len-"));
    dirs.push(dir);
    const ss = (response: string, LEN: unknown): string => JSON.stringify({ response, answer: "A2", all_answers: ["a", "b"], LEN });
    await writeFile(join(dir, "stackselect_32k.jsonl"), [ss("A2", 33000), ss("A1", 33000), ss("A2", 7000)].join("\n") + "\n");
    const result = await scoreOfficial({ predictions: dir, protocol: "loom", log });
    expect(result.written.map((w) => w.slice(dir.length + 1))).toEqual(["length.json", "Total.txt", "score_loom.json"]);
    expect(await readFile(join(dir, "length.json"), "utf8")).toBe('{\n  "32k-64k": 2,\n  "0-8k": 1\n}');
    const body = JSON.parse(await readFile(join(dir, "score_loom.json"), "utf8")) as { length: Record<string, { AVG: number }>; Total_length: number };
    expect(body.length).toEqual({ "32k-64k": { AVG: 50 }, "0-8k": { AVG: 100 } });
    expect(body.Total_length).toBe(66.67);
    await writeFile(join(dir, "stackselect_32k.jsonl"), ss("A2", null) + "\n");
    await expect(scoreOfficial({ predictions: dir, protocol: "loom", log })).rejects.toThrow(/LEN is a NoneType .*TypeError/);
  });
});
