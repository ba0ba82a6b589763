// A generated benchmark: ids are cheap and come first; a sample is built only when it will run.
import { metricById } from "@loomscope/metrics";
import { defineGeneratedBenchmark, defineTasks, tokenLevels } from "@loomscope/benchmark-kit";

export default defineGeneratedBenchmark({
  id: "needle-demo",
  version: "1.0.0",
  capability: "retrieval",
  description: "One needle in a haystack of filler, built to a token length with the run's tokenizer",
  tasks: defineTasks([
    {
      id: "needle",
      language: "en",
      levels: tokenLevels("1k", "2k"),
      maxNewTokens: 16,
      prompt: { template: "{context}\n\nWhat is the magic number?", truncation: "none" },
      metrics: [metricById("contains")],
    },
  ]),
  ids: ({ length }) => Array.from({ length: 5 }, (_, i) => `needle_${length}_${i}`),
  async generate(id, { length, ctx }) {
    const budget = length === "2k" ? 2048 : 1024;
    const needle = `The magic number is ${7000 + Number(id.split("_").at(-1))}.`;
    // Grow the haystack until it reaches the budget in the run's tokenizer (a word count without one).
    let words = 50;
    const measure = async (text: string) => (ctx.tokenizer ? (await ctx.tokenizer.encode(text)).length : text.split(" ").length);
    let hay = "";
    for (;;) {
      const next = `${"The grass is green. ".repeat(words)}${needle} ${"The sky is blue. ".repeat(words)}`;
      if ((await measure(next)) > budget - 40) break;
      hay = next;
      words *= 2;
    }
    return { input: { context: hay || needle }, references: [String(7000 + Number(id.split("_").at(-1)))], meta: { words: hay.split(" ").length } };
  },
});
