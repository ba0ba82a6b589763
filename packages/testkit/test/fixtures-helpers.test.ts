import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { expandFixtureText, fixtureFiles, paritySeeds, scriptedJudge } from "../src/index.js";

describe("fixtureFiles", () => {
  const make = (value: string) => {
    const dir = mkdtempSync(join(tmpdir(), "testkit-fix-"));
    mkdirSync(join(dir, "sub"));
    writeFileSync(join(dir, "sub", "a.json"), JSON.stringify({ value }));
    return dir;
  };
  it("reads the plugin's folder, or the one PARITY_FIXTURES names (an unseen set)", () => {
    const own = make("committed");
    const other = make("unseen");
    const committed = fixtureFiles(pathToFileURL(`${own}/`), {});
    expect(committed.json<{ value: string }>("sub/a.json").value).toBe("committed");
    expect(committed.text("sub/a.json")).toBe('{"value":"committed"}');
    const unseen = fixtureFiles(pathToFileURL(`${own}/`), { PARITY_FIXTURES: other });
    expect(unseen.dir).toBe(other);
    expect(unseen.path("sub/a.json")).toBe(join(other, "sub", "a.json"));
    expect(unseen.json<{ value: string }>("sub/a.json").value).toBe("unseen");
  });
  it("runs the committed seeds, or those PARITY_SEEDS lists", () => {
    expect(paritySeeds([1, 2], {})).toEqual([1, 2]);
    expect(paritySeeds([1, 2], { PARITY_SEEDS: "7, 8" })).toEqual([7, 8]);
    expect(() => paritySeeds([1], { PARITY_SEEDS: "seven" })).toThrow(/PARITY_SEEDS must list integers/);
  });
  it("expands repeated fixture texts", () => {
    expect(expandFixtureText("x")).toBe("x");
    expect(expandFixtureText({ repeat: "ab", times: 3, prefix: "<", suffix: ">" })).toBe("<ababab>");
  });
});

describe("scriptedJudge", () => {
  it("answers each prompt with its replies in order and records every request", async () => {
    const judge = scriptedJudge(new Map([["q", ["first", "second"]]]));
    const ask = (content: string) => judge.complete({ messages: [{ role: "system", content: "s" }, { role: "user", content }] });
    expect(await ask("q")).toBe("first");
    expect(await ask("q")).toBe("second");
    expect(await ask("q")).toBe("");
    await expect(ask("other")).rejects.toThrow(/unexpected judge prompt: other/);
    expect(judge.requests).toHaveLength(4);
    expect(judge.id).toBe("fake:scripted-judge");
  });
  it("or from a function of the prompt", async () => {
    const judge = scriptedJudge((p) => p.toUpperCase(), "fake:upper");
    expect(await judge.complete({ messages: [{ role: "user", content: "abc" }] })).toBe("ABC");
    expect(judge.id).toBe("fake:upper");
  });
});
