/**
 * A tokenizer is not trusted blindly. Prompts are cut to the model's window with it, so a server
 * `/tokenize` that under-counts leaves prompts uncut, an empty `/detokenize` sends empty prompts,
 * and a server without `/detokenize` fails every sample that needs cutting. One round trip before
 * the run catches all three; after each generation the server's own prompt count is compared with
 * ours.
 */
import { BackendRequestError, LoomError, type Tokenizer } from "@loomscope/spec";

/** A plain English paragraph: any real tokenizer gives 1 token per 1–8 characters of it. */
const PROBE =
  "The committee met on Tuesday to review the annual budget. After a long discussion about travel costs, " +
  "the members agreed to publish a summary of their decisions, including the figures for 2023 and 2024, " +
  "before the end of the month. Questions may be sent to the secretary by email.";

/** More characters per token than this is no tokenizer of a language model (English runs ~4). */
export const MAX_CHARS_PER_TOKEN = 12;

const normalize = (text: string) => text.replace(/\s+/g, " ").trim();

/** Encode and decode a probe paragraph; refuse a tokenizer that cannot be cut with (TOKENIZER error). */
export async function checkTokenizer(tokenizer: Tokenizer, what: string): Promise<void> {
  const fix = "pass a local tokenizer that matches the model: --tokenizer ./tokenizer.json (or tiktoken:<encoding>)";
  let ids: number[];
  try {
    ids = await tokenizer.encode(PROBE, { addSpecialTokens: false });
  } catch (error) {
    throw new LoomError("TOKENIZER", `${what}: counting tokens failed before the run: ${(error as Error).message}`, { hint: fix, cause: error });
  }
  const charsPerToken = PROBE.length / Math.max(1, ids.length);
  if (ids.length === 0 || charsPerToken > MAX_CHARS_PER_TOKEN) {
    throw new LoomError(
      "TOKENIZER",
      `${what} counts ${ids.length} tokens for a ${PROBE.length}-character English paragraph (${charsPerToken.toFixed(0)} characters per token; real tokenizers give 1 to 8): it under-counts, and prompts would not be cut to the model's window`,
      { hint: fix },
    );
  }
  let decoded: string;
  try {
    decoded = await tokenizer.decode(ids, { skipSpecialTokens: true });
  } catch (error) {
    const status = error instanceof BackendRequestError ? error.status : undefined;
    const missing = status === 404 || status === 405 || status === 501;
    throw new LoomError(
      "TOKENIZER",
      missing
        ? `${what} cannot turn tokens back into text (the server has no detokenize route: ${(error as Error).message}); prompts longer than the window could not be cut`
        : `${what}: turning tokens back into text failed before the run: ${(error as Error).message}`,
      { hint: fix, cause: error },
    );
  }
  const kept = normalize(decoded);
  if (kept.length < normalize(PROBE).length * 0.9) {
    throw new LoomError(
      "TOKENIZER",
      `${what} turned ${ids.length} tokens of a ${PROBE.length}-character paragraph back into ${kept.length === 0 ? "empty text" : `${kept.length} characters`}: cut prompts would lose their text`,
      { hint: fix },
    );
  }
}

/**
 * How far the server's prompt count may exceed ours: twice (another tokenizer of the same family
 * differs by a few per cent; twice is no tokenizer of this model), plus the chat template's tokens
 * (the runner keeps 128 free for it too).
 */
const COUNT_SLACK_FACTOR = 2;
const COUNT_SLACK_TOKENS = 128;

/**
 * After a generation: the server counted `reported` prompt tokens where we counted `counted`. Far
 * more means our tokenizer under-counts and prompts were not cut as the official rule cuts them.
 * With the server's own tokenizer (`fromServer`) the server contradicts itself: a BACKEND_FATAL
 * error stops the run (every prompt would be wrong), keeping finished samples. With a tokenizer
 * the user chose, the answer is the mismatch's description, to be said once as a warning.
 */
export function checkPromptCount(counted: number | null, reported: number | undefined, tokenizerId: string, fromServer = true): string | undefined {
  if (counted === null || reported === undefined || counted <= 0) return undefined;
  if (reported <= counted * COUNT_SLACK_FACTOR + COUNT_SLACK_TOKENS) return undefined;
  const message = `the model's server counted ${reported} prompt tokens where the tokenizer ${tokenizerId} counted ${counted}: the tokenizer does not match the model, so prompts are not cut to fit as the benchmark's rule says`;
  if (fromServer) {
    throw new LoomError("BACKEND_FATAL", message, {
      hint: "pass the model's own tokenizer (--tokenizer ./tokenizer.json), then run the same command again; samples finished so far are kept",
    });
  }
  return message;
}
