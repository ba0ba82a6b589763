// `loom score capitals --predictions DIR`: the official prediction layout in, the official output file out.
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { OfficialScoreOptions, OfficialScoreResult } from "@loomscope/spec";
import { pyJsonDumps, pythonRound } from "@loomscope/metrics";

/** DIR holds `<task>_<length>.jsonl` lines `{"pred", "answers"}`; the official script writes result.json. */
export async function scoreCapitals(options: OfficialScoreOptions): Promise<OfficialScoreResult> {
  const scores: Record<string, number> = {};
  for (const file of (await readdir(options.predictions)).filter((f) => f.endsWith(".jsonl")).sort()) {
    const lines = (await readFile(join(options.predictions, file), "utf8")).split("\n").filter((l) => l.trim() !== "");
    const hits = lines.map((l) => JSON.parse(l) as { pred: string; answers: string[] }).map((p) => (p.answers[0] !== undefined && p.pred.includes(p.answers[0]) ? 1 : 0));
    // The official script divides by the count: an empty file is its ZeroDivisionError, not a score.
    if (hits.length === 0) throw new Error(`${file}: no predictions (the official script divides by zero)`);
    scores[file.replace(/\.jsonl$/, "")] = pythonRound((100 * hits.reduce<number>((a, b) => a + b, 0)) / hits.length, 2);
  }
  const out = join(options.out ?? options.predictions, "result.json");
  await writeFile(out, pyJsonDumps(scores, { ensureAscii: false, indent: 4, integers: "float" }));
  return { written: [out], summary: Object.entries(scores).map(([k, v]) => `${k}: ${v}`).join("\n") };
}
