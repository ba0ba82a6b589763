import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";

const readme = readFileSync(fileURLToPath(new URL("../README.md", import.meta.url)), "utf8");
const examples = [...readme.matchAll(/```js\n\/\/ example: (\w+)\n([\s\S]*?)```/g)].map((m) => ({ name: m[1] as string, code: m[2] as string }));
const dir = mkdtempSync(join(tmpdir(), "testkit-readme-"));

async function run(name: string): Promise<string[]> {
  const example = examples.find((e) => e.name === name);
  if (example === undefined) throw new Error(`README has no example ${name}`);
  const file = join(dir, `${name}.mjs`);
  writeFileSync(file, example.code);
  const lines: string[] = [];
  vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
    lines.push(args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" "));
  });
  await import(/* @vite-ignore */ file);
  return lines;
}

describe("README examples run as written", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("has the examples", () => {
    expect(examples.map((e) => e.name)).toEqual(["openai", "ollama", "tokenizer", "script", "faults", "simulator", "context", "gguf"]);
  });

  it("openai", async () => {
    expect(await run("openai")).toEqual(["Paris.", "true"]);
  });

  it("ollama", async () => {
    const out = await run("ollama");
    expect(out[0]).toBe("5034 tokens sent");
    expect(out[1]).toBe("2048 evaluated");
    expect(out[2]).toBe(JSON.stringify({ promptTokens: 5034, evaluated: 2048, numCtx: 2048, numKeep: 4 }));
    expect(out[3]).toBe('404 {"error":"model \\"x\\" not found, try pulling it first"}');
  });

  it("tokenizer", async () => {
    const out = await run("tokenizer");
    expect(out.slice(0, 4)).toEqual(["6", "[104,105]", "hi", "21"]);
  });

  it("script", async () => {
    expect(await run("script")).toEqual(["You asked 24 tokens' worth via openai.chat."]);
  });

  it("simulator", async () => {
    const out = await run("simulator");
    // 4001 prompt tokens: the second finds the document's 250 full blocks (4000 tokens) cached.
    expect(out[0]).toBe("0 4000");
    expect(out[1]).toMatch(/^4002 \d+$/);
  });

  it("faults", async () => {
    const out = await run("faults");
    expect(out[0]).toBe("429 2 0");
    expect(out[1]).toBe("200 503");
  });

  it("context", async () => {
    expect(await run("context")).toEqual(['1 {"q":"a"}', '2 {"q":"b"}', "1 data-dir", "qwen3:8b function"]);
  });

  it("gguf", async () => {
    const out = await run("gguf");
    expect(out[0]).toMatch(/^632000 [0-9a-f]{12} 32768$/);
  });
});
