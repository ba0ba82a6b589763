/**
 * Prompt constants against the baseline scripts' own text (read from the official files by
 * scripts/make-parity-fixture.py), the rendered prompts of both styles, the judge prompt and
 * verdicts against llm_eval.py's play_a_match_pair (run with canned judgments), and the document truncation.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Judge, JudgeRequest, Sample } from "@loomscope/spec";
import {
  LLAMA2,
  MAX_NEW_TOKENS,
  SCI_FI_FACT_SUFFIX,
  SCI_FI_REAL,
  SCI_FI_WORLD,
  SYSTEM_PROMPTS,
  TURBO16K_TEMPLATES,
  judgePair,
  kToNumber,
  factTurn,
  promptParts,
  sciFiPrediction,
  truncateDocument,
  type Style,
} from "../src/index.js";
import { pyFormat } from "@loomscope/metrics";

const fx = JSON.parse(readFileSync(new URL("./fixtures/parity.json", import.meta.url), "utf8")) as {
  constants: Record<string, unknown> & { llama_markup: Record<string, string>; sys_prompts: string[] };
  judge: { judgments: [string, string]; winners: [string, string]; calls: { messages: { role: string; content: string }[]; temperature: number; max_tokens: number }[]; sample: Record<string, string> }[];
};
const c = fx.constants;
const positional = (t: string) => t.replace("{}", "{document}").replace("{}", "{inst}");

describe("prompt constants = the official files' text", () => {
  it("system prompts, in get_sys_prompt's order", () => {
    expect(c.sys_prompts).toEqual([SYSTEM_PROMPTS.gsm, SYSTEM_PROMPTS.topic, SYSTEM_PROMPTS.coursera, SYSTEM_PROMPTS.codeU, SYSTEM_PROMPTS.sci_fi, SYSTEM_PROMPTS.exam, SYSTEM_PROMPTS.open]);
    expect(c["max_new_tokens"]).toBe(MAX_NEW_TOKENS);
  });
  it("turbo16k-test.py templates and the Sci-Fi fact question", () => {
    expect(positional(c["turbo_exam"] as string)).toBe(TURBO16K_TEMPLATES.exam);
    expect(positional(c["turbo_open_head"] as string) + (c["turbo_open_tail"] as string)).toBe(TURBO16K_TEMPLATES.open);
    expect(c["turbo_fact_suffix"]).toBe(SCI_FI_FACT_SUFFIX.turbo16k);
    expect([c["sci_fi_world"], c["sci_fi_real"]]).toEqual([SCI_FI_WORLD, SCI_FI_REAL]);
  });
  it("llama2-chat-test.py markup, templates and fact suffix", () => {
    expect(c.llama_markup).toEqual({ B_INST: LLAMA2.B_INST, E_INST: LLAMA2.E_INST, B_SYS: LLAMA2.B_SYS, E_SYS: LLAMA2.E_SYS });
    expect(c["llama_exam"]).toBe(LLAMA2.exam);
    expect((c["llama_open_head"] as string) + (c["llama_open_tail"] as string)).toBe(LLAMA2.open);
    expect(c["llama_fact_suffix"]).toBe(SCI_FI_FACT_SUFFIX["llama2-chat"]);
  });
});

const sample = (task: string, inst: string, gt: string, document = "DOC {x} }{"): Sample => ({
  id: `${task}-0-0`,
  task,
  input: { document, inst, n_words: String(gt.split(/\s+/).filter(Boolean).length) },
  references: [gt],
});

/** The prompt as the script sends it: chat messages (turbo16k) or raw text (llama2-chat). */
function render(s: Sample, style: Style, document: string): { messages: { role: string; content: string }[] } | { text: string } {
  const parts = promptParts(s, s.task as never, style, document);
  const text = pyFormat(parts.template, parts.values);
  if (!parts.chat) return { text };
  return { messages: [{ role: "system", content: parts.system! }, { role: "user", content: text }] };
}

describe("rendered prompts", () => {
  it("turbo16k: system + one user message per task kind", () => {
    const open = render(sample("narrative_qa", "Why?", "Because of the rain."), "turbo16k", "DOC");
    expect(open).toEqual({
      messages: [
        { role: "system", content: SYSTEM_PROMPTS.open },
        { role: "user", content: "Document is as follows. DOC Instruction: Why? The suggested output length is around 4 words. Output: " },
      ],
    });
    const gsm = render(sample("gsm100", "Q: 1+1?", "2"), "turbo16k", "shots");
    expect(gsm).toEqual({ messages: [{ role: "system", content: SYSTEM_PROMPTS.gsm }, { role: "user", content: "shots\n\nQ: 1+1?" }] });
    const quality = promptParts(sample("quality", "Which?", "(A) x"), "quality", "turbo16k", "D");
    expect([quality.system, quality.template, quality.contextKey, quality.truncation]).toEqual([SYSTEM_PROMPTS.exam, TURBO16K_TEMPLATES.exam, "document", "none"]);
  });

  it("llama2-chat: [INST] markup, no E_INST for GSM/CodeU, the double format quirk", () => {
    const exam = render(sample("tpo", "Which?", "A"), "llama2-chat", "DOC {x}");
    expect(exam).toEqual({ text: `[INST]<<SYS>>\n${SYSTEM_PROMPTS.exam}\n<</SYS>>\n\nDocument is as follows. DOC {x} \nQuestion: Which?.  Please directly give the answer without any additional output or explanation [/INST]\nAnswer:` });
    // GSM: the document is inside the message before .format(): "{{" becomes "{"; an unknown field keeps the text as it is.
    expect(render(sample("gsm100", "Q", "1"), "llama2-chat", "a {{b}} c")).toEqual({ text: `[INST]<<SYS>>\n${SYSTEM_PROMPTS.gsm}\n<</SYS>>\n\na {b} c\n\nQ` });
    expect(render(sample("codeU", "Q", "1"), "llama2-chat", "def f(): return {x}")).toEqual({ text: `[INST]<<SYS>>\n${SYSTEM_PROMPTS.codeU}\n<</SYS>>\n\ndef f(): return {x}\n\nQ` });
    expect(render(sample("topic_retrieval_longchat", "first?", "t"), "llama2-chat", "R")).toEqual({ text: `[INST]<<SYS>>\n${SYSTEM_PROMPTS.topic}\n<</SYS>>\n\nR\n\nfirst?[/INST]` });
  });

  it("Sci-Fi's fact question per style, and the joined prediction", () => {
    const s = sample("sci_fi", "1.\tX is real, True or False? Answer this question based on the world described in the document.", "True [fact: False]");
    const first = { prompt: promptParts(s, "sci_fi", "turbo16k", "D"), output: " True " };
    const fact = factTurn(s, "turbo16k", first);
    // turbo16k-test.py: [system, user(document), user(fact question)], no assistant turn between.
    expect([fact.system, fact.history, fact.chat]).toEqual([SYSTEM_PROMPTS.sci_fi, [{ role: "user", content: pyFormat(first.prompt.template, first.prompt.values) }], true]);
    expect(pyFormat(fact.template, fact.values)).toBe(`1.\tX is real, True or False? Answer this question ${SCI_FI_REAL}${SCI_FI_FACT_SUFFIX.turbo16k}`);
    const llama = factTurn(s, "llama2-chat", first);
    expect([pyFormat(llama.template, llama.values), llama.chat, llama.system, llama.history]).toEqual([`1.\tX is real, True or False? Answer this question ${SCI_FI_REAL}${SCI_FI_FACT_SUFFIX["llama2-chat"]}`, false, undefined, undefined]);
    expect(factTurn(s, "loom", first).chat).toBe(true);
    expect(sciFiPrediction(" True ", "False\n", "turbo16k")).toBe("True [fact: False]");
    expect(sciFiPrediction("True</s>", "False</s>", "llama2-chat")).toBe("True [fact: False</s>]");
  });
});

describe("llm_eval.py judge", () => {
  it("the same two requests and the same winners as play_a_match_pair, for every canned verdict pair", async () => {
    for (const c2 of fx.judge) {
      const requests: JudgeRequest[] = [];
      const replies = [...c2.judgments];
      const judge: Judge = { id: "fake:judge", complete: async (r) => (requests.push(r), replies.shift() as string) };
      const o = await judgePair(judge, c2.sample["query"]!, c2.sample["m1_pred"]!, c2.sample["m2_pred"]!, c2.sample["gt"]!);
      expect(requests.map((r) => r.messages)).toEqual(c2.calls.map((call) => call.messages));
      expect(requests.map((r) => [r.temperature, r.maxNewTokens])).toEqual(c2.calls.map((call) => [call.temperature, call.max_tokens]));
      const count = (w: string) => c2.winners.filter((x) => x === w).length;
      expect([o.wins, o.losses, o.ties, o.errors]).toEqual([count("m1"), count("m2"), count("tie"), count("error")]);
    }
  });
});

describe("document truncation", () => {
  const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(" ");
  const count = (t: string) => t.split(" ").length + 1; // a whitespace "tokenizer" with a BOS

  it("k_to_number and max_length = k - 512", () => {
    expect(kToNumber("16k")).toBe(16000);
    expect(kToNumber("1.5k")).toBe(1500);
    expect(kToNumber("4k") - MAX_NEW_TOKENS).toBe(3488);
  });
  it("cuts from the right in rounds of 250 fewer words, codeU from the left", async () => {
    const right = await truncateDocument(words(1000), 600, count, false);
    expect(right.rounds).toBe(2); // 600 words + BOS = 601 > 600, then 350 words
    expect(right.document).toBe(words(350));
    const left = await truncateDocument(words(1000), 600, count, true);
    expect(left.document.split(" ")[0]).toBe("w650");
    expect(left.document.split(" ").length).toBe(350);
    expect(await truncateDocument("short doc", 600, count, false)).toEqual({ document: "short doc", rounds: 0 });
  });
});

describe("battle answers (construct_pairs)", () => {
  it("keys by query + gt, reads the last _pred key of the first line, keeps rouge/f1 lines when there are any", async () => {
    const { battleAnswers } = await import("../src/index.js");
    const m = battleAnswers([
      { query: "q1", gt: "g1", a_pred: "first", turbo_pred: "T1", evaluation: "LLM" },
      { query: "q2", gt: "g2", a_pred: "x", turbo_pred: "T2", evaluation: "LLM" },
      { query: "q1", gt: "g1", a_pred: "x", turbo_pred: "T1b", evaluation: "LLM" },
    ]);
    expect([...m.entries()]).toEqual([["q1g1", "T1b"], ["q2g2", "T2"]]);
    expect([...battleAnswers([{ query: "q", gt: "g", t_pred: "A", evaluation: "human" }, { query: "r", gt: "h", t_pred: "B", evaluation: "f1" }]).keys()]).toEqual(["rh"]);
  });
});
