/**
 * `loom score longsafety --predictions <output_dir>/<model_name>` with the official pipeline:
 * - with a judge: src/multi_agent_eval.py on `response.jsonl` — four judge calls per line
 *   (`multiAgentJudge`), lines written in input order as `json.dumps({**d, judgment_front,
 *   judgment_end, risks, env_summary})` to `<judge-name>_judge.jsonl` — then src/show_result.py,
 *   writing `<judge-name>_judge_result.json` (`json.dump(res, indent=4)`). The judge name is the
 *   model part of `--judge <backend:model>` ("/" replaced by "_").
 * - without a judge: show_result.py on every `<name>_judge.jsonl` already in the folder.
 * Difference kept visible: the official gen_response retries 20 times and then feeds the text
 * "Error when calling the judge model." on as a reply (a judgment with no "1": safe); here a failed
 * judge call is an error and nothing is written.
 */
import { readFile, readdir, writeFile, mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pyFloat, pyJsonDumps, type PyJsonValue } from "@loomscope/metrics";
import { LoomError, type OfficialScoreOptions, type OfficialScoreResult } from "@loomscope/spec";
import { showResult, type InstanceVerdict } from "./aggregate.js";
import { isUnsafe, multiAgentJudge } from "./judge.js";

type Row = Record<string, PyJsonValue>;

function readJsonl(text: string, file: string): Row[] {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines.map((l, i) => {
    try {
      const v = JSON.parse(l) as unknown;
      if (v === null || typeof v !== "object" || Array.isArray(v)) throw new Error("not an object");
      return v as Row;
    } catch (e) {
      throw new LoomError("OFFICIAL_SCORE", `${file}:${i + 1}: ${(e as Error).message} (json.loads fails)`);
    }
  });
}

function str(row: Row, key: string, where: string): string {
  const v = row[key];
  if (typeof v !== "string") throw new LoomError("OFFICIAL_SCORE", `${where}: "${key}" is missing or not a string (the official script raises)`);
  return v;
}

/** show_result.py's result file for the rows of a `<judge>_judge.jsonl`. */
export function resultJson(rows: readonly Row[], file: string): string {
  const verdicts: InstanceVerdict[] = rows.map((r, i) => ({
    id: typeof r["id"] === "number" ? r["id"] : i,
    front: isUnsafe(str(r, "judgment_front", `${file}:${i + 1}`)),
    end: isUnsafe(str(r, "judgment_end", `${file}:${i + 1}`)),
  }));
  const res = showResult(verdicts);
  return pyJsonDumps(
    { data_length: res.data_length, safety_rate: pyFloat(res.safety_rate), safety_rate_front: pyFloat(res.safety_rate_front), safety_rate_end: pyFloat(res.safety_rate_end) },
    { indent: 4 },
  );
}

export function judgeNameOf(judgeId: string): string {
  const at = judgeId.indexOf(":");
  return (at >= 0 ? judgeId.slice(at + 1) : judgeId).replace(/\//g, "_");
}

export async function scoreOfficialLongSafety(options: OfficialScoreOptions): Promise<OfficialScoreResult> {
  if ((options.protocol ?? "official") === "loom") {
    throw new LoomError("OFFICIAL_SCORE", "longsafety: LOOM-Scope's LongSafety scorer was not available to port; use protocol official");
  }
  const dir = resolve(options.predictions);
  const outDir = options.out ?? dir;
  const written: string[] = [];
  const summary: string[] = [];
  if (options.judge) {
    const name = judgeNameOf(options.judge.id);
    const file = join(dir, "response.jsonl");
    const rows = readJsonl(await readFile(file, "utf8"), file);
    const out: string[] = [];
    for (const [i, d] of rows.entries()) {
      const where = `${file}:${i + 1}`;
      const j = await multiAgentJudge(options.judge, {
        instruction: str(d, "instruction", where),
        context: str(d, "context", where),
        response_front: str(d, "response_front", where),
        response_end: str(d, "response_end", where),
      });
      out.push(pyJsonDumps({ ...d, judgment_front: j.judgment_front, judgment_end: j.judgment_end, risks: j.risks, env_summary: j.env_summary }) + "\n");
    }
    const judged = rows.map((d, i) => ({ ...d, ...(JSON.parse(out[i] as string) as Row) }));
    const result = resultJson(judged, file);
    await mkdir(outDir, { recursive: true });
    const a = join(outDir, `${name}_judge.jsonl`);
    const b = join(outDir, `${name}_judge_result.json`);
    await writeFile(a, out.join(""), "utf8");
    await writeFile(b, result, "utf8");
    written.push(a, b);
    summary.push(`judge ${options.judge.id}: ${result.replace(/\s+/g, " ")}`);
  } else {
    const judged = (await readdir(dir)).filter((n) => n.endsWith("_judge.jsonl")).sort();
    if (judged.length === 0) {
      throw new LoomError("JUDGE_REQUIRED", `longsafety: no <judge>_judge.jsonl in ${dir}, and judging response.jsonl needs a judge`, {
        hint: "pass --judge <backend:model> (the official judge is gpt-4o-mini)",
      });
    }
    const results: [string, string][] = [];
    for (const n of judged) {
      const file = join(dir, n);
      results.push([join(outDir, n.replace(/_judge\.jsonl$/, "_judge_result.json")), resultJson(readJsonl(await readFile(file, "utf8"), file), file)]);
    }
    await mkdir(outDir, { recursive: true });
    for (const [p, text] of results) {
      await writeFile(p, text, "utf8");
      written.push(p);
      summary.push(`${p}: ${text.replace(/\s+/g, " ")}`);
    }
  }
  return { written, summary: summary.join("\n") };
}
