import { mkdtemp, readFile, cp, writeFile, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scoreOfficialLibra } from "../src/index.js";
import { fixturePath, fixtureText } from "./helpers.js";

const log = (): void => {};

describe("loom score libra --predictions", () => {
  it("writes results/<name>.json beside the predictions folder, as eval.py does, byte for byte", async () => {
    const root = await mkdtemp(join(tmpdir(), "libra-"));
    await cp(fixturePath("predictions"), join(root, "predictions"), { recursive: true });
    const res = await scoreOfficialLibra({ predictions: join(root, "predictions"), log });
    expect(res.written.map((p) => p.slice(root.length))).toEqual(["/results/parity-seed1.json", "/results/parity-seed2.json"]);
    for (const seed of [1, 2]) {
      expect(await readFile(join(root, "results", `parity-seed${seed}.json`), "utf8")).toBe(fixtureText(`results/parity-seed${seed}.json`));
    }
  });

  it("stops without writing on a dataset eval.py does not know (KeyError)", async () => {
    const root = await mkdtemp(join(tmpdir(), "libra-"));
    const dir = join(root, "predictions");
    await cp(fixturePath("predictions"), dir, { recursive: true });
    await writeFile(join(dir, "zz.json"), JSON.stringify({ no_such: [{ length: "4k", model_answer: "", positive_outputs: ["1"], negative_outputs: [] }] }));
    await expect(scoreOfficialLibra({ predictions: dir, log })).rejects.toThrow(/KeyError/);
    expect(await readdir(root)).toEqual(["predictions"]);
  });

  it("writes NaN as total_score when the file holds no dataset, as json.dump does", async () => {
    const root = await mkdtemp(join(tmpdir(), "libra-"));
    await writeFile(join(root, "empty.json"), "{}");
    const res = await scoreOfficialLibra({ predictions: join(root, "empty.json"), out: join(root, "out"), log });
    expect(await readFile(res.written[0] as string, "utf8")).toBe('{"total_score": NaN}');
  });
});
