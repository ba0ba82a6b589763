/** The fake servers and the shared tokenizer, without the vitest-based conformance suites. */
export { startOpenAIServer, type FakeOpenAIServer, type FakeOpenAIModel, type OpenAIServerOptions, type TokenizerFaults } from "./openai-server.js";
export {
  startOllamaServer,
  ollamaTruncate,
  type FakeOllamaServer,
  type FakeOllamaModel,
  type FakeOllamaModelInfo,
  type OllamaServerOptions,
  type OllamaTruncation,
} from "./ollama-server.js";
export type { CommonServerOptions, FakeServerHandle, RecordedRequest, ServerStats } from "./internal/base.js";
export { FAULT_KINDS, type Fault, type FaultInput, type FaultKind, type FaultPlan } from "./faults.js";
export { DEFAULT_ECHO_WORDS, defaultAnswer, type FakeApi, type Latency, type Responder, type Script, type ScriptRequest } from "./script.js";
export {
  CHATML_JINJA_TEMPLATE,
  FAKE_TOKEN_IDS,
  FAKE_VOCAB_SIZE,
  FakeTokenizer,
  countChatTokens,
  countTokens,
  fakeTokenizer,
  renderChatML,
  type FakeTokenizerOptions,
  type TemplateMessage,
} from "./tokenizer.js";
export { hashedEmbedding } from "./embeddings.js";

export { ServingSimulator, blockHashes, DEFAULT_COST_MODEL, type CostModel, type SimRequest, type SimResult, type SimStats, type SimulatorOptions } from "./simulator.js";
