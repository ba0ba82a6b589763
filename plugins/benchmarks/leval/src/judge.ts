/**
 * Evaluation/llm_eval.py: the pairwise judge (prompt "pair-v2"). Each sample is judged twice, the
 * evaluated answer first as assistant A, then swapped; "[[A]]" / "[[B]]" / "[[C]]" are looked for in
 * that order, anything else is an error. Over a file: errors are dropped, and the win rate of the
 * evaluated model is (wins + 0.5 × ties) / (wins + losses + ties). Judge settings: temperature 0,
 * max_tokens 2048; llm_eval.py's judges are gpt-4 (llm_gpt4_eval) and gpt-3.5-turbo (llm_turbo_eval),
 * the battle answers those of turbo-16k-0613 (Predictions/<eval>/turbo-16k-0613.pred.jsonl).
 */
import { pyFormat } from "@loomscope/metrics";
import type { Judge } from "@loomscope/spec";

/** llm_eval.py `judge_prompts["system_prompt"]`, byte for byte. */
export const JUDGE_SYSTEM_PROMPT =
  'Please act as an impartial judge and evaluate the quality of the responses provided by two AI assistants to the user question about the content of a long document.  You will be given a reference answer written by human, assistant A\'s answer, and assistant B\'s answer. Your job is to evaluate which assistant\'s answer is better. Begin your evaluation by comparing both assistants\' answers with the reference answer. Additional details or information that are not mentioned in reference answer cannot be considered as advantages and do not let them sway your judgment. Your evaluation should also consider the relevance to user\'s question but it is more important to avoid factual errors according to the reference answer. Avoid any position biases and ensure that the order in which the responses were presented does not influence your decision. Do not allow the length of the responses to influence your evaluation. Do not favor certain names of the assistants. Be as objective as possible. After providing your explanation, output your final verdict by strictly following this format: "[[A]]" if assistant A is better, "[[B]]" if assistant B is better, and "[[C]]" for a tie.';

/** llm_eval.py `judge_prompts["prompt_template"]`, byte for byte. */
export const JUDGE_PROMPT_TEMPLATE =
  "[User Question]\n{question}\n\n[The Start of Reference Answer]\n{ref_answer}\n[The End of Reference Answer]\n\n[The Start of Assistant A's Answer]\n{answer_a}\n[The End of Assistant A's Answer]\n\n[The Start of Assistant B's Answer]\n{answer_b}\n[The End of Assistant B's Answer]";

export const JUDGE_SETTINGS = { temperature: 0, maxNewTokens: 2048, battleWith: "turbo-16k-0613", judges: { llm_gpt4_eval: "gpt-4", llm_turbo_eval: "gpt-3.5-turbo" } } as const;

export type Verdict = "A" | "B" | "tie" | "error";

/** `run_judge_pair`'s verdict parsing. */
export function parseVerdict(judgment: string): Verdict {
  if (judgment.includes("[[A]]")) return "A";
  if (judgment.includes("[[B]]")) return "B";
  if (judgment.includes("[[C]]")) return "tie";
  return "error";
}

export function judgeMessages(question: string, answerA: string, answerB: string, reference: string) {
  return [
    { role: "system" as const, content: JUDGE_SYSTEM_PROMPT },
    { role: "user" as const, content: pyFormat(JUDGE_PROMPT_TEMPLATE, { question, answer_a: answerA, answer_b: answerB, ref_answer: reference }) },
  ];
}

export interface PairOutcome {
  /** Judgments won by the evaluated model (0-2), lost to the battle model, tied, unparseable. */
  wins: number;
  losses: number;
  ties: number;
  errors: number;
  judgments: [string, string];
}

/** `play_a_match_pair`: two judgments, the evaluated answer as A, then as B. */
export async function judgePair(judge: Judge, question: string, answer: string, battle: string, reference: string, signal?: AbortSignal): Promise<PairOutcome> {
  const ask = (a: string, b: string) =>
    judge.complete({ messages: judgeMessages(question, a, b, reference), temperature: JUDGE_SETTINGS.temperature, maxNewTokens: JUDGE_SETTINGS.maxNewTokens }, signal ? { signal } : undefined);
  const g1 = await ask(answer, battle);
  const g2 = await ask(battle, answer);
  const outcome: PairOutcome = { wins: 0, losses: 0, ties: 0, errors: 0, judgments: [g1, g2] };
  const count = (v: Verdict, oursIs: "A" | "B") => {
    if (v === "tie") outcome.ties++;
    else if (v === "error") outcome.errors++;
    else if (v === oursIs) outcome.wins++;
    else outcome.losses++;
  };
  count(parseVerdict(g1), "A");
  count(parseVerdict(g2), "B");
  return outcome;
}

/** The battle file llm_eval.py's README invocation pairs with (`--battle_with turbo-16k-0613`), in the repository at the commit ported. */
export const battleFile = (evaluation: "llm_gpt4_eval" | "llm_turbo_eval") => ({
  source: "url" as const,
  url: `https://raw.githubusercontent.com/OpenLMLab/LEval/cd34b050269148aed75acbbe4a599873ad0f37e9/Predictions/${evaluation}/turbo-16k-0613.pred.jsonl`,
  path: `LEval/Predictions/${evaluation}/turbo-16k-0613.pred.jsonl`,
});

/**
 * `construct_pairs`'s battle lookup: key `query + gt` → the battle answer, read from the LAST key
 * containing "_pred" of the first line (its loop has no break), later lines overwriting earlier ones.
 * `lines` are the parsed lines llm_eval.py's read_jsonl keeps (only rouge/f1 lines when any line is rouge/f1).
 */
export function battleAnswers(lines: readonly Record<string, unknown>[]): Map<string, string> {
  const evaluations = new Set(lines.map((l) => l["evaluation"]));
  const kept = evaluations.has("rouge") || evaluations.has("f1") ? lines.filter((l) => l["evaluation"] === "rouge" || l["evaluation"] === "f1") : lines;
  const out = new Map<string, string>();
  if (kept.length === 0) return out;
  const keys = Object.keys(kept[0] as object).filter((k) => k.includes("_pred"));
  const battleKey = keys[keys.length - 1];
  if (battleKey === undefined) throw new Error('AssertionError: no key containing "_pred" in the battle file');
  for (const l of kept) out.set(String(l["query"]) + String(l["gt"]), String(l[battleKey]));
  return out;
}
