import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { optionDefaults, type KitBenchmark } from "@loomscope/benchmark-kit";
import type { BenchmarkContext, JsonObject, Sample, SampleRequest } from "@loomscope/spec";
import ruler, { QA_FILES, RULER_OPTIONS } from "../src/index.js";

/** A data dir standing in for --data-dir: RULER's PaulGrahamEssays.json and tiny SQuAD/HotpotQA files. */
export function dataDir(essay?: string): string {
  const dir = mkdtempSync(join(tmpdir(), "ruler-data-"));
  mkdirSync(join(dir, "ruler"), { recursive: true });
  const para = "Startups are hard. Most founders learn this the slow way, by doing it. The ones who succeed tend to notice what users want. That is not easy to see from the inside! Why would it be? ";
  writeFileSync(join(dir, "ruler", "PaulGrahamEssays.json"), JSON.stringify({ text: essay ?? para.repeat(400) }));
  const squad = { data: Array.from({ length: 60 }, (_, a) => ({ paragraphs: Array.from({ length: 4 }, (_, p) => ({ context: `Article ${a} paragraph ${p} says the river is ${a * 10 + p} miles long.`, qas: [{ question: `How long is river ${a}-${p}?`, is_impossible: false, answers: [{ text: `${a * 10 + p} miles` }] }, { question: "Unanswerable?", is_impossible: true, answers: [] }] })) })) };
  writeFileSync(join(dir, QA_FILES.squad.path), JSON.stringify(squad));
  const hotpot = Array.from({ length: 200 }, (_, i) => ({ question: `Who wrote book ${i}?`, answer: `Author ${i}`, context: [[`Book ${i}`, [`Book ${i} was written by Author ${i}. `, "It sold well."]], [`Other ${i}`, ["Unrelated text."]]] }));
  writeFileSync(join(dir, QA_FILES.hotpotqa.path), JSON.stringify(hotpot));
  return dir;
}

/** RULER configured with these options (the rest at their defaults), as core configures it for a run. */
export function configured(options: JsonObject = {}): KitBenchmark {
  return ruler.configure!({ protocol: "official", options: { ...optionDefaults(RULER_OPTIONS), ...options } }) as KitBenchmark;
}

export async function collect(bench: KitBenchmark, request: SampleRequest, ctx: BenchmarkContext): Promise<Sample[]> {
  const out: Sample[] = [];
  for await (const s of bench.samples(request, ctx)) out.push(s);
  return out;
}
