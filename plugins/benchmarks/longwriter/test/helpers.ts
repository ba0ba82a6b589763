import { readFileSync } from "node:fs";
import type { Judge, JudgeRequest } from "@loomscope/spec";

/** Fixtures live in test/fixtures; PARITY_FIXTURES points at another set (e.g. made with another --seed). */
const FIXTURES = process.env["PARITY_FIXTURES"] ?? new URL("./fixtures", import.meta.url).pathname;
export const fixturePath = (name: string): string => `${FIXTURES}/${name}`;
export function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(fixturePath(name), "utf8")) as T;
}

/** Fixture texts are strings or {repeat, times, prefix?, suffix?} (kept small on disk). */
export type FixtureText = string | { repeat: string; times: number; prefix?: string; suffix?: string };
export function expand(v: FixtureText): string {
  return typeof v === "string" ? v : (v.prefix ?? "") + v.repeat.repeat(v.times) + (v.suffix ?? "");
}

/** A judge that answers each prompt with its scripted replies in order and records every request. */
export function scriptedJudge(script: Map<string, string[]>): Judge & { requests: JudgeRequest[] } {
  const requests: JudgeRequest[] = [];
  const queues = new Map([...script].map(([k, v]) => [k, [...v]]));
  return {
    id: "fake:scripted-judge",
    requests,
    complete: async (request) => {
      requests.push(request);
      const prompt = request.messages.at(-1)?.content ?? "";
      const queue = queues.get(prompt);
      if (!queue) throw new Error(`unexpected judge prompt: ${prompt.slice(0, 120)}`);
      return queue.shift() ?? "";
    },
  };
}
