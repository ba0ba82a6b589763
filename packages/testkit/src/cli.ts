#!/usr/bin/env node
/**
 * `loomscope-fake-server openai|ollama [flags]`: runs a fake server as its own process (for
 * benchmarks, stand-in executables, manual poking). Prints one JSON line
 * `{"kind","url","port","pid"}` on stdout once listening; stops cleanly on SIGTERM/SIGINT.
 */
import { parseArgs } from "node:util";
import type { FakeServerHandle } from "./internal/base.js";
import type { FaultInput } from "./faults.js";
import { startOllamaServer } from "./ollama-server.js";
import { startOpenAIServer } from "./openai-server.js";

const USAGE = `usage: loomscope-fake-server <openai|ollama> [options]
  --host H               bind address (default 127.0.0.1)
  --port N               port (default 0: any free port)
  --model NAME[=LEN]     served model, repeatable; LEN = max_model_len (openai) or context length (ollama)
  --api-key-env VAR      require the API key held in environment variable VAR
  --answer TEXT          always answer TEXT (default: echo the last 16 words of the prompt)
  --ttft-ms N            delay before the first token
  --per-token-ms N       delay per generated token
  --fault-rate R         fraction of generation requests that fail (0-1)
  --faults K1,K2         kinds drawn when a fault fires (rate-limit,error,slow,reset,malformed-json,hang,html)
  --fault-seed N         PRNG seed (default 1)
  --num-ctx N            ollama: default num_ctx (default 2048)
  --log-limit N          requests kept in memory (default 0 here)
  --version V            reported server version`;

export async function main(argv: readonly string[]): Promise<FakeServerHandle | undefined> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      host: { type: "string" },
      port: { type: "string" },
      model: { type: "string", multiple: true },
      "api-key-env": { type: "string" },
      answer: { type: "string" },
      "ttft-ms": { type: "string" },
      "per-token-ms": { type: "string" },
      "fault-rate": { type: "string" },
      faults: { type: "string" },
      "fault-seed": { type: "string" },
      "num-ctx": { type: "string" },
      "log-limit": { type: "string" },
      version: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  const kind = positionals[0];
  if (values.help || (kind !== "openai" && kind !== "ollama")) {
    process.stderr.write(USAGE + "\n");
    process.exitCode = values.help ? 0 : 2;
    return undefined;
  }
  const num = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));
  const apiKeyEnv = values["api-key-env"];
  const apiKey = apiKeyEnv === undefined ? undefined : process.env[apiKeyEnv];
  if (apiKeyEnv !== undefined && (apiKey === undefined || apiKey === "")) {
    process.stderr.write(`environment variable ${apiKeyEnv} is empty\n`);
    process.exitCode = 2;
    return undefined;
  }
  const rate = num(values["fault-rate"]);
  const common = {
    host: values.host ?? "127.0.0.1",
    port: num(values.port) ?? 0,
    ...(apiKey !== undefined ? { apiKey } : {}),
    ...(values.answer !== undefined ? { script: values.answer } : {}),
    latency: { ttftMs: num(values["ttft-ms"]) ?? 0, perTokenMs: num(values["per-token-ms"]) ?? 0 },
    ...(rate !== undefined && rate > 0
      ? {
          faults: {
            rate,
            seed: num(values["fault-seed"]) ?? 1,
            ...(values.faults !== undefined ? { faults: values.faults.split(",").map((k) => k.trim() as FaultInput) } : {}),
          },
        }
      : {}),
    logLimit: num(values["log-limit"]) ?? 0,
  };
  const models = (values.model ?? []).map((spec) => {
    const eq = spec.lastIndexOf("=");
    return eq === -1 ? { name: spec } : { name: spec.slice(0, eq), length: Number(spec.slice(eq + 1)) };
  });
  let server: FakeServerHandle;
  if (kind === "openai") {
    server = await startOpenAIServer({
      ...common,
      ...(values.version !== undefined ? { version: values.version } : {}),
      ...(models.length > 0 ? { models: models.map((m) => ({ id: m.name, ...(m.length !== undefined ? { maxModelLen: m.length } : {}) })) } : {}),
    });
  } else {
    server = await startOllamaServer({
      ...common,
      ...(values.version !== undefined ? { version: values.version } : {}),
      ...(num(values["num-ctx"]) !== undefined ? { defaultNumCtx: num(values["num-ctx"]) } : {}),
      ...(models.length > 0 ? { models: models.map((m) => ({ name: m.name, ...(m.length !== undefined ? { contextLength: m.length } : {}) })) } : {}),
    });
  }
  process.stdout.write(JSON.stringify({ kind, url: server.url, port: server.port, pid: process.pid }) + "\n");
  const stop = (): void => {
    void server.close().then(() => process.exit(0));
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  return server;
}

await main(process.argv.slice(2));
