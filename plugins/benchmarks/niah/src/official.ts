/**
 * `loom score niah --predictions DIR`: LOOM-Scope's benchmarks/Retrieve/NIAH/utils/evaluation/eval.py
 * `evaluate` over `DIR/niah.jsonl` (the lines NIAH.py's store_pred writes: depth_percent,
 * context_length, response, answer). It writes `Total.txt` as eval.py does (`str(round(df["Score"].mean(), 2))`)
 * and the depth × length pivot of mean scores as `pivot.csv` (eval.py draws it as image.png in
 * results.xlsx). eval.py's per-length `length.json` buckets by `categorize_length(LEN)`, whose source
 * was not available, so it is not written.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { LoomError, type OfficialScoreOptions, type OfficialScoreResult } from "@loomscope/spec";
import { numpyMean, pandasCsv, pyFloatRepr, pySplit, pythonRound } from "@loomscope/metrics";

const LineSchema = z.object({ depth_percent: z.number(), context_length: z.number(), response: z.string(), answer: z.string() }).passthrough();

/** eval.py's per-line score, 0–100; eval.py raises ZeroDivisionError on an empty answer. */
function lineScore(response: string, answer: string, where: string): number {
  const expected = new Set(pySplit(answer.toLowerCase()));
  if (expected.size === 0) throw new LoomError("OFFICIAL_SCORE", `${where}: the answer has no words (eval.py raises ZeroDivisionError here)`);
  const got = new Set(pySplit(response.toLowerCase()));
  let hit = 0;
  for (const w of got) if (expected.has(w)) hit++;
  return pythonRound((hit / expected.size) * 100, 2);
}

export async function scoreOfficialDir(options: OfficialScoreOptions): Promise<OfficialScoreResult> {
  const file = join(options.predictions, "niah.jsonl");
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new LoomError("OFFICIAL_SCORE", `${file}: not found (eval.py reads DataPath/niah.jsonl)`);
  }
  const rows: { depth: number; length: number; score: number }[] = [];
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    const where = `${file}:${i + 1}`;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (e) {
      throw new LoomError("OFFICIAL_SCORE", `${where}: not JSON (${(e as Error).message})`);
    }
    const parsed = LineSchema.safeParse(raw);
    if (!parsed.success) throw new LoomError("OFFICIAL_SCORE", `${where}: ${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message}`);
    rows.push({ depth: parsed.data.depth_percent, length: parsed.data.context_length, score: lineScore(parsed.data.response, parsed.data.answer, where) });
  });
  if (rows.length === 0) throw new LoomError("OFFICIAL_SCORE", `${file}: no lines (eval.py's mean of nothing is nan)`);
  const total = pythonRound(numpyMean(rows.map((r) => r.score)), 2);
  const outDir = options.out ?? options.predictions;
  await mkdir(outDir, { recursive: true });
  const totalPath = join(outDir, "Total.txt");
  await writeFile(totalPath, pyFloatRepr(total), "utf8");
  const depths = [...new Set(rows.map((r) => r.depth))].sort((a, b) => a - b);
  const lengths = [...new Set(rows.map((r) => r.length))].sort((a, b) => a - b);
  const cell = (d: number, l: number) => {
    const v = rows.filter((r) => r.depth === d && r.length === l).map((r) => r.score);
    return v.length ? numpyMean(v) : null;
  };
  const pivotPath = join(outDir, "pivot.csv");
  await writeFile(pivotPath, pandasCsv(["Document Depth", ...lengths.map(String)], depths.map((d) => [d, ...lengths.map((l) => cell(d, l))])), "utf8");
  return { written: [totalPath, pivotPath], summary: `NIAH overall score ${pyFloatRepr(total)} over ${rows.length} samples` };
}
