/**
 * evaluate.py parity (fixtures made by scripts/make-parity-fixture.py running the official
 * evaluate.py: ~300 adversarial predictions over the nine non-code tasks) and the private_eval sandbox.
 */
import { mkdtemp, readFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixtureFiles } from "@loomscope/testkit";
import { CodeExecutionRefused, concordanceIndex, convertBack, runProgram, scoreOfficial } from "../src/index.js";

// PARITY_FIXTURES points at another set (the scripts' --seed N: predictions these scorers were never checked on).
const FIX = fixtureFiles(new URL("./fixtures/", import.meta.url)).dir;
const parity = JSON.parse(readFileSync(join(FIX, "parity.json"), "utf8")) as { files: Record<string, string> };

describe("scoreOfficial prints what evaluate.py prints", () => {
  it("every task file", async () => {
    const out = await mkdtemp(join(tmpdir(), "bamboo-"));
    await scoreOfficial({ predictions: join(FIX, "preds"), out, log: () => {} });
    const got = JSON.parse(await readFile(join(out, "score_official.json"), "utf8")) as Record<string, { printed: string }>;
    const rows = Object.values(parity.files).length;
    expect(rows).toBe(9);
    for (const [name, printed] of Object.entries(parity.files)) expect([name, got[name]?.printed]).toEqual([name, printed]);
  });
  it("stops where evaluate.py raises and writes nothing: an empty multiple-choice reply (IndexError), an empty file (ZeroDivisionError)", async () => {
    const { mkdir, readdir, writeFile, copyFile } = await import("node:fs/promises");
    const root = await mkdtemp(join(tmpdir(), "bamboo-crash-"));
    const dir = join(root, "preds");
    await mkdir(dir);
    await copyFile(fixtureFiles(new URL("./fixtures/", import.meta.url), {}).path("preds/altqa_4k.jsonl"), join(dir, "altqa_4k.jsonl"));
    await writeFile(join(dir, "meetingqa_4k.jsonl"), JSON.stringify({ pred: "  \n", answer: "A" }) + "\n");
    await expect(scoreOfficial({ predictions: dir, log: () => {} })).rejects.toMatchObject({ code: "OFFICIAL_SCORE", message: expect.stringMatching(/meetingqa_4k\.jsonl: .*IndexError/) });
    const empty = join(root, "empty");
    await mkdir(empty);
    await writeFile(join(empty, "altqa_4k.jsonl"), "");
    await expect(scoreOfficial({ predictions: empty, log: () => {} })).rejects.toThrow(/altqa_4k\.jsonl: empty file: .*ZeroDivisionError/);
    expect([await readdir(dir), await readdir(empty)]).toEqual([["altqa_4k.jsonl", "meetingqa_4k.jsonl"], ["altqa_4k.jsonl"]]);
  });
  it("concordance index: 1-based predictions shifted, length mismatch flagged", () => {
    expect(concordanceIndex([1, 2, 3], [0, 1, 2])).toEqual([1, false]);
    expect(concordanceIndex([0, 1], [0, 1, 2])).toEqual([1 / 3, true]);
  });
});

describe("private_eval sandbox", () => {
  const opts = { allowCodeExecution: true, allowNetworkFallback: false, timeoutSeconds: 2, memoryBytes: 512 * 1024 ** 2, python: "/usr/bin/python3" };
  it("refuses without allowCodeExecution", async () => {
    await expect(runProgram("print(1)", {})).rejects.toBeInstanceOf(CodeExecutionRefused);
  });
  it("passes a correct program, fails a wrong one with the exception text", async () => {
    expect(await runProgram("x = 2\ndef check():\n    assert x == 2\ncheck()", opts)).toBe("passed");
    expect(await runProgram("x = 3\ndef check():\n    assert x == 2, 'bad'\ncheck()", opts)).toBe("failed: bad");
  });
  it("a prediction that loops forever times out", async () => {
    expect(await runProgram("while True:\n    pass", opts)).toBe("timed out");
  });
  it("a prediction that allocates without bound fails on the memory limit", async () => {
    // MemoryError (str() is empty) well inside the 2 s: the address-space limit stopped it, not the clock.
    expect(await runProgram("x = []\nwhile True:\n    x.append(' ' * 10**7)", opts)).toBe("failed: ");
  });
  it("a prediction that opens a socket gets no network", async () => {
    // A network namespace of its own: no route anywhere, loopback included.
    expect(await runProgram("import socket\ns = socket.create_connection(('1.1.1.1', 80), timeout=1)", opts)).toBe("failed: [Errno 101] Network is unreachable");
    const loopback = "import socket\ns = socket.socket()\ns.bind(('127.0.0.1', 0))\ns.listen()\nsocket.create_connection(s.getsockname(), timeout=1)";
    expect(await runProgram(loopback, opts)).toBe("failed: [Errno 101] Network is unreachable");
  });
  it("convert_back maps paraphrased names back and rejects original ones", () => {
    expect(convertBack("bn.numset([1])", "numpy")).toBe("np.array([1])");
    expect(convertBack("np.array([1])", "numpy")).toBe("error!");
  });
});
