/**
 * NoLiMa's data (Hugging Face amodaresi/NoLiMa, data/download_NoLiMa_data.sh):
 * `needlesets/<set>.json` (a JSON list of experiment rows) and `haystack/rand_shuffle/rand_book_{1..5}.txt`.
 * The tests of a needle set are built as evaluation/run_tests.py builds them (`buildTests`).
 */
import { z } from "zod";
import type { RemoteFile } from "@loomscope/spec";
import { pyInt } from "@loomscope/metrics";
import { DEFAULT_TASK_TEMPLATE, RUN_CONFIG, type NeedleSetName } from "./tasks.js";

export const HF_REPO = "amodaresi/NoLiMa";

export const needleSetFile = (set: NeedleSetName): RemoteFile => ({
  source: "huggingface", repo: HF_REPO, repoType: "dataset", revision: "main", path: `needlesets/${set}.json`,
});
export const bookFile = (book: string): RemoteFile => ({
  source: "huggingface", repo: HF_REPO, repoType: "dataset", revision: "main", path: `haystack/rand_shuffle/${book}.txt`,
});
/** Where files are looked for under `--data-dir`: the repository's `data/` layout, then the hub layout. */
export const localCandidates = (path: string): string[] => [`data/${path}`, path, `amodaresi/NoLiMa/${path}`];

/** One experiment row of a needle set (fields run_tests.py reads; others kept). */
export const NeedleSetRowSchema = z
  .object({
    id: z.string().min(4),
    system_prompt: z.string(),
    needle: z.string(),
    questions: z.record(z.string(), z.string()),
    tests: z.record(
      z.string(),
      z.object({ input_args: z.array(z.string()), gold_answers: z.unknown().optional() }).passthrough(),
    ),
    character_set: z.array(z.string()).optional(),
    task_template: z.string().optional(),
    distractors: z.record(z.string(), z.string()).optional(),
    reasoning_type: z.string().optional(),
  })
  .passthrough();
export type NeedleSetRow = z.infer<typeof NeedleSetRowSchema>;
export const NeedleSetSchema = z.array(NeedleSetRowSchema);

/** One test as run_tests.py builds it (before a haystack is chosen). */
export interface NolimaTest {
  test_name: string;
  system_prompt: string;
  task_template: string;
  /** `test["gold_answers"]` or "" */
  gold_answers: unknown;
  /** base_seed + int(id[:4]); the tester adds the haystack's index. */
  seed: number;
  character_set: readonly string[] | "";
  needle: string;
  retrieval_question: string;
  distractor: string | null;
}

/**
 * run_tests.py's loop: for each row, question type and test (in file order), the needle with
 * `{1}`, `{2}`… filled in turn, the question and distractor filled from the *unfilled* text each
 * time (so only the last placeholder present is filled — kept as is), test name
 * `<id>_<test id>_<question type>`.
 */
export function buildTests(rows: readonly NeedleSetRow[], baseSeed: number = RUN_CONFIG.baseSeed): NolimaTest[] {
  const tests: NolimaTest[] = [];
  for (const row of rows) {
    const seed = baseSeed + Number(pyInt(row.id.slice(0, 4)));
    for (const [questionType, question] of Object.entries(row.questions)) {
      for (const [testId, test] of Object.entries(row.tests)) {
        let needle = "" + row.needle;
        let fullQuestion = question;
        let distractor: string | null = null;
        test.input_args.forEach((arg, argNo) => {
          const placeholder = `{${argNo + 1}}`;
          if (question.includes(placeholder)) fullQuestion = question.replaceAll(placeholder, arg);
          if (needle.includes(placeholder)) needle = needle.replaceAll(placeholder, arg);
          const d = row.distractors?.[questionType];
          if (row.distractors !== undefined && d === undefined) throw new Error(`KeyError: '${questionType}' (distractors of ${row.id})`);
          if (d !== undefined && d.includes(placeholder)) distractor = d.replaceAll(placeholder, arg);
        });
        tests.push({
          test_name: `${row.id}_${testId}_${questionType}`,
          system_prompt: row.system_prompt,
          task_template: row.task_template ?? DEFAULT_TASK_TEMPLATE,
          gold_answers: "gold_answers" in test ? test.gold_answers : "",
          seed,
          character_set: row.character_set ?? "",
          needle,
          retrieval_question: fullQuestion,
          distractor,
        });
      }
    }
  }
  return tests;
}

/**
 * The tester's gold answers: `json.loads(json.dumps(test["gold_answers"]))` when given (a list stays
 * a list, a string stays a string), "" when not. For `{CHAR}` needles the gold is `[character]`.
 */
export function testerGoldAnswers(test: NolimaTest): unknown {
  return test.gold_answers === "" ? "" : JSON.parse(JSON.stringify(test.gold_answers));
}
