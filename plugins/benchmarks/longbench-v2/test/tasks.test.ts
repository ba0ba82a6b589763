/** The task table against pred.py's settings. */
import { describe, expect, it } from "vitest";
import { PROMPTS, TASKS, taskRow } from "../src/index.js";

describe("task table", () => {
  it("has one task per pred.py setting", () => {
    expect(TASKS.map((t) => [t.id, t.flag])).toEqual([
      ["longbench_v2", "(none)"],
      ["longbench_v2_cot", "--cot"],
      ["longbench_v2_no_context", "--no_context"],
      ["longbench_v2_rag", "--rag N"],
    ]);
  });
  it("uses pred.py's budgets and temperature", () => {
    expect(TASKS.map((t) => t.maxNewTokens)).toEqual([128, 1024, 128, 128]);
    expect(TASKS.every((t) => t.temperature === 0.1)).toBe(true);
    expect(taskRow("longbench_v2_cot")?.followUp).toMatchObject({ template: PROMPTS.cotAnswer, maxNewTokens: 128, previousResponse: "$COT$" });
    expect(taskRow("longbench_v2")?.followUp).toBeUndefined();
  });
  it("fills the templates by chained replace, cut in the middle with one decode, always as a chat message", () => {
    for (const t of TASKS) {
      expect(t.prompt.syntax).toBe("chained-replace");
      expect(t.prompt.placeholders.map(([p]) => p)).toEqual(["$DOC$", "$Q$", "$C_A$", "$C_B$", "$C_C$", "$C_D$"]);
      expect(t.prompt.truncation).toBe("middle-single-decode");
      expect(t.prompt.chat).toBe("model");
      expect(t.lengths).toEqual(["short", "medium", "long"]);
    }
    expect(taskRow("longbench_v2_no_context")?.prompt.template).not.toContain("$DOC$");
    expect(taskRow("longbench_v2_rag")?.needs).toMatch(/retrieved_context/);
  });
});
