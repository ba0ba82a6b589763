import { z } from "zod";

/**
 * A prompt before truncation and templating, kept in parts so prompt accelerators (RAG) can
 * replace the context. `template` uses Python `str.format` placeholders (`{context}`, `{input}`,
 * `{{` for a literal brace), because that is how the official benchmark repositories write them.
 */
export const PromptPartsSchema = z.object({
  template: z.string(),
  values: z.record(z.string(), z.string()),
  /** Key in `values` holding the long document(s). */
  contextKey: z.string().default("context"),
  /** Key in `values` holding the question; RAG uses it as the retrieval query. */
  queryKey: z.string().optional(),
  /** Optional system message, outside the truncated text. */
  system: z.string().optional(),
  /**
   * Earlier turns the official prompt puts before the user message (a worked example as its own
   * user/assistant exchange). Sent as messages; templated with the model's chat template for raw
   * backends; a prompt with history cannot be sent as raw text without a template. A `system` turn
   * inside the history is sent where the official code puts one (InfiniteBench's GPT-4 Math.Calc
   * gives its worked example's answer as a second system message).
   */
  history: z.array(z.object({ role: z.enum(["user", "assistant", "system"]), content: z.string() })).optional(),
  /**
   * Text placed at the start of the assistant turn after templating (RULER's answer prefix).
   * It is not truncated.
   */
  assistantPrefix: z.string().optional(),
  /**
   * Rendering by Python `str.replace` instead of `str.format`: each placeholder is replaced, in
   * this order, by `values[key]` everywhere it occurs (so a placeholder inside an earlier value is
   * replaced too, as the official code does: LongBench v2's `$DOC$`, LIBRA's `{input}`).
   */
  replacements: z.array(z.object({ placeholder: z.string().min(1), key: z.string() })).optional(),
  /**
   * How the prompt is fitted to the model's max input, tokenized with special tokens and decoded
   * without them:
   * - `middle`: `decode(ids[:half]) + decode(ids[-half:])` (LongBench / LV-Eval rule).
   * - `middle-joined`: `decode(ids[:max//2] + ids[-max//2:])` in one decode (LongBench v2).
   * - `keep-head` / `keep-tail`: the end / the start is cut.
   * - `none`: never cut (synthetic benchmarks generate to length); an over-long prompt is an error.
   */
  truncation: z.enum(["middle", "middle-joined", "keep-head", "keep-tail", "none"]).default("middle"),
  /** Whether a chat template is applied (some official configs send raw text to base models). */
  chat: z.boolean().default(true),
  /**
   * The generation limit of this turn when it is not the task's (LongBench v2's chain of thought:
   * 1,024 tokens for the reasoning turn, the task's 128 for the answer turn). `--gen max_tokens`
   * still overrides it.
   */
  maxNewTokens: z.number().int().positive().optional(),
  /**
   * The role of the message holding the formatted prompt (default `user`). LooGLE's GPT script sends
   * its whole prompt as one `system` message. Raw text is unaffected.
   */
  role: z.enum(["user", "system"]).optional(),
});
export type PromptParts = z.input<typeof PromptPartsSchema>;

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}
