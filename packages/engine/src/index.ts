/**
 * The reference engine as a library: the transformer, its attention kernels (dense and block-sparse),
 * KV-cache policies, the method parameter schemas, and the reading of spec directives into a policy
 * and a sparse method. The backend plugin over it is `@loomscope/backend-engine`.
 */
export * from "./attention.js";
export * from "./sparse.js";
export * from "./kv.js";
export * from "./methods.js";
export * from "./config.js";
export { Transformer, sessionStats, type Session, type RunOptions, type GenerateOutput, type DecodeStats } from "./model.js";
export { randomModel, loadHfModel, localPair, type LoadedModel, type ModelWeights, type LayerWeights } from "./weights.js";
export { parseSafetensors, writeSafetensors, type Tensor } from "./safetensors.js";
export { ByteTokenizer, BYTE_BOS, BYTE_EOS } from "./tokenizer.js";
export { interpretDirectives, resolveKvParams, resolveSparseParams, type Interpreted } from "./directives.js";
export { syntheticHead } from "./synthetic.js";
export { mulberry32, gaussian } from "./rng.js";
export { argmax } from "./math.js";
