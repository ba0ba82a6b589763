/**
 * Parity with L-CiteEval's own scripts (scripts/make-parity-fixture.py): the prompt of
 * inference_1shot_vllm.py, the output file of eval_citation.py (with a scripted NLI model and a
 * made-up Punkt parameter set, test/fixtures/punkt_tab), and the output of eval_correct.py (run with
 * its undefined `low_bound` defined as 0).
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Judge } from "@loomscope/spec";
import { pyFormat, pyJsonDumps, pyJsonLoads, type PyJsonValue } from "@loomscope/metrics";
import {
  QA_TASKS,
  SUMMARY_TASKS,
  citationFile,
  correctnessBucket,
  correctnessReport,
  countingStarsAnswer,
  countingStarsCorrectness,
  loadPunktTab,
  niahCorrectness,
  officialPrompt,
  promptTemplate,
  qaCorrectness,
  summaryCorrectness,
  templateValues,
  type Answer,
  type CorrectnessItem,
  type DemoItem,
  type Experiment,
} from "../src/index.js";
import { fixture, fixturePath } from "./helpers.js";

interface PromptCase {
  task: string;
  record: DemoItem & { role?: string };
  prompt: string;
}
interface Rec {
  id: number;
  question: string;
  answer: Answer;
  docs: DemoItem["docs"];
  length: number;
}
interface Run {
  exp: Experiment;
  task: string;
  records: Rec[];
  generations: string[];
  error: string | null;
  unrepaired_error?: string | null;
  nli?: [string, string][];
  output: string | null;
}

const prompts = fixture<{ cases: PromptCase[] }>("parity-prompts.json").cases;
const citation = fixture<{ runs: Run[] }>("parity-citation.json").runs;
const correct = fixture<{ runs: Run[] }>("parity-correct.json").runs;
const sha = (s: string): string => createHash("sha256").update(s, "utf8").digest("hex");

describe("prompt (inference_1shot_vllm.py get_instruction_template)", () => {
  it("builds every task's prompt byte for byte, directly and through the str.format template", () => {
    expect(new Set(prompts.map((p) => p.task)).size).toBe(11);
    for (const c of prompts) {
      expect({ task: c.task, prompt: officialPrompt(c.task, c.record) }).toEqual({ task: c.task, prompt: c.prompt });
      expect({ task: c.task, prompt: pyFormat(promptTemplate(c.task), templateValues(c.task, c.record)) }).toEqual({ task: c.task, prompt: c.prompt });
    }
  });
});

function predsOf(run: Run): Map<string, PyJsonValue>[] {
  return run.records.map((r, i) => pyJsonLoads(JSON.stringify({ id: i + 1, question: r.question, answer: r.answer, generation: [run.generations[i]], model_input: "x" })) as Map<string, PyJsonValue>);
}

describe("eval_citation.py", () => {
  it("writes the same deberta_score file for every task, asking the NLI judge the same pairs", async () => {
    const params = await loadPunktTab(fixturePath("punkt_tab/english"));
    let calls = 0;
    for (const run of citation) {
      const labels = new Map<string, string[]>();
      for (const [k, l] of run.nli ?? []) labels.set(k, [...(labels.get(k) ?? []), l]);
      const judge: Judge = {
        id: "fake:nli",
        complete: async (req) => {
          calls++;
          const q = labels.get(sha(`${req.messages[0]?.content}\u0000${req.messages[1]?.content}`));
          if (!q || q.length === 0) throw new Error(`NLI pair the official run did not ask (${run.task})`);
          return q.shift() as string;
        },
      };
      const refer = run.records.map((r) => pyJsonLoads(JSON.stringify(r)) as Map<string, PyJsonValue>);
      const report = await citationFile(predsOf(run), refer, run.exp, run.task, `result/${run.exp}/${run.task}/1shot_test-model.json`, { judge }, params);
      expect({ task: `${run.exp}/${run.task}`, out: pyJsonDumps(report, { indent: 2 }) + "\n" }).toEqual({ task: `${run.exp}/${run.task}`, out: run.output });
      for (const q of labels.values()) expect(q).toEqual([]);
    }
    expect(calls).toBeGreaterThan(300);
  });
});

describe("eval_correct.py (low_bound defined as 0)", () => {
  it("gives the same res file for every task from our per-sample scores", () => {
    for (const run of correct) {
      expect(run.unrepaired_error).toBe("NameError");
      const items: CorrectnessItem[] = run.records.map((r, i) => {
        const g = run.generations[i] as string;
        const values: Record<string, number> = QA_TASKS.includes(run.task)
          ? qaCorrectness(g, r.answer)
          : SUMMARY_TASKS.includes(run.task)
            ? { "rouge-l": summaryCorrectness(g, r.answer) }
            : run.task === "niah"
              ? { "rouge-1": niahCorrectness(g, r.answer) }
              : { acc: countingStarsCorrectness(g, r.docs, r.answer) };
        const continued = run.task === "counting_stars" && countingStarsAnswer(g) === null;
        return { bucket: correctnessBucket(run.exp, run.task, r.length), values, continued };
      });
      const res = correctnessReport(run.task, items, run.exp);
      expect({ task: `${run.exp}/${run.task}`, out: pyJsonDumps(res, { indent: 2 }) }).toEqual({ task: `${run.exp}/${run.task}`, out: run.output });
    }
  });
});
