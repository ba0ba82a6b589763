import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ScriptRequest } from "@loomscope/testkit";

export const REPO = fileURLToPath(new URL("..", import.meta.url));
export const LOOM_BIN = join(REPO, "packages/cli/bin/loom.js");
export const FIXTURE_BENCHMARK = join(REPO, "test/fixtures/plugins/benchmark-fixture");
export const FUTURE_BENCHMARK = join(REPO, "test/fixtures/plugins/benchmark-future");
export const OPENAI_BACKEND = join(REPO, "plugins/backends/openai");

/** The fixture benchmark's right answer, found in the prompt the fake model sees. */
export function answerLookup(request: ScriptRequest): string {
  const item = /What is the code for item (\d+)\?/.exec(request.prompt)?.[1];
  const code = item ? new RegExp(`The code for item ${item} is (\\d+)\\.`).exec(request.prompt)?.[1] : undefined;
  return code ?? "unknown";
}

/** A temporary project folder with a loom.config.json naming the plugins to use. */
export function project(config: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), "loom-e2e-"));
  writeFileSync(join(dir, "loom.config.json"), JSON.stringify(config, null, 2));
  return dir;
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function startCli(args: readonly string[], options: { cwd: string; env?: Record<string, string> }): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [LOOM_BIN, ...args], {
    cwd: options.cwd,
    // Each test project has its own cache (downloads and the response cache), so runs in one test
    // never answer another test's requests.
    env: { ...process.env, CI: "1", LOOMSCOPE_CACHE_DIR: join(options.cwd, ".loom-cache"), ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliResult>((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

export const runCli = (args: readonly string[], options: { cwd: string; env?: Record<string, string> }) => startCli(args, options).done;

/** Every file under a directory, recursively. */
export function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...walk(full));
    else out.push(full);
  }
  return out;
}

export interface RecordLine {
  id: string;
  benchmark: string;
  task: string;
  length: string | null;
  status: string;
  score: number | null;
  attempts: number;
  error: { code: string; message: string; status?: number } | null;
  usage: { promptTokens: number | null; completionTokens: number | null; cachedPromptTokens?: number };
}

/** Parsed record lines of every records file of a run directory. */
export function recordLines(runDir: string): RecordLine[] {
  if (!existsSync(join(runDir, "records"))) return [];
  return walk(join(runDir, "records"))
    .filter((f) => f.endsWith(".jsonl"))
    .flatMap((f) =>
      readFileSync(f, "utf8")
        .split("\n")
        .filter((l) => l.trim() !== "")
        .map((l) => JSON.parse(l) as RecordLine),
    );
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
