import { describe, expect, it } from "vitest";
import type { AblationTable, AblationVariant } from "@loomscope/spec";
import { ablationHtml, ablationMarkdown, frontierAxis, frontierPoints } from "../src/ablation.js";

const variant = (name: string, score: number | null, kvEntriesRead: number): AblationVariant => ({
  name,
  accelerators: name === "none" ? [] : [name],
  runDir: `/runs/${name}`,
  score,
  wallMs: 1000,
  requests: 4,
  cached: 0,
  resumed: 0,
  promptTokens: 100,
  completionTokens: 10,
  counters: { "engine.kvEntriesRead": kvEntriesRead },
  failed: 0,
  notRun: score === null ? 4 : 0,
});

const table: AblationTable = {
  v: 1,
  model: "engine:random:tiny",
  targets: ["fixture-qa"],
  baseline: "none",
  variants: [variant("none", 80, 1000), variant("snapkv", 78, 200), variant("h2o", 70, 300), variant("streaming", 60, 100), variant("broken", null, 50)],
  rows: [],
  notices: [],
};

describe("the ablation section", () => {
  it("draws the frontier on the engine's KV reads: variants no other beats on both cost and score", () => {
    expect(frontierAxis(table).key).toBe("engine.kvEntriesRead");
    const points = frontierPoints(table);
    // A variant without a score is no point; h2o costs more than snapkv and scores less.
    expect(points.map((p) => [p.variant, p.onFrontier])).toEqual([
      ["none", true],
      ["snapkv", true],
      ["h2o", false],
      ["streaming", true],
    ]);
  });

  it("renders md and a self-contained HTML page with the frontier", () => {
    const md = ablationMarkdown(table);
    expect(md).toMatch(/On the frontier \(no variant is both cheaper and better\): `streaming` \(60\.00 at 100\), `snapkv` \(78\.00 at 200\), `none` \(80\.00 at 1,000\)/);
    expect(md).toMatch(/\| broken \| broken \| –\* \|/);
    const html = ablationHtml(table);
    expect(html).toMatch(/<svg[^>]*aria-label="quality\/cost frontier"/);
    expect(html).not.toMatch(/<script/);
  });
});
