import { LoomError, type Tokenizer } from "@loomscope/spec";

export interface TruncationResult {
  text: string;
  /** Tokens of the result as the official rule counts them (2 × floor(max/2) when cut). */
  tokens: number;
  truncated: boolean;
  originalChars: number;
  keptChars: number;
  originalTokens: number;
  /** False when only the head and tail windows were tokenized and the total was estimated. */
  originalTokensExact: boolean;
  /** Characters handed to the tokenizer: the work this call did. */
  charsTokenized: number;
}

/**
 * Where a prompt longer than the budget is cut, as the official code cuts it:
 * - `middle`: `decode(ids[:half]) + decode(ids[-half:])`, half = floor(max/2) (LongBench, LV-Eval).
 * - `middle-joined`: `decode(ids[:max//2] + ids[-max//2:])` in one decode, so the tail keeps
 *   ceil(max/2) tokens (LongBench v2's pred.py).
 * - `keep-head`: `decode(ids[:max])`, the end is cut (Hugging Face `truncation=True`).
 * - `keep-tail`: `decode(ids[-max:])`, the start is cut.
 */
export type TruncationMode = "middle" | "middle-joined" | "keep-head" | "keep-tail";

export interface MiddleTruncateOptions {
  mode?: TruncationMode;
  /**
   * Extra tokens each window must hold beyond the cut point, so the tokens kept never depend on
   * where the window was sliced (pre-tokenizers re-synchronise within a few tokens).
   */
  margin?: number;
  /** First guess of characters per token for sizing the windows; windows double until they fit. */
  charsPerToken?: number;
}

interface SpecialLayout {
  prefix: number;
  suffix: number;
}
const layouts = new WeakMap<Tokenizer, Promise<SpecialLayout>>();

/** How many special tokens the tokenizer adds before and after a text (BOS, EOS, …). */
async function specialLayout(tokenizer: Tokenizer): Promise<SpecialLayout> {
  let layout = layouts.get(tokenizer);
  if (!layout) {
    layout = (async () => {
      const probe = "a b";
      const plain = await tokenizer.encode(probe, { addSpecialTokens: false });
      const full = await tokenizer.encode(probe, { addSpecialTokens: true });
      for (let start = 0; start + plain.length <= full.length; start++) {
        if (plain.every((id, k) => full[start + k] === id)) {
          return { prefix: start, suffix: full.length - start - plain.length };
        }
      }
      return { prefix: 0, suffix: 0 };
    })();
    layouts.set(tokenizer, layout);
  }
  return layout;
}

/** Move a slice index off the middle of a surrogate pair. */
function safeIndex(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code >= 0xdc00 && code <= 0xdfff ? index - 1 : index;
}

/**
 * Middle truncation as LongBench and LV-Eval do it:
 *
 *     ids = tokenizer(prompt).input_ids            # special tokens included
 *     if len(ids) > max: half = int(max / 2)
 *         prompt = decode(ids[:half], skip_special_tokens=True) + decode(ids[-half:], skip_special_tokens=True)
 *
 * The cost is proportional to `maxTokens`, not to the text: only a head window and a tail window,
 * each a little longer than half the budget, are tokenized. The kept tokens equal those of the
 * full tokenization (tested against it); when the windows would meet, the whole text is tokenized.
 */
export async function middleTruncate(
  text: string,
  maxTokens: number,
  tokenizer: Tokenizer,
  options: MiddleTruncateOptions = {},
): Promise<TruncationResult> {
  if (!Number.isInteger(maxTokens) || maxTokens < 2) {
    throw new LoomError("TRUNCATION", `max input tokens must be an integer >= 2, got ${maxTokens}`);
  }
  const margin = options.margin ?? 64;
  const mode = options.mode ?? "middle";
  // Tokens kept from the start and from the end.
  const headKeep = mode === "keep-head" ? maxTokens : mode === "keep-tail" ? 0 : Math.floor(maxTokens / 2);
  const tailKeep = mode === "keep-tail" ? maxTokens : mode === "keep-head" ? 0 : mode === "middle-joined" ? Math.ceil(maxTokens / 2) : Math.floor(maxTokens / 2);
  const needHead = headKeep > 0 ? headKeep + margin : 0;
  const needTail = tailKeep > 0 ? tailKeep + margin : 0;
  const need = Math.max(needHead, needTail);
  const length = text.length;
  let window = Math.ceil(need * (options.charsPerToken ?? 6));
  let charsTokenized = 0;

  /** The official cut, special tokens skipped when decoding. */
  const cut = async (head: number[], tail: number[], originalTokens: number, exact: boolean): Promise<TruncationResult> => {
    const headIds = head.slice(0, headKeep);
    const tailIds = tailKeep > 0 ? tail.slice(tail.length - tailKeep) : [];
    const kept =
      mode === "middle-joined"
        ? await tokenizer.decode([...headIds, ...tailIds], { skipSpecialTokens: true })
        : (headIds.length ? await tokenizer.decode(headIds, { skipSpecialTokens: true }) : "") + (tailIds.length ? await tokenizer.decode(tailIds, { skipSpecialTokens: true }) : "");
    return {
      text: kept,
      tokens: headKeep + tailKeep,
      truncated: true,
      originalChars: length,
      keptChars: kept.length,
      originalTokens,
      originalTokensExact: exact,
      charsTokenized,
    };
  };

  const whole = async (): Promise<TruncationResult> => {
    const ids = await tokenizer.encode(text, { addSpecialTokens: true });
    charsTokenized += length;
    if (ids.length <= maxTokens) {
      return {
        text,
        tokens: ids.length,
        truncated: false,
        originalChars: length,
        keptChars: length,
        originalTokens: ids.length,
        originalTokensExact: true,
        charsTokenized,
      };
    }
    return cut(ids, ids, ids.length, true);
  };

  const { prefix } = await specialLayout(tokenizer);
  let head: number[] = [];
  let headChars = 0;
  let tail: number[] = [];
  let tailChars = 0;
  for (;;) {
    // Windows that would meet or overlap: the text is short enough to tokenize whole.
    if (2 * window + 2 >= length) return whole();
    if (needHead > 0 && head.length < needHead) {
      headChars = safeIndex(text, window);
      head = await tokenizer.encode(text.slice(0, headChars), { addSpecialTokens: true });
      charsTokenized += headChars;
    }
    if (needTail > 0 && tail.length < needTail) {
      const start = safeIndex(text, length - window);
      tailChars = length - start;
      // Specials the post-processor puts in front belong to the text's start, not to this window.
      tail = (await tokenizer.encode(text.slice(start), { addSpecialTokens: true })).slice(prefix);
      charsTokenized += tailChars;
    }
    if (head.length >= needHead && tail.length >= needTail) break;
    window *= 2;
  }
  const charsPerToken = (headChars + tailChars) / (head.length + tail.length);
  return cut(head, tail, Math.round(length / charsPerToken), false);
}
