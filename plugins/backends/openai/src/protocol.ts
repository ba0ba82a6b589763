import { z } from "zod";

export const UsageSchema = z
  .object({
    prompt_tokens: z.number().int().nonnegative(),
    completion_tokens: z.number().int().nonnegative(),
    /** OpenAI, vLLM, SGLang: `cached_tokens`, the prompt tokens served from the prefix cache (null or absent when not reported). */
    prompt_tokens_details: z.object({ cached_tokens: z.number().int().nonnegative().nullish() }).passthrough().nullish(),
  })
  .passthrough();

/** llama-server adds `timings` to its OpenAI-compatible answers: `cache_n` is the prompt tokens it reused from its cache. */
export const LlamaServerTimingsSchema = z.object({ cache_n: z.number().int().nonnegative().optional() }).passthrough();

/** The server's count of prompt tokens served from its prefix cache, where it reports one. */
export function cachedPromptTokensOf(answer: { usage?: z.infer<typeof UsageSchema> | null | undefined; timings?: unknown }): number | undefined {
  const cached = answer.usage?.prompt_tokens_details?.cached_tokens;
  if (typeof cached === "number") return cached;
  const timings = answer.timings as { cache_n?: unknown } | null | undefined;
  return timings && typeof timings.cache_n === "number" && Number.isInteger(timings.cache_n) && timings.cache_n >= 0 ? timings.cache_n : undefined;
}

export const ChatCompletionSchema = z
  .object({
    choices: z.array(
      z
        .object({
          message: z.object({ content: z.string().nullable().optional(), reasoning_content: z.string().nullable().optional() }).passthrough(),
          finish_reason: z.string().nullable().optional(),
        })
        .passthrough(),
    ),
    usage: UsageSchema.nullable().optional(),
    timings: LlamaServerTimingsSchema.nullish(),
  })
  .passthrough();

export const CompletionSchema = z
  .object({
    choices: z.array(z.object({ text: z.string(), finish_reason: z.string().nullable().optional() }).passthrough()),
    usage: UsageSchema.nullable().optional(),
    timings: LlamaServerTimingsSchema.nullish(),
  })
  .passthrough();

export const StreamChunkSchema = z
  .object({
    choices: z
      .array(
        z
          .object({
            delta: z.object({ content: z.string().nullable().optional() }).passthrough().optional(),
            text: z.string().optional(),
            finish_reason: z.string().nullable().optional(),
          })
          .passthrough(),
      )
      .default([]),
    usage: UsageSchema.nullable().optional(),
    timings: LlamaServerTimingsSchema.nullish(),
  })
  .passthrough();

export const ModelsSchema = z
  .object({
    data: z.array(z.object({ id: z.string(), max_model_len: z.number().int().positive().optional() }).passthrough()),
  })
  .passthrough();

/** vLLM: POST /tokenize → { count, max_model_len, tokens }; llama-server: { tokens }. */
export const TokenizeSchema = z.object({ tokens: z.array(z.number().int()) }).passthrough();
/** vLLM: POST /detokenize → { prompt }; llama-server: { content }. */
export const DetokenizeSchema = z.object({ prompt: z.string().optional(), content: z.string().optional() }).passthrough();

export const finishReason = (reason: string | null | undefined): "stop" | "length" | "other" | undefined =>
  reason === "stop" ? "stop" : reason === "length" ? "length" : reason ? "other" : undefined;

/** llama-server's GET /props: proves the server is llama.cpp's (context shift with n_keep). */
export const LlamaServerPropsSchema = z
  .object({ default_generation_settings: z.object({ n_ctx: z.number().int().positive().optional() }).passthrough() })
  .passthrough();
