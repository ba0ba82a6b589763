/**
 * The data fixture (official record format, one file per task, a malformed row in passkey.jsonl)
 * through the record schema, toSample and buildPrompt; the expected prompts, GPT-4 messages and
 * answers were produced by eval_utils.py create_prompt / create_msgs / get_answer
 * (scripts/make-parity-fixture.py).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PyFloat, pyDictsToObjects, pyFormat, pyJsonLoads, type PyJsonValue } from "@loomscope/metrics";
import infinitebench, {
  CreatePromptError,
  InfiniteBenchRecordSchema,
  parseRecord,
  MODEL_FAMILIES,
  TASK_IDS,
  decodeLabel,
  getAnswer,
  promptValues,
  toSample,
  type TaskId,
} from "../src/index.js";

const dataFile = (task: TaskId) => new URL(`./fixtures/data/${task}.jsonl`, import.meta.url);
const expected = JSON.parse(readFileSync(new URL("./fixtures/prompts.json", import.meta.url), "utf8")) as Record<
  TaskId,
  Array<{ line: number; prompts: Record<string, { text?: string; error?: string }>; gpt4_messages: { role: string; content: string }[]; answer: unknown }>
>;

function rows(task: TaskId): { line: number; raw: string }[] {
  return readFileSync(dataFile(task), "utf8")
    .split("\n")
    .map((raw, i) => ({ line: i + 1, raw }))
    .filter((r) => r.raw.trim() !== "");
}

describe("record schema", () => {
  it("accepts every good row of every task file and rejects the malformed ones", () => {
    const verdicts: string[] = [];
    for (const task of TASK_IDS) {
      for (const { line, raw } of rows(task)) {
        let value: PyJsonValue | undefined;
        try {
          value = pyJsonLoads(raw);
        } catch {
          verdicts.push(`${task}:${line} not JSON`);
          continue;
        }
        if (!InfiniteBenchRecordSchema.safeParse(pyDictsToObjects(value)).success) verdicts.push(`${task}:${line} rejected`);
      }
    }
    expect(verdicts).toEqual(["passkey:3 rejected", "passkey:4 not JSON"]);
  });
});

/** The plugin as a run configures it for a family (or LOOM-Scope's protocol). */
const configured = (family: string | undefined, protocol: "official" | "loom" = "official") =>
  infinitebench.configure!({ protocol, options: family === undefined ? {} : { family } });

describe("toSample + the family's task row reproduce create_prompt / create_msgs for every model family", () => {
  for (const task of TASK_IDS) {
    it(task, async () => {
      for (const exp of expected[task]) {
        const raw = rows(task).find((r) => r.line === exp.line)!.raw;
        const record = parseRecord(raw);
        for (const family of MODEL_FAMILIES) {
          const sample = toSample(record, { task, index: exp.line - 1, protocol: "official", family });
          expect(sample.id).toBe(`${task}-${exp.line - 1}`);
          const want = exp.prompts[family]!;
          const bench = configured(family);
          const spec = bench.tasks.find((t) => t.id === task);
          if (want.error !== undefined) {
            // create_prompt raises KeyError for every record: the task is not offered for the family.
            expect(want.error).toMatch(/KeyError/);
            expect(spec).toBeUndefined();
            continue;
          }
          const parts = await bench.prompt(sample, spec!);
          const text = pyFormat(parts.template, parts.values);
          expect(parts.chat).toBe(["gpt4", "claude2", "kimi"].includes(family));
          expect(parts.truncation).toBe("middle-joined");
          if (family === "gpt4") {
            // create_msgs: the system message, GPT-4 Math.Calc's worked example, then the prompt.
            const messages = [{ role: "system", content: parts.system }, ...(parts.history ?? []), { role: "user", content: text }];
            expect(messages).toEqual(exp.gpt4_messages);
          } else {
            expect(parts.system).toBeUndefined();
            expect(text).toBe(want.text);
          }
        }
        const record2 = parseRecord(raw);
        const plain = (_k: string, v: unknown) => (v instanceof PyFloat ? v.value : v);
        expect(JSON.stringify(getAnswer(record2, task), plain)).toBe(JSON.stringify(exp.answer));
      }
    });
  }

  it("keeps a float answer a float through the stored sample (math_find 5.5 vs 88)", () => {
    const rec = parseRecord(rows("math_find")[1]!.raw);
    const sample = toSample(rec, { task: "math_find", index: 1, protocol: "official", family: "yarn-mistral" });
    const label = decodeLabel(sample.scoring!["label"]);
    expect(Array.isArray(label) && (label[0] as { value: number }).value).toBe(5.5);
    expect(sample.references).toEqual(['{"py/float":5.5}']);
  });

  it("a record create_prompt raises on fails its own sample only, with the official exception", async () => {
    const rec = parseRecord(JSON.stringify({ id: 0, context: "def f(): pass", input: "no call here", answer: 3, options: [] }));
    const sample = toSample(rec, { task: "code_run", index: 0, protocol: "official", family: "yarn-mistral" });
    expect(sample.meta?.["create_prompt_error"]).toMatch(/^IndexError/);
    const bench = configured("yarn-mistral");
    await expect(async () => bench.prompt(sample, bench.tasks.find((t) => t.id === "code_run")!)).rejects.toThrow(/create_prompt raises.*IndexError/);
    expect(() => promptValues({ context: "", input: "x" }, "math_find")).toThrow(CreatePromptError);
  });

  it("LOOM-Scope uses yarn_mistral_templates for every model, in the model's chat template, cut in two decodes", async () => {
    const rec = parseRecord(rows("longbook_qa_eng")[0]!.raw);
    const bench = configured(undefined, "loom");
    const spec = bench.tasks.find((t) => t.id === "longbook_qa_eng")!;
    const parts = await bench.prompt(toSample(rec, { task: "longbook_qa_eng", index: 0, protocol: "loom", family: "gpt4" }), spec);
    expect(pyFormat(parts.template, parts.values)).toBe(expected.longbook_qa_eng[0]!.prompts["yarn-mistral"]!.text);
    expect([parts.chat, parts.truncation, parts.queryKey, parts.values["loom_query"]]).toEqual([true, "middle", "loom_query", rec.input]);
    expect(spec.generation).toEqual({ temperature: 0.8, topP: 0.95 });
    expect(bench.tasks.map((t) => t.id)).toEqual([...TASK_IDS]);
  });
});
