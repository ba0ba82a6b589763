import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { Tokenizer as HfTokenizer } from "@huggingface/tokenizers";
import { getEncoding, type TiktokenEncoding } from "js-tiktoken";
import { LoomError, type DecodeOptions, type EncodeOptions, type Tokenizer } from "@loomscope/spec";
import { z } from "zod";

export const sha256 = (data: string | Buffer): string => createHash("sha256").update(data).digest("hex");

const TokenizerConfigSchema = z
  .object({
    chat_template: z.union([z.string(), z.array(z.object({ name: z.string(), template: z.string() }))]).optional(),
    bos_token: z.union([z.string(), z.object({ content: z.string() }), z.null()]).optional(),
    eos_token: z.union([z.string(), z.object({ content: z.string() }), z.null()]).optional(),
  })
  .passthrough();
export type TokenizerConfig = z.infer<typeof TokenizerConfigSchema>;

export interface LoadedHfTokenizer extends Tokenizer {
  /** tokenizer_config.json beside tokenizer.json, when present (chat template, special tokens). */
  readonly config: TokenizerConfig | undefined;
}

/** A Hugging Face `tokenizer.json` (a file, or a model folder holding one), run in pure JS. */
export function loadHfTokenizer(path: string): LoadedHfTokenizer {
  const file = existsSync(path) && statSync(path).isDirectory() ? join(path, "tokenizer.json") : path;
  if (!existsSync(file)) {
    throw new LoomError("TOKENIZER", `no tokenizer.json at ${file}`, {
      hint: "pass the path of a tokenizer.json file or of a model folder that holds one",
    });
  }
  const source = readFileSync(file, "utf8");
  let json: object;
  try {
    json = JSON.parse(source) as object;
  } catch (cause) {
    throw new LoomError("TOKENIZER", `${file} is not valid JSON`, { cause });
  }
  const configFile = join(dirname(file), "tokenizer_config.json");
  const config = existsSync(configFile)
    ? TokenizerConfigSchema.parse(JSON.parse(readFileSync(configFile, "utf8")))
    : undefined;
  const tokenizer = new HfTokenizer(json, config ?? {});
  return {
    id: `hf-json:sha256:${sha256(source).slice(0, 16)}`,
    config,
    async encode(text: string, options?: EncodeOptions) {
      return tokenizer.encode(text, { add_special_tokens: options?.addSpecialTokens ?? true }).ids;
    },
    async decode(ids: readonly number[], options?: DecodeOptions) {
      // Python's tokenizer.decode([]) is "" (the JS tokenizer throws on an empty list).
      if (ids.length === 0) return "";
      return tokenizer.decode([...ids], { skip_special_tokens: options?.skipSpecialTokens ?? false });
    },
  };
}

const TIKTOKEN_ENCODINGS = ["gpt2", "r50k_base", "p50k_base", "p50k_edit", "cl100k_base", "o200k_base"] as const;

/** Encoding OpenAI uses for a model name (newer models use o200k_base). */
export function tiktokenEncodingForModel(model: string): TiktokenEncoding {
  if (/^(gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|o1|o3|o4|chatgpt-4o|gpt-oss)/.test(model)) return "o200k_base";
  if (/^(gpt-4|gpt-3\.5|text-embedding-3|text-embedding-ada-002)/.test(model)) return "cl100k_base";
  return "o200k_base";
}

export function tiktokenTokenizer(encodingName: string): Tokenizer {
  if (!(TIKTOKEN_ENCODINGS as readonly string[]).includes(encodingName)) {
    throw new LoomError("TOKENIZER", `unknown tiktoken encoding ${encodingName}`, {
      hint: `use one of ${TIKTOKEN_ENCODINGS.join(", ")}`,
    });
  }
  const encoding = getEncoding(encodingName as TiktokenEncoding);
  return {
    id: `tiktoken:${encodingName}`,
    // tiktoken adds no special tokens, so addSpecialTokens changes nothing.
    async encode(text: string) {
      return encoding.encode(text, [], []);
    },
    async decode(ids: readonly number[]) {
      return encoding.decode([...ids]);
    },
  };
}

/** `tiktoken:<encoding>` or a path to tokenizer.json / a model folder. */
export function resolveTokenizer(spec: string): Tokenizer {
  if (spec.startsWith("tiktoken:")) return tiktokenTokenizer(spec.slice("tiktoken:".length));
  return loadHfTokenizer(spec);
}
