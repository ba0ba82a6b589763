import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createTestBenchmarkContext } from "@loomscope/testkit";
import { loadTaskFile } from "../src/index.js";

function project(yaml: string, data: string, dataName = "rows.jsonl"): string {
  const dir = mkdtempSync(join(tmpdir(), "kit-taskfile-"));
  writeFileSync(join(dir, dataName), data);
  writeFileSync(join(dir, "task.yaml"), yaml);
  return join(dir, "task.yaml");
}

const GOOD = `id: capitals
data: rows.jsonl
template: "Context: {doc}\\nQuestion: {q}\\nAnswer:"
context_field: doc
query_field: q
references: answer
metrics: [exact_match, qa_f1]
max_new_tokens: 16
length_field: bucket
`;
const ROWS = [
  { doc: "Paris is in France.", q: "Capital of France?", answer: "Paris", bucket: "short" },
  { doc: "Rome is in Italy.", q: "Capital of Italy?", answer: ["Rome", "Roma"], bucket: "long" },
  { doc: "Oslo.", q: "Capital of Norway?", answer: "Oslo", bucket: "short" },
]
  .map((r) => JSON.stringify(r))
  .join("\n");

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe("task files", () => {
  it("reads a YAML task: data relative to the file, lengths from the length field, registry metrics", async () => {
    const b = await loadTaskFile(project(GOOD, ROWS + "\n"));
    expect(b.id).toBe("capitals");
    expect(b.tasks).toEqual([expect.objectContaining({ id: "capitals", lengths: ["short", "long"], maxNewTokens: 16, metrics: ["exact_match", "qa_f1"] })]);
    const ctx = createTestBenchmarkContext();
    const short = await all(b.samples({ task: "capitals", length: "short" }, ctx));
    expect(short.map((s) => [s.id, s.references])).toEqual([
      ["capitals_short-0", ["Paris"]],
      ["capitals_short-1", ["Oslo"]],
    ]);
    const long = await all(b.samples({ task: "capitals", length: "long" }, ctx));
    expect(long[0]).toMatchObject({ input: { doc: "Rome is in Italy.", q: "Capital of Italy?" }, references: ["Rome", "Roma"] });
    expect(b.prompt(long[0]!, b.tasks[0]!)).toMatchObject({ contextKey: "doc", queryKey: "q", chat: true, truncation: "middle" });
    expect(await b.score({ task: "capitals", prediction: "Roma.", references: ["Rome", "Roma"] })).toEqual({ exact_match: 1, qa_f1: 1 });
  });

  it("reports a malformed data row as a data issue naming file:line, and runs the rest", async () => {
    const b = await loadTaskFile(project(GOOD.replace("length_field: bucket\n", ""), [ROWS.split("\n")[0], "{not json", JSON.stringify({ doc: "x", q: "y" }), ROWS.split("\n")[2]].join("\n")));
    const ctx = createTestBenchmarkContext();
    const samples = await all(b.samples({ task: "capitals" }, ctx));
    expect(samples.map((s) => s.references)).toEqual([["Paris"], ["Oslo"]]);
    expect(ctx.issues.map((i) => [i.file.replace(/^.*\//, ""), i.line, i.message])).toEqual([
      ["rows.jsonl", 2, expect.stringMatching(/invalid JSON/)],
      ["rows.jsonl", 3, expect.stringMatching(/missing field "answer"/)],
    ]);
  });

  it("refuses unknown keys (with the line and a guess), unknown metrics, missing keys and unused context fields", async () => {
    await expect(loadTaskFile(project(GOOD.replace("template:", "templte:"), ROWS))).rejects.toThrow(/task\.yaml:3: unknown key "templte" \(did you mean "template"\?\)/);
    await expect(loadTaskFile(project(GOOD.replace("[exact_match, qa_f1]", "[exact_macth]"), ROWS))).rejects.toThrow(/unknown metric "exact_macth" \(did you mean "exact_match"\?\)/);
    await expect(loadTaskFile(project(GOOD.replace("max_new_tokens: 16\n", ""), ROWS))).rejects.toThrow(/missing required key "max_new_tokens"/);
    await expect(loadTaskFile(project(GOOD.replace("context_field: doc", "context_field: body"), ROWS))).rejects.toThrow(/never uses the context field \{body\}/);
    await expect(loadTaskFile(project(`id: x\n  bad: [\n`, ROWS))).rejects.toThrow(/task\.yaml:\d+:/);
  });

  it("reads JSON task files and CSV data the same way", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kit-taskfile-json-"));
    writeFileSync(join(dir, "rows.csv"), 'doc,q,answer\n"Paris, France",Capital?,Paris\n');
    writeFileSync(
      join(dir, "task.json"),
      JSON.stringify({ id: "csvtask", data: "rows.csv", template: "{doc} {q}", context_field: "doc", query_field: "q", references: "answer", metrics: ["contains"], max_new_tokens: 4 }),
    );
    const b = await loadTaskFile(join(dir, "task.json"));
    const samples = await all(b.samples({ task: "csvtask" }, createTestBenchmarkContext()));
    expect(samples).toEqual([{ id: "csvtask-0", task: "csvtask", input: { doc: "Paris, France", q: "Capital?" }, references: ["Paris"] }]);
  });
});
