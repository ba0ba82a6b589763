/**
 * @loomscope/suite-quickstart: what `npx loom run quickstart` runs. Generated benchmarks only, with
 * haystacks that need no files, so the model is the only download: NIAH at LOOM-Scope's three
 * smallest context lengths (1000, 4256, 7513 tokens) × 3 depths over the built-in noise filler, four
 * RULER tasks whose haystacks are noise or generated needles at 4k (not vt: its in-context example must fit
 * 500 tokens, which a byte-level tokenizer such as the test GGUF's cannot hold; RULER's generator then never ends), and Counting-Stars at its two
 * smallest sizes over the built-in filler.
 */
import { defineSuite } from "@loomscope/spec";

export const QUICKSTART_MODEL = "llamacpp:hf:Qwen/Qwen3-0.6B-GGUF/Qwen3-0.6B-Q8_0.gguf";

const quickstart = defineSuite({
  kind: "suite",
  apiVersion: 1,
  id: "quickstart",
  version: "0.2.0",
  description: "A first look in minutes, no download but the model: NIAH 1k-7.5k across depths, RULER at 4k, a small Counting-Stars set.",
  entries: [
    { benchmark: "niah", tasks: ["niah"], lengths: ["1000", "4256", "7513"], options: { document_depth_percents: [0, 50, 100], haystack: "noise" }, weight: 1 },
    { benchmark: "ruler", tasks: ["niah_single_1", "niah_multikey_2", "niah_multikey_3", "fwe"], lengths: ["4k"], limit: 2, weight: 1 },
    // A small model may never stop: the official code sets no generation budget, the quickstart 256 tokens (recorded as an option).
    { benchmark: "counting-stars", tasks: ["en_acquisition", "en_reasoning"], lengths: ["4k", "8k"], options: { haystack: "noise", maxNewTokens: 256 }, weight: 1 },
  ],
  aggregation: { rule: "mean", capabilityMeans: true },
  defaults: { model: QUICKSTART_MODEL, maxLength: 10240 },
});

export default quickstart;
