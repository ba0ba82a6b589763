/**
 * LongBench v2's prompt building and answer extraction, as pred.py (THUDM/LongBench @ 2e00731,
 * repository root) does them.
 */
import { pyStrip } from "@loomscope/metrics";
import { PROMPTS } from "./config.js";

/** The fields pred.py puts into a template, in its replace order; `$COT$` only in the answer turn. */
export const PLACEHOLDERS = [
  ["$DOC$", "context"],
  ["$Q$", "question"],
  ["$C_A$", "choice_A"],
  ["$C_B$", "choice_B"],
  ["$C_C$", "choice_C"],
  ["$C_D$", "choice_D"],
] as const;

export interface PromptFields {
  context: string;
  question: string;
  choice_A: string;
  choice_B: string;
  choice_C: string;
  choice_D: string;
}

/** Python `str.replace(old, new)`: every occurrence, left to right, no re-scan of inserted text. */
function pyReplace(text: string, old: string, replacement: string): string {
  return text.split(old).join(replacement);
}

/**
 * `template.replace('$DOC$', context.strip()).replace('$Q$', question.strip())…` — a chain of
 * replaces over the whole string, so a placeholder that appears in an earlier value (a context
 * containing "$Q$") is replaced too. With `cot`, `.replace('$COT$', cot)` comes last (the CoT
 * response is already stripped by pred.py and is not stripped again).
 */
export function renderPrompt(template: string, fields: PromptFields, cot?: string): string {
  let out = template;
  for (const [placeholder, key] of PLACEHOLDERS) out = pyReplace(out, placeholder, pyStrip(fields[key]));
  if (cot !== undefined) out = pyReplace(out, "$COT$", cot);
  return out;
}

/** One retrieved chunk as pred.py reads `item["retrieved_context"]` (LongCite's retrieve.py output). */
export interface RetrievedChunk {
  c_idx: number;
  content: string;
}

/**
 * pred.py `--rag N`: the first N retrieved chunks, put back in document order (`sorted` by
 * `c_idx`, stable), joined as "Retrieved chunk {i}: {content}" with blank lines between.
 */
export function ragContext(retrieved: readonly RetrievedChunk[], n: number): string {
  const top = retrieved.slice(0, Math.max(0, n));
  const ordered = top.map((chunk, i) => ({ chunk, i })).sort((a, b) => a.chunk.c_idx - b.chunk.c_idx || a.i - b.i);
  return ordered.map(({ chunk }, idx) => `Retrieved chunk ${idx + 1}: ${chunk.content}`).join("\n\n");
}

const PARENTHESISED = /The correct answer is \(([A-D])\)/;
const BARE = /The correct answer is ([A-D])/;

/**
 * pred.py `extract_answer`: remove every "*", then the first "The correct answer is (X)", else the
 * first "The correct answer is X", X in A–D (case-sensitive, nothing else tolerated); else None.
 */
export function extractAnswer(response: string): "A" | "B" | "C" | "D" | null {
  const text = response.split("*").join("");
  const m = PARENTHESISED.exec(text) ?? BARE.exec(text);
  return m ? (m[1] as "A" | "B" | "C" | "D") : null;
}

/** The template of each setting of pred.py (`--cot`, `--no_context`, `--rag N`, or none). */
export const SETTING_TEMPLATE = {
  zeroShot: PROMPTS.zeroShot,
  cot: PROMPTS.cot,
  noContext: PROMPTS.noContext,
  rag: PROMPTS.rag,
} as const;
