/**
 * `loom plan <targets…> --model <backend:model> [run flags]`: what a run will cost before it sends
 * anything (core's `estimateRun` builds every prompt with the run's own prepare stage). A table per
 * benchmark, task and length, or `--json`; `loom run` prints `planTotalLine` before it starts.
 */
import { InvalidArgumentError, type Command } from "commander";
import { autoShard, estimateRun, isTaskFile, type EstimateRow, type PriceOption, type RunEstimate, type ThroughputOption } from "@loomscope/core";
import { loadFileTarget, loadTaskFile } from "@loomscope/benchmark-kit";
import { EXIT, type Io } from "./index.js";
import { addRunFlags, givenRunSettings, registryFor, runSettingsFor } from "./run-setup.js";
import { textTable } from "./table.js";

/** `a=1,b=2` with exactly the keys named, each a positive number. */
function numberPairs<K extends string>(raw: string, keys: readonly K[], flag: string): Record<K, number> {
  const out: Partial<Record<K, number>> = {};
  for (const pair of raw.split(",").map((p) => p.trim()).filter(Boolean)) {
    const [k, v] = pair.split("=").map((x) => x.trim());
    if (!keys.includes(k as K) || v === undefined) throw new InvalidArgumentError(`${flag}: expected ${keys.map((x) => `${x}=<number>`).join(",")}, got "${raw}"`);
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0 || (flag === "--throughput" && n === 0)) throw new InvalidArgumentError(`${flag}: ${k} must be a ${flag === "--throughput" ? "positive" : "non-negative"} number, got "${v}"`);
    out[k as K] = n;
  }
  const missing = keys.filter((k) => out[k] === undefined);
  if (missing.length) throw new InvalidArgumentError(`${flag}: missing ${missing.join(", ")} (expected ${keys.map((x) => `${x}=<number>`).join(",")})`);
  return out as Record<K, number>;
}

export const parsePrice = (raw: string): PriceOption => {
  const p = numberPairs(raw, ["in", "out"] as const, "--price");
  return { inputPerMTok: p.in, outputPerMTok: p.out };
};
export const parseThroughput = (raw: string): ThroughputOption => numberPairs(raw, ["prefill", "decode"] as const, "--throughput");

const int = (n: number): string => Math.round(n).toLocaleString("en-US");
const tokensText = (n: number, estimate: RunEstimate): string => (estimate.tokens.basis === "estimate" ? `${int(n)} est.` : int(n));
const basisText = (e: RunEstimate): string =>
  e.tokens.basis === "exact" ? `exact, ${e.tokens.tokenizer}` : e.tokens.basis === "tokenizer" ? `counted with ${e.tokens.tokenizer}` : "est. at 4 characters a token: no tokenizer";
const hours = (h: number): string => (h >= 10 ? h.toFixed(1) : h >= 0.1 ? h.toFixed(2) : h.toPrecision(2));

/** The plan in one line: samples, what is subtracted, requests, tokens, truncation, cost. */
export function planTotalLine(e: RunEstimate): string {
  const t = e.totals;
  const parts = [
    `plan: ${int(t.samples)} samples`,
    ...(t.recorded ? [`${int(t.recorded)} recorded`] : []),
    ...(t.cached ? [`${int(t.cached)} cached`] : []),
  ].join(", ");
  const extra = [
    ...(t.truncated ? [`${int(t.truncated)} truncated`] : []),
    ...(t.tooLong ? [`${int(t.tooLong)} too long for the window (not sent)`] : []),
    ...(t.failed ? [`${int(t.failed)} prompts fail to build`] : []),
    ...(e.cost ? [`≤ $${e.cost.usd.toFixed(2)}`] : []),
    ...(e.gpu ? [`≤ ${hours(e.gpu.hours)} GPU-h`] : []),
  ];
  const basis = e.tokens.basis === "exact" ? "exact" : e.tokens.basis === "tokenizer" ? `counted with ${e.tokens.tokenizer}` : "est.";
  return `${parts} → ${int(t.requests)} requests, ${int(t.promptTokens)} prompt tokens (${basis}), ≤ ${int(t.maxNewTokens)} generated${extra.length ? `; ${extra.join(", ")}` : ""}`;
}

/** The whole plan as text: the table, the totals, cost and GPU-hours with their basis, notices. */
export function planText(e: RunEstimate): string {
  const row = (r: EstimateRow): string[] => [
    r.benchmark,
    r.task + (r.multiTurn ? " (1st turn)" : ""),
    r.length ?? "—",
    r.error ? "error" : int(r.samples),
    int(r.recorded),
    int(r.cached),
    int(r.requests),
    tokensText(r.promptTokens, e),
    int(r.maxNewTokens),
    int(r.truncated),
    int(r.tooLong),
    int(r.failed),
  ];
  const out = [
    `model ${e.model}; prompt tokens: ${basisText(e)}`,
    "",
    textTable(["benchmark", "task", "length", "samples", "recorded", "cached", "requests", "prompt tokens", "max gen tokens", "truncated", "too long", "failed"], e.rows.map(row)),
    "",
    planTotalLine(e),
  ];
  if (e.cost) out.push(`cost: ≤ $${e.cost.usd.toFixed(2)} at $${e.cost.inputPerMTok}/1M input and $${e.cost.outputPerMTok}/1M output tokens (${e.cost.source}; every answer at its budget)`);
  if (e.gpu) {
    out.push(
      `GPU time: ≤ ${hours(e.gpu.hours)} GPU-hours = prefill ${hours(e.gpu.prefillHours)} h at ${int(e.gpu.prefill)} tok/s + decode ${hours(e.gpu.decodeHours)} h at ${int(e.gpu.decode)} tok/s (${e.gpu.source}; every answer at its budget)`,
    );
  }
  for (const r of e.rows) if (r.error) out.push(`error: ${r.benchmark}/${r.task}${r.length ? `/${r.length}` : ""}: ${r.error}`);
  for (const n of e.notices) out.push(`note: ${n}`);
  out.push(`run directory: ${e.runDir}`);
  return out.join("\n");
}

interface PlanFlags {
  config?: string;
  json?: boolean;
  price?: PriceOption;
  throughput?: ThroughputOption;
  measure?: boolean;
}

export function registerPlanCommand(program: Command, io: Io, setCode: (code: number) => void): void {
  const plan = program
    .command("plan")
    .description("what a run will cost, before any request: samples, prompt tokens, generation budget, truncation, cost or GPU-hours; recorded and cached samples subtracted")
    .argument("<targets...>", "suite or benchmark ids, or task files (as loom run)");
  const settingOf = addRunFlags(plan);
  plan
    .option("--price <in=…,out=…>", "USD per 1M input and output tokens (priced API models), e.g. in=2.5,out=10", parsePrice)
    .option("--throughput <prefill=…,decode=…>", "aggregate tokens/s of a self-hosted server for GPU-hours, e.g. prefill=20000,decode=2500", parseThroughput)
    .option("--measure", "time a prefill-heavy and a decode-heavy request on the live server for the throughput (sends 2 requests)")
    .option("--config <file>", "config file (default loom.config.{ts,js,json} in the current folder)")
    .option("--json", "print the plan as JSON")
    .action(async (targets: string[], flags: Record<string, unknown> & PlanFlags, command: Command) => {
      const cwd = process.cwd();
      const { registry, config } = await registryFor(cwd, flags.config);
      const settings = await runSettingsFor(targets, givenRunSettings(command, flags, settingOf), registry, config, cwd);
      if (!settings.model) {
        io.err("error: no model given. Pass --model <backend>:<model>, e.g. --model vllm:Qwen/Qwen3-8B");
        setCode(EXIT.usage);
        return;
      }
      for (const t of targets) if (!isTaskFile(t) && !registry.find("suite", t) && !registry.find("benchmark", t)) throw registry.unknownTarget(t);
      // --shard auto: the same shard (and so the same run directory) as loom run resolves.
      const shard = settings.shard === "auto" ? autoShard() : undefined;
      const estimate = await estimateRun({
        ...settings,
        ...(shard ? { shard: `${shard.index}/${shard.count}` } : {}),
        targets,
        cwd,
        registry,
        loadTaskFile,
        loadFileTarget,
        estimate: { ...(flags.price ? { price: flags.price } : {}), ...(flags.throughput ? { throughput: flags.throughput } : {}), ...(flags.measure ? { measure: true } : {}) },
      });
      io.out(flags.json ? JSON.stringify(estimate, null, 2) : planText(estimate));
      setCode(estimate.rows.some((r) => r.error) ? EXIT.partial : EXIT.ok);
    });
}
