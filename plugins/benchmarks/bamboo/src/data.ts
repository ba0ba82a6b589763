/**
 * BAMBOO's data: the repository's `datasets/<task>_<4k|16k>.jsonl` (RUCAIBox/BAMBOO @ f230f20; the
 * benchmark ships its data in the repository, not on a hub) and, for private_eval, the problem file
 * `datasets/real_all_eval_v3.jsonl.gz` the scorer executes against.
 */
import { z } from "zod";
import { urlFile, type DataFile, type SampleBody } from "@loomscope/benchmark-kit";
import type { BambooTaskId } from "./prompts.js";

export const OFFICIAL_COMMIT = "f230f206148396c12774ef3a632df291d96dc6ab";
/** The repository's files at the pinned commit; option `dataUrl` names a mirror with the same layout. */
export const DEFAULT_DATA_URL = `https://raw.githubusercontent.com/RUCAIBox/BAMBOO/${OFFICIAL_COMMIT}`;

/**
 * Rows and sha256 of the files at the pinned commit. The six 16k files marked null were not in the
 * stored mirror this plugin was built from: their rows and checksums are not known here.
 */
export const OFFICIAL_FILES: Readonly<Record<string, { rows: number; sha256: string } | null>> = {
  "abshallu_4k.jsonl": { rows: 200, sha256: "7f9c2bd433c948f988883c745cf7726bb0bb531fbb1aa8222080e8c08b575760" },
  "abshallu_16k.jsonl": null,
  "altqa_4k.jsonl": { rows: 200, sha256: "763c104ef636acdbcb042bd37a6b92fbc6195a114b1e1bedb2a91928e02dfdd9" },
  "altqa_16k.jsonl": null,
  "meetingpred_4k.jsonl": { rows: 100, sha256: "9b30ae86ad8459079990edeac44996337ae9a9761533ec67d5f2b00b39adc1c6" },
  "meetingpred_16k.jsonl": null,
  "meetingqa_4k.jsonl": { rows: 100, sha256: "807463b7339336e7557e97e97e89ae236895d2ce6ad8da2fe63f052ff68c565a" },
  "meetingqa_16k.jsonl": null,
  "paperqa_4k.jsonl": { rows: 100, sha256: "f8adec80abc9188f354e6759ab11e27538d607d78b7c761df12ca76013a084cd" },
  "paperqa_16k.jsonl": { rows: 100, sha256: "7ee320b1d39e9506223ddd6a698195b5366be0db4271e978688bb0b7499739dd" },
  "private_eval_4k.jsonl": { rows: 152, sha256: "7cddd2406bf195033d854e9e572568d1d6c1355ca133374856b561ea24fad298" },
  "private_eval_16k.jsonl": { rows: 152, sha256: "78850414f4a5e24be3a97d4d731b3e6bacf3f59a842feb0e7e6b98ec841648f1" },
  "reportsumsort_4k.jsonl": { rows: 150, sha256: "ececf9ca8c805195daac981d44c5549598479e7ae52f45c6390fd4fea96216c4" },
  "reportsumsort_16k.jsonl": null,
  "senhallu_4k.jsonl": { rows: 200, sha256: "4defecd2924757bccd18ee668f6cb390dc497fcb6b8c97b1b795ca29fc689aaa" },
  "senhallu_16k.jsonl": null,
  "showspred_4k.jsonl": { rows: 100, sha256: "4725a715e4dd378ad10ae32f8d35111d3c15ce55f970aeb028f109e294d7ef05" },
  "showspred_16k.jsonl": { rows: 100, sha256: "2383b9ad68bfabd269c879824ff79daefc52337b51d16b67ee0914c92a7758c3" },
  "showssort_4k.jsonl": { rows: 200, sha256: "7ae4b5025384d32d82f2b79a711c34b1a6e8af5228d501cbf3bbcb3d55288306" },
  "showssort_16k.jsonl": { rows: 100, sha256: "c1491d9cd4266a8508783da485866a698590a0c649d3fa56d569753d633b7167" },
};
export const PROBLEM_FILE = { name: "real_all_eval_v3.jsonl.gz", rows: 252, sha256: "64dd457b34aebd0cb3bc64a4fa5612720a80c46e8a0694e3c3623c7c8aad54a4" } as const;

export const fileName = (task: string, length: string): string => `${task}_${length}.jsonl`;

/** The data file of a unit: pinned to its official checksum when read from the official URL. */
export function remoteFile(task: string, length: string, dataUrl: string): DataFile {
  const name = fileName(task, length);
  const known = dataUrl === DEFAULT_DATA_URL ? OFFICIAL_FILES[name] : undefined;
  return urlFile(`${dataUrl.replace(/\/+$/, "")}/datasets/${name}`, `datasets/${name}`, { format: "jsonl", ...(known ? { sha256: known.sha256 } : {}) });
}
/** Where a unit's rows are looked for under `--data-dir`: the file itself, or the repository's layout. */
export const localCandidates = (task: string, length: string): string[] => [fileName(task, length), `datasets/${fileName(task, length)}`];

// ---- rows, per task ------------------------------------------------------------------------

const QaRow = z.object({ content: z.string(), question: z.string(), options: z.array(z.string()), answer: z.string() }).passthrough();
const ContentAnswerRow = z.object({ content: z.string(), answer: z.string() }).passthrough();
const HallucinationRow = z.object({ content: z.string(), hypothesis: z.string(), answer: z.boolean() }).passthrough();
const ReportRow = z.object({ content: z.string(), summaries: z.array(z.string()), answer: z.array(z.number().int()) }).passthrough();
const ShowsRow = z.object({ content: z.array(z.string()), answer: z.array(z.number().int()) }).passthrough();
const PrivateRow = z.object({ task_id: z.string(), prompt: z.string(), canonical_solution: z.array(z.string()).optional() }).passthrough();

export const ROW_SCHEMAS = {
  meetingqa: QaRow,
  paperqa: QaRow,
  altqa: ContentAnswerRow,
  meetingpred: ContentAnswerRow,
  showspred: ContentAnswerRow,
  senhallu: HallucinationRow,
  abshallu: HallucinationRow,
  reportsumsort: ReportRow,
  showssort: ShowsRow,
  private_eval: PrivateRow,
} as const satisfies Record<BambooTaskId, z.ZodType>;

export type BambooRow = z.infer<(typeof ROW_SCHEMAS)[BambooTaskId]>;

/** One problem of real_all_eval_v3.jsonl.gz: what `check_correctness` executes. */
export interface Problem {
  task_id: string;
  prompt: string;
  test: string;
  entry_point: string;
}

/** A row as the prompt and the scorer need it (run_for_transformers.py's intended field mapping). */
export function toSampleBody(task: BambooTaskId, raw: BambooRow, problems?: ReadonlyMap<string, Problem>): SampleBody {
  switch (task) {
    case "meetingqa":
    case "paperqa": {
      const row = raw as z.infer<typeof QaRow>;
      return { input: { content: row.content, question: row.question, options: row.options.join("\t") }, references: [row.answer] };
    }
    case "altqa":
    case "meetingpred":
    case "showspred": {
      const row = raw as z.infer<typeof ContentAnswerRow>;
      return { input: { content: row.content }, references: [row.answer] };
    }
    case "senhallu":
    case "abshallu": {
      const row = raw as z.infer<typeof HallucinationRow>;
      // The aggregate pairs each sample's label with its answer (precision/recall/F1 over the file).
      return { input: { content: row.content, hypothesis: row.hypothesis }, references: [row.answer ? "True" : "False"], meta: { answer: row.answer } };
    }
    case "reportsumsort": {
      const row = raw as z.infer<typeof ReportRow>;
      const events = row.summaries.map((s, i) => `[${i + 1}] \`\`\`${s}\`\`\``).join("\n");
      return { input: { content: row.content, events }, references: [JSON.stringify(row.answer)], scoring: { answer: row.answer } };
    }
    case "showssort": {
      const row = raw as z.infer<typeof ShowsRow>;
      const content = row.content.map((p, i) => `[${i}] \`\`\`${p}\`\`\``).join("\n");
      return { input: { content }, references: [JSON.stringify(row.answer)], scoring: { answer: row.answer } };
    }
    case "private_eval": {
      const row = raw as z.infer<typeof PrivateRow>;
      const problem = problems?.get(row.task_id);
      if (!problem) throw new Error(`task_id ${row.task_id} is not in ${PROBLEM_FILE.name} (the official scorer raises KeyError)`);
      return {
        input: { content: row.prompt },
        // The row's solution in the paraphrased names the prompt uses (what a model should write); the scorer does not read it.
        references: [row.canonical_solution?.[0] ?? ""],
        scoring: { task_id: row.task_id, problem: { task_id: problem.task_id, prompt: problem.prompt, test: problem.test, entry_point: problem.entry_point } },
        meta: { task_id: row.task_id },
      };
    }
  }
}

/** private_eval/data.py `read_problems`: every non-blank line of the gzipped jsonl, by task_id (the last wins). */
export function parseProblems(text: string): Map<string, Problem> {
  const out = new Map<string, Problem>();
  for (const line of text.split("\n")) {
    if (!/\S/.test(line)) continue;
    const p = JSON.parse(line) as Problem;
    out.set(p.task_id, p);
  }
  return out;
}
