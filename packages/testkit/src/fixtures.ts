/**
 * Fixture files for plugin tests: one place for reading a plugin's `test/fixtures/` and for pointing
 * the same tests at another fixture set — the set a parity script made with another `--seed`, that
 * the scorer has never been checked on (`PARITY_FIXTURES=/tmp/seed7 npx vitest run`).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Judge, JudgeRequest } from "@loomscope/spec";

/** The environment variable that points every fixture read at another folder. */
export const PARITY_FIXTURES_ENV = "PARITY_FIXTURES";

export interface FixtureFiles {
  /** The folder read: `$PARITY_FIXTURES` when set, else the given one. */
  readonly dir: string;
  path(name: string): string;
  json<T>(name: string): T;
  text(name: string): string;
}

/**
 * Reads fixtures under `dir` (a folder URL such as `new URL("./fixtures/", import.meta.url)`, or a
 * path), or under `$PARITY_FIXTURES` when that is set.
 */
export function fixtureFiles(dir: URL | string, env: NodeJS.ProcessEnv = process.env): FixtureFiles {
  const override = env[PARITY_FIXTURES_ENV];
  const root = override !== undefined && override !== "" ? override : typeof dir === "string" ? dir : fileURLToPath(dir);
  const path = (name: string) => join(root, name);
  return {
    dir: root,
    path,
    json: <T>(name: string) => JSON.parse(readFileSync(path(name), "utf8")) as T,
    text: (name: string) => readFileSync(path(name), "utf8"),
  };
}

/**
 * The seeds a test runs its per-seed fixtures for (`parity-seed<N>…`): `committed`, or the list in
 * `PARITY_SEEDS` ("7" or "7,8"), for a set made with another `--seed` (with `PARITY_FIXTURES`).
 */
export function paritySeeds(committed: readonly number[], env: NodeJS.ProcessEnv = process.env): number[] {
  const given = env["PARITY_SEEDS"];
  if (given === undefined || given.trim() === "") return [...committed];
  return given.split(",").map((s) => {
    const n = Number(s.trim());
    if (!Number.isInteger(n)) throw new Error(`PARITY_SEEDS must list integers ("7" or "7,8"), not ${JSON.stringify(given)}`);
    return n;
  });
}

/** A fixture text kept small on disk: a string, or `{repeat, times, prefix?, suffix?}`. */
export type FixtureText = string | { repeat: string; times: number; prefix?: string; suffix?: string };

export function expandFixtureText(v: FixtureText): string {
  return typeof v === "string" ? v : (v.prefix ?? "") + v.repeat.repeat(v.times) + (v.suffix ?? "");
}

/** A judge for tests that answers from a script and records every request it was sent. */
export type ScriptedJudge = Judge & { requests: JudgeRequest[] };

/**
 * A scripted judge. `script` is either a map from the last message's text to its replies, given in
 * order (a prompt not in the map, or asked more often than it has replies, throws / answers ""), or
 * a function from that text to the reply.
 */
export function scriptedJudge(script: ReadonlyMap<string, readonly string[]> | ((prompt: string, request: JudgeRequest) => string), id = "fake:scripted-judge"): ScriptedJudge {
  const requests: JudgeRequest[] = [];
  const queues = typeof script === "function" ? undefined : new Map([...script].map(([k, v]) => [k, [...v]]));
  return {
    id,
    requests,
    complete: async (request) => {
      requests.push(request);
      const prompt = request.messages.at(-1)?.content ?? "";
      if (typeof script === "function") return script(prompt, request);
      const queue = queues!.get(prompt);
      if (!queue) throw new Error(`unexpected judge prompt: ${prompt.slice(0, 120)}`);
      return queue.shift() ?? "";
    },
  };
}
