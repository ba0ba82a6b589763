import { describe, expect, it } from "vitest";
import { checkDirectives } from "@loomscope/core";
import { DIRECTIVE_CATALOGUE, directiveNames, type BackendPlugin, type DirectiveDefinition } from "@loomscope/spec";

/** A directive no backend honours, to see the refusal for directives outside the catalogue too. */
const FOREIGN = "conformance-probe:unknown";

/**
 * Registers vitest tests for a backend plugin's directive declaration: it is exactly `expected`,
 * well-formed, and every directive it does not declare (each catalogued one, and one outside the
 * catalogue) is refused by the host's bind-time check, naming the backend and the directive.
 */
export function runDirectiveConformance(plugin: BackendPlugin, expected: readonly string[]): void {
  describe(`directive conformance: ${plugin.id}`, () => {
    const declared = plugin.directives ?? [];
    it(`honours exactly ${expected.length === 0 ? "no directive" : expected.join(", ")}`, () => {
      expect([...declared].sort()).toEqual([...expected].sort());
      for (const name of declared) expect(name, "directive names are <accelerator>:<method>").toMatch(/^[a-z0-9][a-z0-9-]*:[a-z0-9][a-z0-9-]*$/);
      expect(new Set(declared).size, "no directive declared twice").toBe(declared.length);
    });

    it("anything else is refused at bind time, naming the backend and the directive", async () => {
      const catalogued = Object.values(DIRECTIVE_CATALOGUE as Record<string, DirectiveDefinition>).flatMap(directiveNames);
      const others = async () => [{ backend: "conformance-other", directives: [FOREIGN] }];
      for (const name of [...catalogued, FOREIGN].filter((n) => !declared.includes(n as never))) {
        const [accelerator = "", method = ""] = name.split(":");
        const refusal = checkDirectives({ backend: plugin.id, directives: declared }, [{ accelerator, method, params: {} }], others);
        await expect(refusal, name).rejects.toMatchObject({ code: "DIRECTIVE_UNHONOURED", backend: plugin.id, directive: name });
      }
      await expect(checkDirectives({ backend: plugin.id, directives: declared }, [{ accelerator: "conformance-probe", method: "unknown", params: {} }], others)).rejects.toMatchObject({
        honouredBy: ["conformance-other"],
      });
    });
  });
}
