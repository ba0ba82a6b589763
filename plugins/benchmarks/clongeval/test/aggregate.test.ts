import { describe, expect, it } from "vitest";
import clongeval from "../src/index.js";

const cell = (task: string, length: string, metric: string, values: number[]) => ({ task, length, n: values.length, errors: 0, values: { [metric]: values } });
const cells = [
  cell("long_story_qa", "small", "qa_f1_zh_score", [1, 0.5]),
  cell("long_story_qa", "medium", "qa_f1_zh_score", [0]),
  cell("long_story_qa", "large", "qa_f1_zh_score", [1 / 3]),
  cell("table_querying", "small", "table_querying_match_score", [0.25, 1, 2 / 3]),
];

// Expected numbers printed by Debian 12's python3 following eval.py `scorer` and LOOM-Scope's save_results.
describe("CLongEval aggregation per protocol", () => {
  it("official: round(100 * total / n, 5) per set, 'all' only with the three sets, no headline", () => {
    const agg = clongeval.aggregate!(cells);
    expect(agg.cells["long_story_qa"]).toEqual({ small: 75, medium: 0, large: 33.33333 });
    expect(agg.tasks).toEqual({ long_story_qa: 45.83333, table_querying: null });
    expect(agg.cells["table_querying"]).toEqual({ small: 63.88889, medium: null, large: null });
    expect(agg.score).toBeNull();
  });

  it("loom: round(100 * mean, 2) per task over every set, count-weighted overall", () => {
    const agg = clongeval.configure!({ protocol: "loom", options: { promptStyle: "vllm", typoAnswerRewrite: true } }).aggregate!(cells);
    expect(agg.tasks).toEqual({ long_story_qa: 45.83, table_querying: 63.89 });
    expect(agg.score).toBe(53.57);
  });
});
