/**
 * Parameters of every KV-cache and sparse-attention method the engine runs, with defaults from the
 * papers and official code (see README). The fields and their constraints are the spec's directive
 * catalogue (what a backend receives); these schemas add what a caller may leave out. Accelerator
 * plugins compose their public parameter schemas from these.
 */
import { KV_PRUNING_DIRECTIVE, SPARSE_ATTENTION_DIRECTIVE, withDefaults } from "@loomscope/spec";
import type { z } from "zod";

const kv = KV_PRUNING_DIRECTIVE.methods;
const sparse = SPARSE_ATTENTION_DIRECTIVE.methods;

export const StreamingLLMParamsSchema = withDefaults(kv.streamingllm, {
  /** StreamingLLM: 4 attention sinks and a cache of 1024 = 4 + 1020. */
  sinkTokens: 4,
  windowTokens: 1020,
  /** Only llama.cpp compacts; the engine's cache is always compact. */
  compact: false,
});

/** H2O's paper splits heavy hitters and recent tokens evenly. */
export const H2OParamsSchema = withDefaults(kv.h2o, { budget: 1024, recentShare: 0.5 });

/** SnapKV experiments: observation window 32, kernel 7, max pooling. */
export const SnapKVParamsSchema = withDefaults(kv.snapkv, { budget: 1024, windowSize: 32, kernelSize: 7, pooling: "maxpool" });

/** PyramidKV: SnapKV's selection with β = 20. */
export const PyramidKVParamsSchema = withDefaults(kv.pyramidkv, { budget: 1024, windowSize: 32, kernelSize: 7, pooling: "maxpool", beta: 20 });

/** l2compress leaves layers 0 and 1 uncompressed. */
export const L2NormParamsSchema = withDefaults(kv.l2norm, { budget: 1024, skipLayers: [0, 1] });

export const TOVAParamsSchema = withDefaults(kv.tova, { budget: 1024 });

export const KV_METHOD_SCHEMAS = {
  streamingllm: StreamingLLMParamsSchema,
  h2o: H2OParamsSchema,
  snapkv: SnapKVParamsSchema,
  pyramidkv: PyramidKVParamsSchema,
  l2norm: L2NormParamsSchema,
  tova: TOVAParamsSchema,
} as const;
export type KvMethod = keyof typeof KV_METHOD_SCHEMAS;
export type StreamingLLMParams = z.infer<typeof StreamingLLMParamsSchema>;
export type H2OParams = z.infer<typeof H2OParamsSchema>;
export type SnapKVParams = z.infer<typeof SnapKVParamsSchema>;
export type PyramidKVParams = z.infer<typeof PyramidKVParamsSchema>;
export type L2NormParams = z.infer<typeof L2NormParamsSchema>;
export type TOVAParams = z.infer<typeof TOVAParamsSchema>;

/**
 * MInference: last_q 64, 1000 vertical columns, 64-row blocks. Slash diagonals: MInference searches
 * this per head (its kernel benchmark uses 200, its fallback 6096 for 128k+); 1024 here.
 */
export const MInferenceParamsSchema = withDefaults(sparse.minference, { lastQ: 64, verticalSize: 1000, slashSize: 1024, blockSize: 64 });

/** FlexPrefill: γ 0.9, τ 0.1, minimum budget 1024, block 128. */
export const FlexPrefillParamsSchema = withDefaults(sparse.flexprefill, { gamma: 0.9, tau: 0.1, minBudget: 1024, blockSize: 128 });

/** XAttention: threshold 0.9, stride 16 (its README example; the paper also uses 8), block 128. */
export const XAttentionParamsSchema = withDefaults(sparse.xattention, { threshold: 0.9, stride: 16, blockSize: 128 });

/** MoBA's 8k–32k experiments: block 512, top-k 3 (the current block included). */
export const BlockTopKParamsSchema = withDefaults(sparse.blocktopk, { blockSize: 512, topK: 3 });

export const SPARSE_METHOD_SCHEMAS = {
  minference: MInferenceParamsSchema,
  flexprefill: FlexPrefillParamsSchema,
  xattention: XAttentionParamsSchema,
  blocktopk: BlockTopKParamsSchema,
} as const;
export type SparseMethodName = keyof typeof SPARSE_METHOD_SCHEMAS;
export type MInferenceParams = z.infer<typeof MInferenceParamsSchema>;
export type FlexPrefillParams = z.infer<typeof FlexPrefillParamsSchema>;
export type XAttentionParams = z.infer<typeof XAttentionParamsSchema>;
export type BlockTopKParams = z.infer<typeof BlockTopKParamsSchema>;

/** Accelerator ids whose directives the engine interprets. */
export const KV_ACCELERATOR = KV_PRUNING_DIRECTIVE.accelerator;
export const SPARSE_ACCELERATOR = SPARSE_ATTENTION_DIRECTIVE.accelerator;
